/*
 * routemap in the browser: in-app navigation, clientside callbacks and the map's view.
 *
 * Served from 'self' (the Content-Security-Policy allows no inline scripts besides Dash's own
 * hashed ones), so every clientside callback lives here, in window.dash_clientside.routemap.
 *
 * - Links with the class "js-nav" navigate inside the app (history.pushState, as dcc.Link
 *   does), so the map is not reloaded; without JavaScript they are ordinary links.
 * - The URL is the selection: /station/<id>, /line/<id> or / (nothing selected). Highlighting
 *   appends a few rules to the map's base stylesheet; the elements are never resent.
 * - Escape clears the selection; the map's buttons zoom, and fit the map to the screen.
 */
(function () {
  'use strict';

  var ID = '[a-z0-9]+(?:-[a-z0-9]+)*';
  var SELECTION = new RegExp('^/(station|line)/(' + ID + ')/?$');
  var MAP_PATH = /^\/(?:$|station\/|line\/)/;
  var FONTS = ["12.5px 'Routemap Sans'", "bold 12.5px 'Routemap Sans'"];
  var FONT_STACK_LOADED = '"Routemap Sans", "Noto Sans", Arial, Helvetica, sans-serif';
  var HIGHLIGHT = '#ffdd00';

  var state = {
    cy: null,
    selection: null, // {kind, id} wanted on the map
    applied: undefined, // the selection last applied to the view (undefined: none yet)
    tapped: null, // "station:<id>" or "line:<id>" when the last selection came from the map
    detailsPanel: null, // the details panel last seen (a new one: the page was rendered)
    pageRenders: 0
  };

  function noUpdate() {
    return window.dash_clientside.no_update;
  }

  function parseSelection(pathname) {
    var m = SELECTION.exec(pathname || '');
    return m ? { kind: m[1], id: m[2] } : null;
  }

  function sameSelection(a, b) {
    return (!a && !b) || (!!a && !!b && a.kind === b.kind && a.id === b.id);
  }

  function narrow() {
    return window.matchMedia && window.matchMedia('(max-width: 40em)').matches;
  }

  // ---- navigation ----------------------------------------------------------------------------
  function navigate(href) {
    var here = window.location.pathname + window.location.search + window.location.hash;
    if (href === here) return;
    var fromMap = MAP_PATH.test(window.location.pathname);
    window.history.pushState({}, '', href);
    // dcc.Location listens for this event (dcc.Link dispatches it the same way).
    window.dispatchEvent(new CustomEvent('_dashprivate_pushstate'));
    var toMap = MAP_PATH.test(new URL(href, window.location.href).pathname);
    if (!(fromMap && toMap)) window.scrollTo(0, 0);
  }

  document.addEventListener('click', function (event) {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var a = event.target.closest ? event.target.closest('a.js-nav') : null;
    if (!a || a.target === '_blank' || a.hasAttribute('download')) return;
    var url = new URL(a.href, window.location.href);
    if (url.origin !== window.location.origin) return;
    event.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  });

  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    if (parseSelection(window.location.pathname)) {
      navigate('/');
    }
  });

  document.addEventListener('click', function (event) {
    var button = event.target.closest ? event.target.closest('[data-cy-action]') : null;
    if (!button || !state.cy) return;
    var cy = state.cy;
    var action = button.getAttribute('data-cy-action');
    var centre = { x: cy.width() / 2, y: cy.height() / 2 };
    if (action === 'zoom-in') {
      cy.animate({ zoom: { level: Math.min(cy.zoom() * 1.4, cy.maxZoom()), renderedPosition: centre } }, { duration: 150 });
    } else if (action === 'zoom-out') {
      cy.animate({ zoom: { level: Math.max(cy.zoom() / 1.4, cy.minZoom()), renderedPosition: centre } }, { duration: 150 });
    } else if (action === 'fit') {
      cy.stop();
      cy.animate({ fit: { eles: cy.elements(), padding: 24 } }, { duration: 200 });
    }
  });

  // ---- the map's view ------------------------------------------------------------------------
  function getCy() {
    var el = document.getElementById('cy');
    return el && el._cyreg && el._cyreg.cy ? el._cyreg.cy : null;
  }

  function initialView(cy, animate) {
    var eles = cy.elements();
    if (eles.empty()) return;
    if (!narrow()) {
      if (animate) cy.animate({ fit: { eles: eles, padding: 24 } }, { duration: 200 });
      else cy.fit(eles, 24);
      return;
    }
    // On a phone the whole map would be too small to read: fill the height, start at the left.
    var bb = eles.boundingBox();
    var zoom = Math.max(Math.min((cy.height() - 24) / bb.h, 1, cy.maxZoom()), cy.minZoom());
    var pan = { x: 12 - bb.x1 * zoom, y: (cy.height() - bb.h * zoom) / 2 - bb.y1 * zoom };
    if (animate) cy.animate({ zoom: zoom, pan: pan }, { duration: 200 });
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
    var fromMap = key !== null && key === state.tapped;
    state.tapped = null;
    if (fromMap) return; // the user pointed at it: do not move the map under their hand
    cy.stop();
    if (!sel) {
      if (previous) initialView(cy, true);
      return;
    }
    if (sel.kind === 'station') {
      var node = cy.getElementById(sel.id);
      if (node.empty()) return;
      cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1) }, { duration: previous === undefined ? 0 : 250 });
    } else {
      var edges = cy.edges('.line-' + sel.id);
      if (edges.empty()) return;
      var eles = edges.union(edges.connectedNodes());
      cy.animate({ fit: { eles: eles, padding: 32 } }, { duration: previous === undefined ? 0 : 250 });
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

  // Cytoscape.js before 3.30.3 (dash-cytoscape 1.0.2 bundles 3.28.1) draws nothing at all when
  // one of its layer textures would be wider or taller than a canvas can be, as for a long
  // straight line of stations (cytoscape.js#3258, dash-cytoscape#228). Decline such layers, as
  // 3.30.3 does: Cytoscape then draws the elements from their own caches.
  var MAX_LAYER_DIM = 32767;
  function guardLayerTextures(cy) {
    var renderer = cy.renderer && cy.renderer();
    var cache = renderer && renderer.data && renderer.data.lyrTxrCache;
    if (!cache || cache.routemapGuarded || typeof cache.getLayers !== 'function') return;
    var getLayers = cache.getLayers;
    cache.getLayers = function (eles, pxRatio, lvl) {
      var level = lvl;
      if (level == null) level = Math.max(Math.ceil(Math.log2(cy.zoom() * pxRatio)), -4);
      var scale = Math.pow(2, level);
      var x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
      for (var i = 0; i < eles.length; i++) {
        var bb = eles[i].boundingBox();
        if (bb.x1 < x1) x1 = bb.x1;
        if (bb.y1 < y1) y1 = bb.y1;
        if (bb.x2 > x2) x2 = bb.x2;
        if (bb.y2 > y2) y2 = bb.y2;
      }
      if ((x2 - x1) * scale > MAX_LAYER_DIM || (y2 - y1) * scale > MAX_LAYER_DIM) return null;
      return getLayers.apply(this, arguments);
    };
    cache.routemapGuarded = true;
  }

  function setupCy(cy) {
    guardLayerTextures(cy);
    state.cy = cy;
    state.applied = undefined;
    cy.on('tap', 'node', function (evt) { state.tapped = 'station:' + evt.target.id(); });
    cy.on('tap', 'edge', function (evt) { state.tapped = 'line:' + evt.target.data('line'); });
    fontsReady(cy);
    initialView(cy, false);
    applyView();
    markDrawn(cy);
  }

  function watchForCy() {
    var cy = getCy();
    if (cy && cy !== state.cy && cy.nodes().length > 0) setupCy(cy);
  }

  new MutationObserver(watchForCy).observe(document.documentElement, { childList: true, subtree: true });

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

    afterPage: function (children, key) {
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
            if (target.tabIndex >= -1) target.focus({ preventScroll: true });
          }, 0);
        }
      }
      return noUpdate();
    },

    tapNode: function (data) {
      if (!data || !data.id) return noUpdate();
      var href = '/station/' + data.id;
      return href === window.location.pathname ? noUpdate() : href;
    },

    tapEdge: function (data) {
      if (!data || !data.line) return noUpdate();
      var href = '/line/' + data.line;
      return href === window.location.pathname ? noUpdate() : href;
    },

    mapPath: function (pathname, current) {
      // Copy the URL's path to the map page (if shown) when it is a map path.
      if (!current || !current.length || !MAP_PATH.test(pathname || '/')) return noUpdate();
      if (current[0] === pathname) return noUpdate();
      return current.map(function () { return pathname; });
    },

    stylesheet: function (paths, base) {
      var pathname = paths && paths.length ? paths[0] : null;
      if (!base || !base.length || pathname === null) return noUpdate();
      if (!MAP_PATH.test(pathname || '/')) return noUpdate();
      var sel = parseSelection(pathname);
      var extra = [];
      if (sel && sel.kind === 'station') {
        extra.push({
          selector: 'node[id = "' + sel.id + '"]',
          style: {
            'underlay-color': HIGHLIGHT,
            'underlay-opacity': 1,
            'underlay-padding': 7,
            'underlay-shape': 'round-rectangle',
            'border-color': '#0b0c0c',
            'border-width': 4,
            'z-index': 10
          }
        });
      } else if (sel && sel.kind === 'line') {
        extra.push({ selector: 'edge', style: { opacity: 0.12 } });
        extra.push({ selector: 'node', style: { opacity: 0.25 } });
        extra.push({ selector: 'edge.line-' + sel.id, style: { opacity: 1, 'z-index': 5 } });
        extra.push({ selector: 'edge.line-' + sel.id + '.historical', style: { opacity: 0.75 } });
        extra.push({ selector: 'node.on-' + sel.id, style: { opacity: 1 } });
      }
      state.selection = sel;
      setTimeout(applyView, 0);
      return base.concat(extra);
    },

    afterDetails: function (children) {
      // Rendered with the page (a load or a link from another page), or changed by a selection?
      var panel = document.getElementById('details');
      var initial = panel !== state.detailsPanel;
      state.detailsPanel = panel;
      if (initial && !(narrow() && parseSelection(window.location.pathname))) return noUpdate();
      var heading = document.getElementById('details-heading');
      if (heading) heading.focus({ preventScroll: !narrow() });
      return noUpdate();
    }
  };

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.routemap = routemap;
  window.routemap = { navigate: navigate, getCy: getCy, parseSelection: parseSelection };
})();
