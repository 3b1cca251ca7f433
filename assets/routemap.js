/*
 * The map page's enhancement: the interactive explorer (Cytoscape, mounted by Dash into the
 * entry point that lies over the server's SVG map) and selections without a page load.
 *
 * The page is whole before any of this runs: the SVG map of links, the details panel, the
 * lines, a search form. Here, once the explorer's map is drawn, it replaces the SVG on screen
 * (same frame, same size: nothing moves, and what the reader typed stays typed), and:
 *
 * - the URL is the selection (/station/<id>, /line/<id>, or / for none): links to them, taps
 *   on the map and Escape change it with history.pushState, so links, reloads and the back
 *   button work; the details panel is placed from the server's own panels (/_panels), and the
 *   map's highlight changes by toggling classes (no element is ever sent again);
 * - a route in the page (#explorer-route: the route page's "open in the interactive map") is
 *   brought forward with its progress marks, as the SVG draws it;
 * - the search form asks the server (/_search) and shows what it found;
 * - every station has a keyboard link (Tab walks them; the focused one is shown on the map);
 * - a swipe or the scroll wheel scrolls the page: the map pans by dragging with a mouse or two
 *   fingers, and zooms with its buttons, two fingers, or Ctrl and the wheel.
 *
 * Data text only ever goes into text nodes or inert <template>s parsed by the browser.
 */
