"""The offline interactive page: one self-contained HTML file, no network request of any kind.

The SVG map, the CSS and a little JavaScript are inline; the font is embedded in the SVG. The
whole map is also written out as text (every line as a numbered list, every station's details
with its sources), so the page reads fully with JavaScript off. With JavaScript on, a station
click (or Enter on a focused station) shows its details beside the map, a legend entry
isolates its line, the search box finds a station by name or form code, and Escape resets.
The map opens at a zoom where its labels read, and zooms (buttons, Ctrl + wheel) and pans
(drag, scroll).
A Content-Security-Policy meta tag forbids every fetch, so nothing can call home.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape

from ..core import RouteMap
from .svg import render_svg

CSS = """
*{box-sizing:border-box}
body{margin:0;font-family:'Routemap Sans','Noto Sans',Arial,sans-serif;color:#0b0c0c;
background:#fff;line-height:1.45}
header,main{max-width:1400px;margin:0 auto;padding:16px 24px}
header{border-bottom:6px solid #1d70b8}
h1{font-size:2rem;margin:.2em 0}
h2{font-size:1.5rem;margin:1.2em 0 .4em}
h3{font-size:1.15rem;margin:1em 0 .3em}
a{color:#1d70b8}
a:focus,button:focus,input:focus,[tabindex]:focus{outline:3px solid #ffdd00;
outline-offset:0;box-shadow:0 -2px #ffdd00,0 4px #0b0c0c}
.toolbar{display:flex;flex-wrap:wrap;gap:12px;align-items:end;margin:12px 0}
.toolbar label{display:block;font-weight:700}
.toolbar input{font:inherit;padding:6px;border:2px solid #0b0c0c;width:22em;max-width:100%}
.toolbar button{font:inherit;padding:7px 12px;border:0;background:#00703c;color:#fff;
box-shadow:0 2px 0 #002d18;cursor:pointer}
.mapwrap{overflow:auto;border:1px solid #b1b4b6;max-height:75vh}
.mapwrap{cursor:grab}
.mapwrap svg{display:block;width:100%;height:auto}
.station,.legend-entry{cursor:pointer}
.station.selected rect{stroke:#d4351c;stroke-width:4}
#details{border-left:6px solid #1d70b8;padding:4px 16px;margin:16px 0;min-height:3em}
.muted{color:#505a5f}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}
dt{font-weight:700}
dd{margin:0}
.js-only{display:none}
.has-js .js-only{display:block}
"""

SCRIPT = r"""
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
    if (e.target.closest('.station, .legend-entry')) { return; }
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
"""


def _station_article(rm: RouteMap, sid: str) -> str:
    st = rm.stations[sid]
    e = escape
    rows = [("Kind", e(st.kind)), ("Who is involved", e("; ".join(st.who)))]
    if st.documents:
        docs = "".join(
            f"<li>{e(d.name)}{f' ({e(d.code)})' if d.code else ''}"
            f"{' (no longer in use)' if d.historical else ''}</li>"
            for d in st.documents
        )
        rows.append(("Forms and documents", f"<ul>{docs}</ul>"))
    rows.append(("Duration", e(st.duration.text)))
    rows.append(("Cost", e(st.cost)))
    if st.status == "historical":
        rows.append(("Status", e(f"Historical: closed {st.closed}")))
    if st.eligibility:
        rows.append(("Eligibility", e(st.eligibility)))
    lines = ", ".join(
        f'<a href="#line-{e(lid)}">{e(rm.lines[lid].name)}</a>' for lid in rm.lines_at[sid]
    )
    rows.append(("Lines", lines))
    before, after = rm.neighbours(sid)
    nbrs = sorted({s for s, _ in before} | {s for s, _ in after}, key=rm.rank.__getitem__)
    if nbrs:
        rows.append(
            (
                "Next to",
                ", ".join(f'<a href="#st-{e(s)}">{e(rm.stations[s].name)}</a>' for s in nbrs),
            )
        )
    if st.support:
        rows.append(
            (
                "Support offers",
                ", ".join(f'<a href="#st-{e(s)}">{e(rm.stations[s].name)}</a>' for s in st.support),
            )
        )
    for ex in st.examples:
        rows.append(("Seen in practice", e(ex.text + (f" ({ex.date})" if ex.date else ""))))
    if st.note:
        rows.append(("Note", e(st.note)))
    srcs = "".join(
        f'<li><a href="{e(rm.sources[k].url)}" rel="noopener noreferrer">'
        f"{e(rm.sources[k].title)}</a></li>"
        for k in st.sources
    )
    rows.append(("Sources", f"<ul>{srcs}</ul>"))
    body = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    return (
        f'<article id="st-{e(sid)}"><h3>{e(st.name)}</h3><p>{e(st.summary)}</p>'
        f"<dl>{body}</dl></article>"
    )


def _line_lists(rm: RouteMap) -> str:
    e = escape
    out = []
    for ln in rm.data.lines:
        status = (
            f" — historical ({e(ln.opened or '')}–{e(ln.closed or '')})"
            if ln.status == "historical"
            else ""
        )
        items = []
        for sid in ln.stations:
            others = [rm.lines[x].name for x in rm.lines_at[sid] if x != ln.id]
            note = (
                f' <span class="muted">(change here for {e(", ".join(others))})</span>'
                if others
                else ""
            )
            items.append(f'<li><a href="#st-{e(sid)}">{e(rm.stations[sid].name)}</a>{note}</li>')
        out.append(
            f'<section><h3 id="line-{e(ln.id)}">{e(ln.name)}{status}</h3>'
            f"<p>{e(ln.summary)} Regulator: {e(ln.regulator)}.</p>"
            f"<ol>{''.join(items)}</ol></section>"
        )
    return "".join(out)


def render_html(rm: RouteMap, *, title: str | None = None, highlight: dict | None = None) -> str:
    import json

    svg = render_svg(rm, interactive=True, title=title, highlight=highlight, xml_declaration=False)
    # stations carry their lines and name for the script's isolate and search
    for st in rm.geometry.stations:
        svg = svg.replace(
            f'data-station="{st.id}"',
            f'data-station="{st.id}" data-lines="{" ".join(st.lines)}" '
            f'data-name="{escape(st.name)}"',
            1,
        )
    codes = {code: sids[0] for code, sids in rm.forms.items()}
    codes_json = json.dumps(codes, sort_keys=True).replace("<", "\\u003c")
    script_hash = base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode()
    csp = (
        "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{script_hash}'; base-uri 'none'; form-action 'none'"
    )
    e = escape
    heading = title or rm.info.title
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{e(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{e(heading)}</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>{e(heading)}</h1>
<p>{e(rm.info.subtitle)}. Facts as of {e(rm.info.facts_as_of)}. Not legal advice.</p>
</header>
<main>
<form id="find-form" class="toolbar js-only" role="search">
<div><label for="find">Find a station by name or form code (for example CIC36)</label>
<input id="find" type="search" autocomplete="off"></div>
<button type="submit">Find</button>
<button type="button" id="reset">Show all lines</button>
<button type="button" data-zoom-action="in" aria-label="Zoom in">+</button>
<button type="button" data-zoom-action="out" aria-label="Zoom out">&#8722;</button>
<button type="button" data-zoom-action="fit">Whole map</button>
<p id="find-status" role="status" class="muted"></p>
</form>
<div class="mapwrap">{svg}</div>
<div id="details" class="js-only" aria-live="polite"></div>
<h2>The map as text</h2>
<p>Each line is a route; stations shared by two or more lines are where you can change route.</p>
{_line_lists(rm)}
<h2>Stations</h2>
{"".join(_station_article(rm, sid) for sid in rm.order)}
<h2>About this map</h2>
<p>{e(rm.info.description)}</p>
<p>{e(rm.info.corrections)}</p>
</main>
<script type="application/json" id="codes">{codes_json}</script>
<script>{SCRIPT}</script>
</body>
</html>
"""
