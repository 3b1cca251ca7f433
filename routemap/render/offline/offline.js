(function () {
  document.documentElement.classList.add('has-js');
  var svg = document.querySelector('.mapwrap svg');
  var details = document.getElementById('details');
  var search = document.getElementById('find');
  var status = document.getElementById('find-status');
  var stations = Array.prototype.slice.call(svg.querySelectorAll('.station'));
  var codes = JSON.parse(document.getElementById('codes').textContent);

  function clearSelection() {
    stations.forEach(function (s) { s.classList.remove('selected'); });
  }
  function show(id, focus) {
    var article = document.getElementById('st-' + id);
    var node = svg.querySelector('[data-station="' + id + '"]');
    if (!article || !node) { return; }
    clearSelection();
    node.classList.add('selected');
    details.innerHTML = '';
    var copy = article.cloneNode(true);
    copy.removeAttribute('id');
    details.appendChild(copy);
    if (focus) { node.focus(); }
    if (node.scrollIntoView) { node.scrollIntoView({block: 'nearest', inline: 'center'}); }
  }
  function isolate(line) {
    svg.querySelectorAll('path[data-from]').forEach(function (p) {
      var mine = p.parentNode.getAttribute('data-line') === line;
      p.classList.toggle('faded', !mine);
    });
    stations.forEach(function (s) {
      var lines = (s.getAttribute('data-lines') || '').split(' ');
      s.classList.toggle('faded', lines.indexOf(line) < 0);
    });
    var list = document.getElementById('line-' + line);
    details.innerHTML = '';
    if (list) {
      var copy = list.parentNode.cloneNode(true);
      copy.removeAttribute('id');
      details.appendChild(copy);
    }
  }
  function reset() {
    svg.querySelectorAll('.faded').forEach(function (el) { el.classList.remove('faded'); });
    clearSelection();
    details.innerHTML = '<p class="muted">Select a station or a line to see its details.</p>';
  }
  svg.addEventListener('click', function (e) {
    var st = e.target.closest('.station');
    if (st) { show(st.getAttribute('data-station'), false); return; }
    var lg = e.target.closest('.legend-entry');
    if (lg) { isolate(lg.getAttribute('data-line')); }
  });
  svg.addEventListener('keydown', function (e) {
    if (e.key !== 'Enter' && e.key !== ' ') { return; }
    var st = e.target.closest('.station');
    var lg = e.target.closest('.legend-entry');
    if (st) { e.preventDefault(); show(st.getAttribute('data-station'), false); }
    else if (lg) { e.preventDefault(); isolate(lg.getAttribute('data-line')); }
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') { reset(); }
  });
  document.getElementById('reset').addEventListener('click', reset);
  document.getElementById('find-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var q = search.value.trim().toLowerCase();
    if (!q) { return; }
    var code = q.replace(/\s+/g, '').toUpperCase();
    var hit = codes[code] || null;
    if (!hit) {
      stations.some(function (s) {
        var name = s.getAttribute('data-name').toLowerCase();
        if (name.indexOf(q) >= 0) { hit = s.getAttribute('data-station'); return true; }
        return false;
      });
    }
    if (hit) { status.textContent = ''; show(hit, true); }
    else { status.textContent = 'No station matches "' + search.value + '".'; }
  });
  // zoom and pan: the map opens at a size where its labels read (9 px or more); the
  // buttons, Ctrl + wheel and + / - zoom about the middle, dragging or scrolling pans
  var wrap = svg.parentNode;
  var base = svg.viewBox.baseVal.width;
  var READABLE = 0.75;
  var zoom = READABLE;
  function setZoom(z) {
    var fit = wrap.clientWidth / base;
    z = Math.max(Math.min(z, 3), Math.min(fit, READABLE));
    var cx = (wrap.scrollLeft + wrap.clientWidth / 2) / (base * zoom);
    var cy = (wrap.scrollTop + wrap.clientHeight / 2) / svg.getBoundingClientRect().height;
    zoom = z;
    svg.style.width = (base * z) + 'px';
    wrap.scrollLeft = cx * base * z - wrap.clientWidth / 2;
    wrap.scrollTop = cy * svg.getBoundingClientRect().height - wrap.clientHeight / 2;
    wrap.setAttribute('data-zoom', z.toFixed(3));
  }
  document.querySelectorAll('[data-zoom-action]').forEach(function (b) {
    b.addEventListener('click', function () {
      var a = b.getAttribute('data-zoom-action');
      setZoom(a === 'in' ? zoom * 1.4 : a === 'out' ? zoom / 1.4 : wrap.clientWidth / base);
    });
  });
  wrap.addEventListener('wheel', function (e) {
    if (!e.ctrlKey) { return; }
    e.preventDefault();
    setZoom(e.deltaY < 0 ? zoom * 1.2 : zoom / 1.2);
  }, {passive: false});
  var drag = null;
  wrap.addEventListener('pointerdown', function (e) {
    if (e.button !== 0 || e.target.closest('.station, .legend-entry')) { return; }
    e.preventDefault();  // a drag pans; it does not select text
    drag = {x: e.clientX, y: e.clientY, left: wrap.scrollLeft, top: wrap.scrollTop};
  });
  window.addEventListener('pointermove', function (e) {
    if (!drag) { return; }
    wrap.scrollLeft = drag.left - (e.clientX - drag.x);
    wrap.scrollTop = drag.top - (e.clientY - drag.y);
  });
  window.addEventListener('pointerup', function () { drag = null; });
  setZoom(READABLE);
  wrap.scrollLeft = 0;
  wrap.scrollTop = 0;
  reset();
})();
