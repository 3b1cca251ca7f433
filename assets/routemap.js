/*
 * routemap in the browser: in-app navigation, the map's selection and view, clientside
 * callbacks.
 *
 * Served from 'self' (the Content-Security-Policy allows no inline script but Dash's own hashed
 * ones), so every clientside callback lives here, in window.dash_clientside.routemap.
 *
 * - The URL is the selection: /station/<id>, /line/<id>, or / for none. Links with the class
 *   "js-nav", taps on the map and the Escape key change it with history.pushState (as dcc.Link
 *   does), so the map is never reloaded and the back button walks through selections; without
 *   JavaScript the links are ordinary links.
 * - Highlighting a station or isolating a line toggles a few classes on the map's elements
 *   (rules in the base stylesheet): no elements or stylesheets are sent again.
 * - The map's buttons zoom and fit it to the screen.
 */
(function () {
  'use strict';

  // every use of a Dash or dash-cytoscape internal is in assets/dashfix.js
  var FIX = window.routemapDashfix;

  var ID = '[a-z0-9]+(?:-[a-z0-9]+)*';
  var SELECTION = new RegExp('^/(station|line)/([^/]+)/?$');
  var VALID_ID = new RegExp('^' + ID + '$');
  var MAP_PATH = /^\/(?:$|station\/|line\/)/;
  var FONTS = ["12.5px 'Routemap Sans'", "bold 12.5px 'Routemap Sans'"];
  var FONT_STACK_LOADED = '"Routemap Sans", "Noto Sans", Arial, Helvetica, sans-serif';

  var state = {
    cy: null,
    selection: null, // {kind, id} or null: what the URL selects
    applied: undefined, // the selection the view was last moved for (undefined: none yet)
    tapped: null, // "station:<id>" or "line:<id>" when the selection came from a tap
    detailsPanel: null, // the details panel last seen (a new one: the page was rendered)
    detailsKey: null, // what it shows: "station:<id>", "line:<id>" or "" (nothing selected)
    data: {}, // the server's panels (<template>s) by "station:<id>" / "line:<id>"
    prefetched: false,
    pageRenders: 0
  };

  function noUpdate() {
    return window.dash_clientside.no_update;
  }

  function parseSelection(pathname) {
    var m = SELECTION.exec(pathname || '');
    if (!m) return null;
    var id;
    try { id = decodeURIComponent(m[2]); } catch (e) { id = m[2]; }
    return { kind: m[1], id: id, valid: VALID_ID.test(id) };
  }

  function sameSelection(a, b) {
    return (!a && !b) || (!!a && !!b && a.kind === b.kind && a.id === b.id);
  }

  function reducedMotion() {
    return !!window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  }

  function narrow() {
    return !!window.matchMedia && window.matchMedia('(max-width: 40em)').matches;
  }

  // ---- navigation ----------------------------------------------------------------------------
  function navigate(href) {
    var here = window.location.pathname + window.location.search + window.location.hash;
    if (href === here) return;
    var fromMap = MAP_PATH.test(window.location.pathname);
    var toMap = MAP_PATH.test(new URL(href, window.location.href).pathname);
    FIX.pushLocation(href); // the map follows at once (see onLocation)
    if (!(fromMap && toMap)) window.scrollTo(0, 0);
  }

  // The pages Dash draws (routemap/web/server/site.py, ENHANCED): the map, the route with
  // answers, the adviser view. Every other page is plain HTML from the server, loaded by an
  // ordinary link, so it never waits for Dash.
  function dashPage(url) {
    var path = url.pathname.replace(/\/+$/, '') || '/';
    return MAP_PATH.test(path) || (path === '/route' && url.search.length > 1) || path === '/adviser';
  }

  // Every change of URL (our links, dcc.Location after a search, back and forward) selects on
  // the map at once, without waiting for Dash.
  function onLocation() {
    if (MAP_PATH.test(window.location.pathname)) select(parseSelection(window.location.pathname));
  }
  FIX.afterPushState(onLocation);
  window.addEventListener('popstate', onLocation);

  document.addEventListener('click', function (event) {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var a = event.target.closest ? event.target.closest('a.js-nav') : null;
    if (!a || a.target === '_blank' || a.hasAttribute('download')) return;
    var url = new URL(a.href, window.location.href);
    if (url.origin !== window.location.origin) return;
    if (!dashPage(url)) return; // a server-rendered page: an ordinary link loads it
    event.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  });

  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    if (parseSelection(window.location.pathname)) navigate('/');
  });

  // The map controls' buttons ("zoom-in", "zoom-out", "fit"), for this map and the route
  // map (routemap_route.js); fitted(): the elements "fit" shows.
  var READABLE_ZOOM = 0.75;
  // readable: "fit" stops at READABLE_ZOOM (the main map); else it shows all it is given
  // (the route map's "Show the whole route" promises the whole route)
  function viewAction(cy, action, fitted, padding, readable) {
    var centre = { x: cy.width() / 2, y: cy.height() / 2 };
    var ms = reducedMotion() ? 0 : 150;
    cy.stop();
    if (action === 'zoom-in') {
      cy.animate({ zoom: { level: Math.min(cy.zoom() * 1.4, cy.maxZoom()), renderedPosition: centre } }, { duration: ms });
    } else if (action === 'zoom-out') {
      cy.animate({ zoom: { level: Math.max(cy.zoom() / 1.4, cy.minZoom()), renderedPosition: centre } }, { duration: ms });
    } else if (action === 'fit') {
      if (readable) readableFit(cy, fitted(), padding, ms);
      else cy.animate({ fit: { eles: fitted(), padding: padding } }, { duration: ms });
    }
  }

  // Fit these elements to the screen, but never below a zoom at which labels stay readable
  // (READABLE_ZOOM: 12.5-unit labels at 9 px or more): past that, show them at that zoom,
  // centred, and the reader pans for the rest.
  function readableFit(cy, eles, padding, ms) {
    if (eles.empty()) return;
    var bb = eles.boundingBox();
    var zoom = Math.min((cy.width() - 2 * padding) / bb.w, (cy.height() - 2 * padding) / bb.h);
    zoom = Math.min(zoom, cy.maxZoom());
    if (zoom >= READABLE_ZOOM) {
      cy.animate({ fit: { eles: eles, padding: padding } }, { duration: ms });
      return;
    }
    zoom = Math.max(READABLE_ZOOM, cy.minZoom());
    var pan = {
      x: cy.width() / 2 - (bb.x1 + bb.w / 2) * zoom,
      y: cy.height() / 2 - (bb.y1 + bb.h / 2) * zoom
    };
    cy.animate({ zoom: zoom, pan: pan }, { duration: ms });
  }

  document.addEventListener('click', function (event) {
    var button = event.target.closest ? event.target.closest('[data-cy-action]') : null;
    var cy = state.cy;
    if (!button || !cy || cy.destroyed()) return;
    viewAction(cy, button.getAttribute('data-cy-action'), function () { return cy.elements(); }, 24, true);
  });

  // ---- the keyboard: every station is a link (.rm-map-key) shown on the map when focused ------
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
    cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 0.9) },
               { duration: reducedMotion() ? 0 : 150 });
  }
  document.addEventListener('focusin', function (event) { keyFocus(event, true); });
  document.addEventListener('focusout', function (event) { keyFocus(event, false); });

  // ---- the map: selection, view -------------------------------------------------------------
  function getCy() {
    return FIX.cytoscapeOf(document.getElementById('cy'));
  }

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
        keep = cy.edges('.line-' + sel.id).union(cy.nodes('.on-' + sel.id))
          .union(cy.nodes('.name-of-' + sel.id));
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

  // The whole map if its labels stay readable there; otherwise start at the left (where every
  // route starts) at a readable size, centred on the first station. "Fit to screen" shows all.

  function initialView(cy, animate) {
    var eles = cy.elements();
    if (eles.empty()) return;
    var bb = eles.boundingBox();
    var fitZoom = Math.min((cy.width() - 48) / bb.w, (cy.height() - 48) / bb.h);
    if (fitZoom >= READABLE_ZOOM) {
      if (animate && !reducedMotion()) cy.animate({ fit: { eles: eles, padding: 24 } }, { duration: 200 });
      else cy.fit(eles, 24);
      return;
    }
    var zoom = Math.max(Math.min(READABLE_ZOOM, cy.maxZoom()), cy.minZoom());
    var first = cy.nodes().min(function (n) { return n.position('x'); }).ele;
    var pan = { x: 24 - bb.x1 * zoom, y: cy.height() / 2 - first.position('y') * zoom };
    if (animate && !reducedMotion()) cy.animate({ zoom: zoom, pan: pan }, { duration: 200 });
    else cy.viewport({ zoom: zoom, pan: pan });
  }

  function applyView() {
    var cy = state.cy;
    if (!cy || cy.destroyed()) return;
    var sel = state.selection;
    var previous = state.applied;
    if (previous !== undefined && sameSelection(previous, sel)) return;
    state.applied = sel;
    var key = sel ? sel.kind + ':' + sel.id : null;
    var fromTap = key !== null && key === state.tapped;
    state.tapped = null;
    if (fromTap) return; // the user pointed at it: do not move the map under their hand
    var duration = previous === undefined || reducedMotion() ? 0 : 250;
    cy.stop();
    if (!sel) {
      if (previous) initialView(cy, true);
      return;
    }
    if (sel.kind === 'station') {
      var node = cy.getElementById(sel.id);
      if (node.empty()) return;
      cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1) }, { duration: duration });
    } else {
      var edges = cy.edges('.line-' + sel.id);
      if (edges.empty()) return;
      readableFit(cy, edges.union(edges.connectedNodes()), 32, duration);
    }
  }

  function markDrawn(cy) {
    var done = false;
    function mark() {
      if (done) return;
      done = true;
      window.routemapMapDrawnAt = performance.now();
      var frame = document.getElementById('map-canvas');
      if (frame) frame.setAttribute('data-drawn', 'true');
    }
    cy.one('render', mark);
    // In case the first frame was drawn before we were watching.
    requestAnimationFrame(function () { requestAnimationFrame(mark); });
  }

  function fontsReady(cy) {
    if (!document.fonts || !document.fonts.load) return;
    var ready = FONTS.every(function (f) { return document.fonts.check(f); });
    if (ready) return;
    Promise.all(FONTS.map(function (f) { return document.fonts.load(f); })).then(function () {
      if (cy.destroyed()) return;
      // A new font-family string makes Cytoscape measure and draw the labels again.
      cy.nodes().style('font-family', FONT_STACK_LOADED);
    });
  }

  function setupCy(cy) {
    state.cy = cy;
    state.applied = undefined;
    FIX.quietDashCytoscape(cy);
    FIX.guardLayerTextures(cy);
    cy.on('tap', 'node.line-name', function (evt) {
      state.tapped = 'line:' + evt.target.data('line');
      navigate('/line/' + evt.target.data('line'));
    });
    cy.on('tap', 'node.station', function (evt) {
      state.tapped = 'station:' + evt.target.id();
      navigate('/station/' + evt.target.id());
    });
    cy.on('tap', 'edge', function (evt) {
      state.tapped = 'line:' + evt.target.data('line');
      navigate('/line/' + evt.target.data('line'));
    });
    fontsReady(cy);
    initialView(cy, false);
    select(parseSelection(window.location.pathname));
    markDrawn(cy);
  }

  function watchForCy() {
    var cy = getCy();
    if (cy && cy !== state.cy && cy.nodes().length > 0) setupCy(cy);
  }

  // A newly rendered map page: fill its details panel for the URL (no focus move: the page
  // came with the navigation), then fetch the whole map's data for instant selections.
  function watchForPanel() {
    var panel = document.getElementById('details');
    if (!panel || panel === state.detailsPanel) return;
    state.detailsPanel = panel;
    state.detailsKey = null;
    var sel = parseSelection(window.location.pathname);
    showDetails(sel, true);
    markLegend(sel);
    prefetch();
  }

  new MutationObserver(function () {
    watchForPanel();
    watchForCy();
  }).observe(document.documentElement, { childList: true, subtree: true });

  // ---- the details panel -------------------------------------------------------------------
  // The server writes every panel (routemap/web/server/details.py: the one wording of a
  // station's and a line's facts) and serves them as HTML <template>s; the browser only places
  // them. Data text is escaped on the server and parsed here as inert templates.
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  // The <template>s in a fragment of HTML, by their key ("station:<id>", "line:<id>").
  function templates(text) {
    var doc = new DOMParser().parseFromString(text, 'text/html');
    var found = {};
    Array.prototype.forEach.call(doc.querySelectorAll('template[data-panel]'), function (t) {
      found[t.getAttribute('data-panel')] = t;
    });
    return found;
  }

  function introPanel() {
    var source = document.getElementById('details-intro');
    var nodes = [];
    if (!source) return nodes;
    Array.prototype.forEach.call(source.childNodes, function (child) {
      var copy = child.cloneNode(true);
      if (copy.getAttribute && copy.getAttribute('data-heading')) copy.id = 'details-heading';
      nodes.push(copy);
    });
    return nodes;
  }

  function panelUrl(sel) {
    return '/_panels/' + sel.kind + '/' + encodeURIComponent(sel.id);
  }

  // Show what the URL selects; "initial": the panel came with the page (focus stays put).
  function showDetails(sel, initial) {
    var body = document.getElementById('details-body');
    if (!body) return;
    var key = sel ? sel.kind + ':' + sel.id : '';
    if (key === state.detailsKey) return;
    state.detailsKey = key;
    if (!sel) return render(body, introPanel(), initial);
    if (state.data[key] !== undefined) {
      return render(body, [document.importNode(state.data[key].content, true)], initial);
    }
    fetch(panelUrl(sel), { headers: { Accept: 'text/html' } }).then(function (r) {
      if (!r.ok && r.status !== 404) throw new Error('HTTP ' + r.status);
      return r.text();
    }).then(function (text) {
      var all = templates(text);
      var found = all[key] || all[Object.keys(all)[0]]; // the server's key for an odd address
      if (!found) throw new Error('no panel for ' + key);
      state.data[key] = found;
      if (state.detailsKey !== key) return; // the selection moved on meanwhile
      state.detailsKey = null;
      showDetails(sel, initial);
    }).catch(function () {
      if (state.detailsKey !== key) return;
      render(body, [
        el('h2', { id: 'details-heading', class: 'rm-heading-m', tabindex: '-1', 'data-title': 'Details not loaded' },
           ['The details could not be loaded']),
        el('p', { class: 'rm-body' }, ['Check your connection and reload the page.'])
      ], initial);
    });
  }

  function render(body, nodes, initial) {
    body.replaceChildren.apply(body, nodes);
    var h = document.getElementById('details-heading');
    var service = document.querySelector('.rm-header__service');
    if (h && service && h.getAttribute('data-title')) {
      document.title = h.getAttribute('data-title') + ' \u2013 ' + service.textContent;
    }
    var panel = document.getElementById('details');
    if (panel) panel.scrollTop = 0;
    if (h && (!initial || (narrow() && parseSelection(window.location.pathname)))) {
      h.focus({ preventScroll: !narrow() });
    }
  }

  // Every station's and line's panel at once, so selections need no request.
  function prefetch() {
    if (state.prefetched) return;
    state.prefetched = true;
    var go = function () {
      fetch('/_panels', { headers: { Accept: 'text/html' } }).then(function (r) {
        return r.ok ? r.text() : null;
      }).then(function (text) {
        if (text === null) { state.prefetched = false; return; }
        var found = templates(text);
        Object.keys(found).forEach(function (key) { state.data[key] = found[key]; });
      }).catch(function () { state.prefetched = false; });
    };
    if (window.requestIdleCallback) window.requestIdleCallback(go, { timeout: 1500 });
    else setTimeout(go, 300);
  }

  // ---- clientside callbacks ------------------------------------------------------------------
  var routemap = {
    pageKey: function (pathname, routes, current) {
      var path = pathname || '/';
      if (path.length > 1 && path.charAt(path.length - 1) === '/') path = path.replace(/\/+$/, '') || '/';
      var key = 'not-found';
      for (var i = 0; i < (routes || []).length; i++) {
        var r = routes[i];
        var hit = r.exact.indexOf(path) >= 0 || r.prefixes.some(function (p) {
          return path.indexOf(p) === 0 && path.length > p.length;
        });
        if (hit) { key = r.key; break; }
      }
      return key === current ? noUpdate() : key;
    },

    setTitle: function (title) {
      if (title) document.title = title;
      return noUpdate();
    },

    navState: function (key, ids) {
      var classes = ids.map(function (id) {
        return 'rm-nav__link js-nav' + (id.page === key ? ' rm-nav__link--active' : '');
      });
      var current = ids.map(function (id) { return id.page === key ? 'page' : null; });
      return [classes, current];
    },

    afterPage: function (children) {
      if (!children) return noUpdate();
      state.pageRenders += 1;
      if (state.pageRenders > 1) {
        // In-app navigation to another page: start reading at the new page's content.
        var main = document.getElementById('main-content');
        if (main) main.focus({ preventScroll: true });
      }
      if (window.location.hash) {
        var target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
        if (target) {
          setTimeout(function () {
            target.scrollIntoView();
            target.focus({ preventScroll: true });
          }, 0);
        }
      }
      return noUpdate();
    }
  };

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.routemap = routemap;
  window.routemap = {
    navigate: navigate, getCy: getCy, parseSelection: parseSelection,
    // for the route and adviser maps (routemap_route.js)
    cyHelpers: {
      quiet: FIX.quietDashCytoscape, guard: FIX.guardLayerTextures, fonts: fontsReady,
      view: viewAction
    }
  };
})();