(function () {
  'use strict';

  var frame = document.getElementById('map-frame');
  if (!frame) return;
  // every use of a Dash or dash-cytoscape internal is in assets/dashfix.js
  var FIX = window.routemapDashfix;

  var SELECTION = /^\/(station|line)\/([^/]+)\/?$/;
  var VALID_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
  var MAP_PATH = /^\/(?:$|station\/|line\/)/;
  var FONTS = ["12.5px 'Routemap Sans'", "bold 12.5px 'Routemap Sans'"];
  var FONT_STACK_LOADED = '"Routemap Sans", "Noto Sans", Arial, Helvetica, sans-serif';
  var READABLE_ZOOM = 0.75; // 12.5-unit labels at 9 px or more
  var MARK_CLASS = { done: 'rm-done', in_progress: 'rm-in-progress', can_start: 'rm-can-start', skipped: 'rm-skipped' };
  var ROUTE_CLASSES = 'rm-off-route rm-route rm-done rm-in-progress rm-can-start rm-skipped';

  var routeData = null;
  var routeEl = document.getElementById('explorer-route');
  if (routeEl) {
    try { routeData = JSON.parse(routeEl.textContent); } catch (e) { routeData = null; }
  }

  var state = {
    cy: null,
    selection: null, // {kind, id, valid} or null: what the URL selects
    applied: undefined, // the selection the view was last moved for (undefined: none yet)
    tapped: null, // "station:<id>" / "line:<id>" when the selection came from a tap
    detailsKey: keyOf(parseSelection(window.location.pathname)), // the panel the page shows
    panels: {}, // the server's panels (<template>s) by "station:<id>" / "line:<id>"
    prefetched: false,
    touchFrom: null, // where the finger on the map went down
    swiped: false // it moved: the page scrolled, and the map takes no tap from it
  };

  function parseSelection(pathname) {
    var m = SELECTION.exec(pathname || '');
    if (!m) return null;
    var id;
    try { id = decodeURIComponent(m[2]); } catch (e) { id = m[2]; }
    return { kind: m[1], id: id, valid: VALID_ID.test(id) };
  }

  function keyOf(sel) { return sel ? sel.kind + ':' + sel.id : ''; }

  function sameSelection(a, b) { return keyOf(a) === keyOf(b); }

  function reducedMotion() {
    return !!window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  }

  function narrow() {
    return !!window.matchMedia && window.matchMedia('(max-width: 40em)').matches;
  }

  function coarse() {
    return !!window.matchMedia && window.matchMedia('(pointer: coarse)').matches;
  }

  // ---- navigation between selections (once the explorer is drawn) ----------------------------
  function navigate(href) {
    var url = new URL(href, window.location.href);
    // a route shown on the map stays shown while the reader moves between its stations
    if (!url.search && routeData) url.search = window.location.search;
    var next = url.pathname + url.search + url.hash;
    if (next === window.location.pathname + window.location.search + window.location.hash) return;
    window.history.pushState({}, '', next);
    onLocation();
  }

  function onLocation() {
    if (MAP_PATH.test(window.location.pathname)) select(parseSelection(window.location.pathname));
  }
  window.addEventListener('popstate', onLocation);

  document.addEventListener('click', function (event) {
    if (!state.cy || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var a = event.target.closest ? event.target.closest('a[href]') : null;
    if (!a || a.target || a.hasAttribute('download')) return;
    var url = new URL(a.href, window.location.href);
    if (url.origin !== window.location.origin || !MAP_PATH.test(url.pathname)) return;
    if (url.search && url.search !== window.location.search) return; // another route: load it
    event.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  });

  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape' || event.defaultPrevented || !state.cy) return;
    if (parseSelection(window.location.pathname)) navigate('/');
  });

  // ---- search: the server finds; the first match is shown ------------------------------------
  var searchForm = document.getElementById('search-form');
  if (searchForm) {
    searchForm.addEventListener('submit', function (event) {
      var input = searchForm.querySelector('input[name="q"]');
      var query = input ? input.value.trim() : '';
      event.preventDefault();
      fetch('/_search?q=' + encodeURIComponent(query), { headers: { Accept: 'text/html' } })
        .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.text(); })
        .then(function (text) {
          var doc = new DOMParser().parseFromString(text, 'text/html');
          var found = doc.querySelector('template[data-search]');
          if (!found) throw new Error('no answer');
          var first = found.getAttribute('data-search');
          var box = document.getElementById('search-results');
          if (box) box.replaceChildren(document.importNode(found.content, true));
          if (first && state.cy) navigate('/station/' + first);
          else if (first) window.location.assign('/station/' + encodeURIComponent(first));
        })
        .catch(function () { searchForm.submit(); }); // the plain search page, as without script
    });
  }

  // ---- the map's buttons --------------------------------------------------------------------
  function readableFit(cy, eles, padding, ms) {
    // Fit these elements, but never below a zoom at which labels read: past that, show them at
    // that zoom, centred, and the reader pans for the rest.
    if (eles.empty()) return;
    var bb = eles.boundingBox();
    var zoom = Math.min((cy.width() - 2 * padding) / bb.w, (cy.height() - 2 * padding) / bb.h);
    zoom = Math.min(zoom, cy.maxZoom());
    if (zoom >= READABLE_ZOOM) {
      cy.animate({ fit: { eles: eles, padding: padding } }, { duration: ms });
      return;
    }
    zoom = Math.max(READABLE_ZOOM, cy.minZoom());
    cy.animate({
      zoom: zoom,
      pan: { x: cy.width() / 2 - (bb.x1 + bb.w / 2) * zoom, y: cy.height() / 2 - (bb.y1 + bb.h / 2) * zoom }
    }, { duration: ms });
  }

  function zoomBy(cy, factor, at, ms) {
    var level = Math.max(cy.minZoom(), Math.min(cy.zoom() * factor, cy.maxZoom()));
    cy.animate({ zoom: { level: level, renderedPosition: at } }, { duration: ms });
  }

  document.addEventListener('click', function (event) {
    var button = event.target.closest ? event.target.closest('[data-cy-action]') : null;
    var cy = state.cy;
    if (!button || !cy || cy.destroyed()) return;
    var action = button.getAttribute('data-cy-action');
    var centre = { x: cy.width() / 2, y: cy.height() / 2 };
    var ms = reducedMotion() ? 0 : 150;
    cy.stop();
    if (action === 'zoom-in') zoomBy(cy, 1.4, centre, ms);
    else if (action === 'zoom-out') zoomBy(cy, 1 / 1.4, centre, ms);
    else readableFit(cy, routeElements(cy) || cy.elements(), 24, ms);
  });

  // ---- the keyboard: every station is a link (.rm-map-key), shown on the map when focused ------
  function keyFocus(event, on) {
    var a = event.target.closest ? event.target.closest('a.rm-map-key') : null;
    var cy = state.cy;
    if (!a || !cy || cy.destroyed()) return;
    var node = cy.getElementById(a.getAttribute('data-station'));
    if (node.empty()) return;
    if (!on) { node.removeClass('rm-kb-focus'); return; }
    cy.nodes('.rm-kb-focus').removeClass('rm-kb-focus');
    node.addClass('rm-kb-focus');
    cy.stop();
    cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 0.9) }, { duration: reducedMotion() ? 0 : 150 });
  }
  document.addEventListener('focusin', function (event) { keyFocus(event, true); });
  document.addEventListener('focusout', function (event) { keyFocus(event, false); });

  // ---- a swipe or the wheel scrolls the page; the map moves on purpose ------------------------
  function touchAndWheel(cy) {
    var container = cy.container();
    cy.userZoomingEnabled(false); // the wheel scrolls the page; Ctrl + wheel zooms (below)
    if (coarse()) {
      cy.userPanningEnabled(false); // one finger scrolls the page
      var hint = frame.querySelector('.rm-map-touch');
      if (hint) hint.hidden = false;
    }
    container.addEventListener('touchstart', function (event) {
      if (event.touches.length >= 2) { cy.userPanningEnabled(true); cy.userZoomingEnabled(true); }
      var t = event.touches[0];
      state.touchFrom = t ? { x: t.clientX, y: t.clientY } : null;
      state.swiped = false;
    }, { capture: true, passive: true });
    var release = function (event) {
      if (event.touches.length === 0) {
        cy.userZoomingEnabled(false);
        if (coarse()) cy.userPanningEnabled(false);
      }
    };
    container.addEventListener('touchend', release, { capture: true, passive: true });
    container.addEventListener('touchcancel', release, { capture: true, passive: true });
    // Cytoscape holds back a one-finger swipe that starts on a station (it stops the page
    // scrolling under it): while one finger scrolls the page, it does not see the move.
    window.addEventListener('touchmove', function (event) {
      if (event.touches.length === 1 && !cy.userPanningEnabled() && container.contains(event.target)) {
        event.stopImmediatePropagation();
        var t = event.touches[0], from = state.touchFrom;
        if (from && Math.abs(t.clientX - from.x) + Math.abs(t.clientY - from.y) > 10) state.swiped = true;
      }
    }, { capture: true, passive: true });
    container.addEventListener('wheel', function (event) {
      if (!(event.ctrlKey || event.metaKey)) return;
      event.preventDefault();
      var box = container.getBoundingClientRect();
      cy.stop();
      zoomBy(cy, Math.pow(1.002, -event.deltaY), { x: event.clientX - box.left, y: event.clientY - box.top }, 0);
    }, { passive: false });
  }

  // ---- the map: selection, route, view -------------------------------------------------------
  function select(sel) {
    state.selection = sel;
    markLegend(sel);
    showDetails(sel, false);
    var cy = state.cy;
    if (!cy || cy.destroyed()) return;
    highlight(cy, sel && sel.valid ? sel : null);
    setTimeout(applyView, 0);
  }

  function markLegend(sel) {
    var links = document.querySelectorAll('#legend a');
    for (var i = 0; i < links.length; i++) {
      var on = !!sel && sel.kind === 'line' && links[i].getAttribute('href') === '/line/' + sel.id;
      if (on) links[i].setAttribute('aria-current', 'true');
      else links[i].removeAttribute('aria-current');
    }
  }

  function highlight(cy, sel) {
    cy.batch(function () {
      cy.nodes('.rm-selected').removeClass('rm-selected');
      var keep = cy.collection();
      if (sel && sel.kind === 'line') {
        keep = cy.edges('.line-' + sel.id).union(cy.nodes('.on-' + sel.id)).union(cy.nodes('.name-of-' + sel.id));
      }
      if (keep.empty()) {
        cy.elements('.rm-faded').removeClass('rm-faded');
        cy.edges('.rm-isolated').removeClass('rm-isolated');
      } else {
        cy.elements().difference(keep).addClass('rm-faded');
        keep.removeClass('rm-faded');
        cy.edges('.rm-isolated').difference(keep).removeClass('rm-isolated');
        keep.edges().addClass('rm-isolated');
      }
      if (sel && sel.kind === 'station') cy.getElementById(sel.id).addClass('rm-selected');
    });
  }

  function routeElements(cy) {
    if (!routeData || !routeData.stations || !routeData.stations.length) return null;
    var keep = cy.collection();
    routeData.edges.forEach(function (id) { keep.merge(cy.getElementById(id)); });
    routeData.stations.forEach(function (id) { keep.merge(cy.getElementById(id)); });
    return keep;
  }

  function drawRoute(cy) {
    var keep = routeElements(cy);
    if (!keep) return;
    cy.batch(function () {
      cy.elements().removeClass(ROUTE_CLASSES);
      cy.elements().difference(keep).addClass('rm-off-route');
      keep.edges().addClass('rm-route');
      Object.keys(routeData.marks || {}).forEach(function (id) {
        var cls = MARK_CLASS[routeData.marks[id]];
        if (cls) cy.getElementById(id).addClass(cls);
      });
    });
  }

  // The whole map (or route) if its labels read there; otherwise a readable zoom, at the left
  // (where every route starts) centred on the first station.
  function initialView(cy) {
    var eles = routeElements(cy) || cy.elements();
    if (eles.empty()) return;
    var bb = eles.boundingBox();
    var fitZoom = Math.min((cy.width() - 48) / bb.w, (cy.height() - 48) / bb.h);
    if (fitZoom >= READABLE_ZOOM) { cy.fit(eles, 24); return; }
    var zoom = Math.max(Math.min(READABLE_ZOOM, cy.maxZoom()), cy.minZoom());
    var first = eles.nodes().min(function (n) { return n.position('x'); }).ele;
    cy.viewport({ zoom: zoom, pan: { x: 24 - bb.x1 * zoom, y: cy.height() / 2 - first.position('y') * zoom } });
  }

  function applyView() {
    var cy = state.cy;
    if (!cy || cy.destroyed()) return;
    var sel = state.selection;
    var previous = state.applied;
    if (previous !== undefined && sameSelection(previous, sel)) return;
    state.applied = sel;
    var fromTap = sel !== null && keyOf(sel) === state.tapped;
    state.tapped = null;
    if (fromTap) return; // the reader pointed at it: do not move the map under their hand
    var duration = previous === undefined || reducedMotion() ? 0 : 250;
    cy.stop();
    if (!sel) {
      if (previous) initialView(cy);
      return;
    }
    if (sel.kind === 'station') {
      var node = cy.getElementById(sel.id);
      if (!node.empty()) cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1) }, { duration: duration });
    } else {
      var edges = cy.edges('.line-' + sel.id);
      if (!edges.empty()) readableFit(cy, edges.union(edges.connectedNodes()), 32, duration);
    }
  }

  function fontsReady(cy) {
    if (!document.fonts || !document.fonts.load) return;
    if (FONTS.every(function (f) { return document.fonts.check(f); })) return;
    Promise.all(FONTS.map(function (f) { return document.fonts.load(f); })).then(function () {
      if (cy.destroyed()) return;
      // A new font-family string makes Cytoscape measure and draw the labels again.
      cy.nodes().style('font-family', FONT_STACK_LOADED);
    });
  }

  // The explorer is drawn: it takes the SVG's place on screen, and its controls appear.
  function shown(cy) {
    var done = false;
    function swap() {
      if (done) return;
      done = true;
      var svg = document.getElementById('map-svg');
      var focused = svg && svg.contains(document.activeElement) ? document.activeElement : null;
      frame.classList.add('rm-map-frame--explorer');
      Array.prototype.forEach.call(frame.querySelectorAll('.rm-map-controls, .rm-map-keys'), function (el) {
        el.hidden = false;
      });
      if (focused) { // the reader was on a station of the SVG: keep them on it
        var link = focused.closest('a');
        var sid = link && (link.getAttribute('href') || '').replace('/station/', '');
        var key = sid && frame.querySelector('.rm-map-key[data-station="' + CSS.escape(sid) + '"]');
        if (key) key.focus({ preventScroll: true });
      }
      window.routemapMapDrawnAt = performance.now();
      var canvas = document.getElementById('map-canvas');
      if (canvas) canvas.setAttribute('data-drawn', 'true');
    }
    cy.one('render', swap);
    requestAnimationFrame(function () { requestAnimationFrame(swap); });
  }

  function setupCy(cy) {
    state.cy = cy;
    state.applied = undefined;
    FIX.quietDashCytoscape(cy);
    FIX.guardLayerTextures(cy);
    cy.on('tap', 'node.line-name', function (evt) {
      if (state.swiped) return; // a swipe that scrolled the page, not a tap
      state.tapped = 'line:' + evt.target.data('line');
      navigate('/line/' + evt.target.data('line'));
    });
    cy.on('tap', 'node.station', function (evt) {
      if (state.swiped) return;
      state.tapped = 'station:' + evt.target.id();
      navigate('/station/' + evt.target.id());
    });
    cy.on('tap', 'edge', function (evt) {
      if (state.swiped) return;
      state.tapped = 'line:' + evt.target.data('line');
      navigate('/line/' + evt.target.data('line'));
    });
    touchAndWheel(cy);
    fontsReady(cy);
    drawRoute(cy);
    initialView(cy);
    select(parseSelection(window.location.pathname));
    shown(cy);
    prefetch();
  }

  new MutationObserver(function () {
    var cy = FIX.cytoscapeOf(document.getElementById('cy'));
    if (cy && cy !== state.cy && cy.nodes().length > 0) setupCy(cy);
  }).observe(frame, { childList: true, subtree: true });

  // ---- the details panel: the server's own panels, placed ------------------------------------
  function templates(text) {
    var doc = new DOMParser().parseFromString(text, 'text/html');
    var found = {};
    Array.prototype.forEach.call(doc.querySelectorAll('template[data-panel]'), function (t) {
      found[t.getAttribute('data-panel')] = t;
    });
    return found;
  }

  // Show what the URL selects; "initial": the panel came with the page (focus stays put).
  function showDetails(sel, initial) {
    var body = document.getElementById('details-body');
    if (!body) return;
    var key = keyOf(sel);
    if (key === state.detailsKey) return;
    state.detailsKey = key;
    if (!sel) {
      var intro = document.getElementById('details-intro');
      return place(body, intro ? document.importNode(intro.content, true) : null, initial);
    }
    if (state.panels[key] !== undefined) {
      return place(body, document.importNode(state.panels[key].content, true), initial);
    }
    fetch('/_panels/' + sel.kind + '/' + encodeURIComponent(sel.id), { headers: { Accept: 'text/html' } })
      .then(function (r) {
        if (!r.ok && r.status !== 404) throw new Error('HTTP ' + r.status);
        return r.text();
      }).then(function (text) {
        var all = templates(text);
        var found = all[key] || all[Object.keys(all)[0]]; // the server's key for an odd address
        if (!found) throw new Error('no panel for ' + key);
        state.panels[key] = found;
        if (state.detailsKey !== key) return; // the selection moved on meanwhile
        state.detailsKey = null;
        showDetails(sel, initial);
      }).catch(function () {
        if (state.detailsKey !== key) return;
        var h = document.createElement('h2');
        h.id = 'details-heading';
        h.className = 'rm-heading-m';
        h.tabIndex = -1;
        h.setAttribute('data-title', 'Details not loaded');
        h.textContent = 'The details could not be loaded';
        var p = document.createElement('p');
        p.className = 'rm-body';
        p.textContent = 'Check your connection and reload the page.';
        var part = document.createDocumentFragment();
        part.append(h, p);
        place(body, part, initial);
      });
  }

  function place(body, content, initial) {
    body.replaceChildren();
    if (content) body.appendChild(content);
    var h = document.getElementById('details-heading');
    var service = document.querySelector('.rm-header__service');
    if (h && service && h.getAttribute('data-title')) {
      document.title = h.getAttribute('data-title') + ' \u2013 ' + service.textContent;
    }
    var panel = document.getElementById('details');
    if (panel) panel.scrollTop = 0;
    if (h && !initial) h.focus({ preventScroll: !narrow() });
  }

  // Every station's and line's panel at once, when the browser is idle: selections need no
  // request after that.
  function prefetch() {
    if (state.prefetched) return;
    state.prefetched = true;
    var go = function () {
      fetch('/_panels', { headers: { Accept: 'text/html' } }).then(function (r) {
        return r.ok ? r.text() : null;
      }).then(function (text) {
        if (text === null) { state.prefetched = false; return; }
        var found = templates(text);
        Object.keys(found).forEach(function (key) { state.panels[key] = found[key]; });
      }).catch(function () { state.prefetched = false; });
    };
    if (window.requestIdleCallback) window.requestIdleCallback(go, { timeout: 1500 });
    else setTimeout(go, 300);
  }

  window.routemap = { navigate: navigate, parseSelection: parseSelection };
})();
