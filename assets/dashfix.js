/*
 * Every place routemap's browser code reaches into a dash-cytoscape or Cytoscape.js internal,
 * in one file (the Python side is routemap/web/explorer/dashfix.py). tests/test_dashfix.py
 * checks that each internal named here is still in the bundles Dash serves, so an upgrade that
 * removes one fails a test rather than the page; tests/test_structure.py that no other script
 * names one.
 *
 * Loaded before routemap.js on the map page; exposes window.routemapDashfix.
 */
(function () {
  'use strict';

  // Cytoscape.js before 3.30.3 draws nothing when a layer texture would be larger than this.
  var MAX_LAYER_DIM = 32767;
  // The live Cytoscape instance of a dash-cytoscape element: dash-cytoscape keeps it as
  // ``_cyreg.cy`` on the element (no public way to reach it).
  function cytoscapeOf(el) {
    return el && el._cyreg && el._cyreg.cy ? el._cyreg.cy : null;
  }

  // Cytoscape.js before 3.30.3 (dash-cytoscape 1.0.2 bundles 3.28.1) draws nothing at all when
  // one of its layer textures would be wider or taller than a canvas can be, as for a long
  // straight line of stations (cytoscape.js#3258, dash-cytoscape#228). Decline such layers, as
  // 3.30.3 does: Cytoscape then draws the elements from their own caches.
  function guardLayerTextures(cy) {
    var renderer = cy.renderer && cy.renderer();
    var cache = renderer && renderer.data && renderer.data.lyrTxrCache;
    if (!cache || cache.routemapGuarded || typeof cache.getLayers !== 'function') return;
    var getLayers = cache.getLayers;
    var first = true;
    cache.getLayers = function (eles, pxRatio, lvl) {
      if (first) {
        // The first frame: draw what is in view straight away, rather than every element into
        // layer textures first (Cytoscape builds those lazily on later frames).
        first = false;
        cache.firstGet = false;
        return null;
      }
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

  // dash-cytoscape reports taps, hovers, selections and every pan or zoom back to Dash; each
  // report costs a pass over the whole page's components, and nothing here listens to them
  // (taps are handled below). Remove those listeners, and keep Cytoscape's own.
  function quietDashCytoscape(cy) {
    var listeners = cy.emitter().listeners;
    for (var i = listeners.length - 1; i >= 0; i--) {
      var source = String(listeners[i].callback);
      if (/setProps|extent\(\)|merge\(/.test(source) || (listeners[i].event === 'tapstart')) {
        listeners.splice(i, 1);
      }
    }
  }

  window.routemapDashfix = {
    cytoscapeOf: cytoscapeOf,
    guardLayerTextures: guardLayerTextures,
    quietDashCytoscape: quietDashCytoscape
  };
})();
