/*
 * routemap in the browser, for the personalised route (/route…) and the adviser view
 * (/adviser…). Loaded after routemap.js (Dash loads assets in name order).
 *
 * - The route map (#route-cy) is the map page's Cytoscape elements and stylesheet; the route
 *   is drawn by toggling classes from the page's highlight store (the clientside callback
 *   routemap.routeHighlight): the route's strokes and stations stay, the rest fades, and each
 *   station's progress is a class (filled: done; half: in progress; ring: can start...).
 *   No element is ever sent again. Tapping a station of the route shows its step in the list.
 * - A page's content says its title (data-doc-title) and, after an in-app navigation, where
 *   focus goes (data-focus: "heading", "error" for the error summary, or "none"). Focus that a
 *   re-render takes away (an adviser marking a step) is put back on the same control.
 * - "Load answers" buttons read a file in the browser and hand its text to the server through
 *   a store (dash_clientside.set_props); "Print this page" prints.
 *
 * Data text only ever goes into text nodes; nothing here parses HTML.
 */
(function () {
  'use strict';

  var MAX_FILE = 200001; // the server refuses more than 200,000 bytes, and says so
  var STATE_CLASS = {
    done: 'rm-done',
    in_place: 'rm-done',
    in_progress: 'rm-in-progress',
    not_needed: 'rm-not-needed',
    skipped: 'rm-skipped',
    can_start: 'rm-next'
  };
  var ROUTE_CLASSES = 'rm-faded rm-route rm-done rm-in-progress rm-not-needed rm-skipped rm-next rm-focus';

  var route = {
    cy: null,
    data: null,
    fittedKey: null, // the route the view was last fitted to (progress edits keep the view)
    contentKey: null, // the content last seen (href + title): a new one is a navigation
    contents: 0,
    lastFocusId: null
  };

  function reducedMotion() {
    return !!window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  }

  function helpers() {
    return (window.routemap && window.routemap.cyHelpers) || {};
  }

  function getRouteCy() {
    return window.routemapDashfix.cytoscapeOf(document.getElementById('route-cy'));
  }

  // ---- the route on the map ------------------------------------------------------------------
  function routeElements(cy, data) {
    var keep = cy.collection();
    (data.edges || []).forEach(function (id) { keep.merge(cy.getElementById(id)); });
    (data.stations || []).forEach(function (id) { keep.merge(cy.getElementById(id)); });
    return keep;
  }

  function drawRoute() {
    var cy = route.cy;
    if (!cy || cy.destroyed()) return;
    var data = route.data;
    var keep = null;
    cy.batch(function () {
      cy.elements().removeClass(ROUTE_CLASSES);
      if (!data || !data.stations || !data.stations.length) return;
      keep = routeElements(cy, data);
      cy.elements().difference(keep).addClass('rm-faded');
      keep.edges().addClass('rm-route');
      var states = data.states || {};
      Object.keys(states).forEach(function (id) {
        var cls = STATE_CLASS[states[id]];
        if (cls) cy.getElementById(id).addClass(cls);
      });
    });
    var canvas = document.getElementById('route-map-canvas');
    if (!keep) {
      route.fittedKey = null;
      if (canvas) canvas.removeAttribute('data-route');
      return;
    }
    // The map may have been hidden until now (no route): measure it again before fitting,
    // and wait while it has no size yet.
    cy.resize();
    if (!cy.width() || !cy.height()) {
      if ((route.waits = (route.waits || 0) + 1) < 50) setTimeout(drawRoute, 50);
      return;
    }
    route.waits = 0;
    if (data.key !== route.fittedKey || !isFinite(cy.pan().x) || !isFinite(cy.zoom())) {
      route.fittedKey = data.key;
      initialView(cy, keep, data.here);
    }
    if (canvas) {
      canvas.setAttribute('data-route', String(data.stations.length));
      canvas.setAttribute('data-drawn', 'true');
    }
  }

  // The whole route if its labels stay readable; otherwise a readable zoom centred on where
  // the applicant is ("here": the first step that can start or is under way).
  var READABLE_ZOOM = 0.7;
  function initialView(cy, keep, here) {
    cy.stop();
    var bb = keep.boundingBox();
    var fitZoom = Math.min((cy.width() - 60) / bb.w, (cy.height() - 60) / bb.h);
    if (fitZoom >= READABLE_ZOOM * 0.85 || !here) {
      cy.fit(keep, 30);
      return;
    }
    var node = cy.getElementById(here);
    var zoom = Math.max(Math.min(READABLE_ZOOM, cy.maxZoom()), cy.minZoom());
    var at = node.empty() ? { x: (bb.x1 + bb.x2) / 2, y: (bb.y1 + bb.y2) / 2 } : node.position();
    // a readable zoom, with "here" a third of the way across (the route runs left to right)
    cy.viewport({ zoom: zoom, pan: { x: cy.width() / 3 - at.x * zoom, y: cy.height() / 2 - at.y * zoom } });
  }

  function setupRouteCy(cy) {
    route.cy = cy;
    route.fittedKey = null;
    var h = helpers();
    if (h.quiet) h.quiet(cy);
    if (h.guard) h.guard(cy);
    if (h.fonts) h.fonts(cy);
    cy.on('tap', 'node', function (evt) { showStep(evt.target.id()); });
    drawRoute();
  }

  function markFocus(id) {
    var cy = route.cy;
    if (!cy || cy.destroyed()) return;
    cy.nodes('.rm-focus').removeClass('rm-focus');
    if (id) cy.getElementById(id).addClass('rm-focus');
  }

  function showStep(id) {
    var item = document.getElementById('step-' + id);
    if (!item) return; // not on the route
    markFocus(id);
    item.scrollIntoView({ block: 'center', behavior: reducedMotion() ? 'auto' : 'smooth' });
    item.focus({ preventScroll: true });
  }

  // A step of the list that takes focus (or the pointer) is marked on the map.
  document.addEventListener('focusin', function (event) {
    var item = event.target.closest ? event.target.closest('.rm-step[data-station]') : null;
    if (item) markFocus(item.getAttribute('data-station'));
    var el = event.target;
    if (el && el.id && el.closest && el.closest('.rm-route-page, .rm-questions')) {
      route.lastFocusId = el.id;
    }
  });

  document.addEventListener('click', function (event) {
    var button = event.target.closest ? event.target.closest('[data-route-action]') : null;
    var cy = route.cy;
    var view = helpers().view;
    if (!button || !cy || cy.destroyed() || !view) return;
    view(cy, button.getAttribute('data-route-action'), function () {
      var data = route.data;
      return data && data.stations && data.stations.length ? routeElements(cy, data) : cy.elements();
    }, 30);
  });

  // ---- content: title and focus --------------------------------------------------------------
  function watchContent() {
    var content = document.querySelector('.rm-content[data-doc-title]');
    if (!content) return;
    var title = content.getAttribute('data-doc-title');
    var key = window.location.href + '\n' + title;
    if (key === route.contentKey) {
      restoreFocus();
      return;
    }
    route.contentKey = key;
    route.contents += 1;
    var service = document.querySelector('.rm-header__service');
    if (title && service) document.title = title + ' \u2013 ' + service.textContent;
    if (route.contents === 1) return; // the page as loaded: focus stays where the browser put it
    var focus = content.getAttribute('data-focus');
    var target = null;
    if (focus === 'error') target = document.querySelector('[data-error-summary]');
    if (focus === 'heading' || (focus === 'error' && !target)) target = content.querySelector('h1');
    if (target) {
      if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: 'nearest' });
    } else {
      restoreFocus();
    }
  }

  function restoreFocus() {
    var active = document.activeElement;
    if (active && active !== document.body && active !== document.documentElement) return;
    if (!route.lastFocusId) return;
    var el = document.getElementById(route.lastFocusId);
    if (el) el.focus({ preventScroll: true });
  }

  function watchRouteCy() {
    var cy = getRouteCy();
    if (cy && cy !== route.cy && cy.nodes().length > 0) setupRouteCy(cy);
  }

  new MutationObserver(function () {
    watchRouteCy();
    watchContent();
  }).observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-doc-title'] });

  // ---- answers files and printing -----------------------------------------------------------
  document.addEventListener('click', function (event) {
    var button = event.target.closest ? event.target.closest('[data-load-answers]') : null;
    if (!button) return;
    var target = button.getAttribute('data-load-answers');
    var input = document.createElement('input');
    input.type = 'file';
    input.accept = '.json,.yaml,.yml,application/json,application/yaml,text/yaml,text/plain';
    input.className = 'rm-vh';
    input.setAttribute('aria-hidden', 'true');
    input.tabIndex = -1;
    input.addEventListener('change', function () {
      var file = input.files && input.files[0];
      input.remove();
      if (!file) return;
      var reader = new FileReader();
      reader.onload = function () {
        window.dash_clientside.set_props(target, {
          data: { name: file.name, text: String(reader.result), at: Date.now() }
        });
      };
      reader.readAsText(file.slice(0, MAX_FILE));
    });
    document.body.appendChild(input);
    input.click();
  });

  document.addEventListener('click', function (event) {
    var button = event.target.closest ? event.target.closest('[data-print]') : null;
    if (button) window.print();
  });

  // ---- clientside callbacks ---------------------------------------------------------------------
  window.dash_clientside = window.dash_clientside || {};
  var ns = window.dash_clientside.routemap = window.dash_clientside.routemap || {};
  ns.routeHighlight = function (data) {
    route.data = data || null;
    // after the page has drawn (the map may have just been shown)
    requestAnimationFrame(function () { requestAnimationFrame(drawRoute); });
    return window.dash_clientside.no_update;
  };
  window.routemapRoute = { draw: drawRoute, getCy: getRouteCy, showStep: showStep };
})();
