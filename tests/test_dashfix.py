"""The framework internals routemap relies on (``routemap/web/explorer/dashfix.py`` and
``assets/dashfix.js``) are still there: each test fails when a Dash or dash-cytoscape upgrade
removes or renames one, before a page breaks. (``test_structure.py`` checks that no other
module names one.)"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import dash
import dash_cytoscape

from routemap.web import create_app
from routemap.web.explorer.dashfix import DEV_TOOL_SWITCHES, ENTRY_POINT, page_tags

ROOT = Path(__file__).resolve().parent.parent
DASH = Path(dash.__file__).parent
RENDERER = DASH / "dash-renderer" / "build" / "dash_renderer.min.js"
CYTOSCAPE = Path(dash_cytoscape.__file__).parent / "dash_cytoscape.min.js"
FIX_JS = (ROOT / "assets" / "dashfix.js").read_text(encoding="utf-8")


def test_dev_tools_setup_still_takes_every_switch():
    params = inspect.signature(dash.Dash._setup_dev_tools).parameters
    accepts_any = any(p.kind is p.VAR_KEYWORD for p in params.values())
    assert accepts_any or all(s in params for s in DEV_TOOL_SWITCHES)
    source = inspect.getsource(dash.Dash._setup_dev_tools)
    for switch in DEV_TOOL_SWITCHES:  # each still read (else the override sets nothing)
        assert f'"{switch}"' in source or f"'{switch}'" in source, switch


def test_the_renderer_still_mounts_into_the_entry_point():
    assert f'id="{ENTRY_POINT}"' in dash.dash._app_entry
    assert ENTRY_POINT in RENDERER.read_text(encoding="utf-8")


def test_the_map_page_carries_what_dashs_own_index_page_would(real_map):
    app = create_app({"ROUTEMAP": real_map})
    explorer = app.extensions["routemap.explorer"].dash
    with app.test_request_context("/"):
        tags = str(page_tags(explorer))
        index = explorer.index()

    # Dash's own index page writes the same config, scripts and renderer start (the config's
    # end_id is new for every page load)
    def same(text):
        return re.sub(r'"end_id":"[^"]*"', '"end_id":""', text)

    tags, index = same(tags), same(index)
    pieces = re.findall(r"<script[^>]*>.*?</script>", tags, flags=re.S)
    assert len(pieces) > 3
    for piece in pieces:
        assert piece in index, piece[:80]
    assert '<script id="_dash-config" type="application/json">' in tags
    assert "new DashRenderer()" in tags and "dash_cytoscape" in tags
    page = app.test_client().get("/").get_data(as_text=True)
    assert f'<div id="{ENTRY_POINT}" class="rm-explorer"></div>' in page
    assert same(tags) in same(page)


def test_dash_cytoscape_still_keeps_its_instance_and_the_layer_texture_cache():
    bundle = CYTOSCAPE.read_text(encoding="utf-8")
    assert "_cyreg" in FIX_JS and "_cyreg" in bundle
    assert "lyrTxrCache" in FIX_JS and "lyrTxrCache" in bundle
    assert "getLayers" in bundle and "firstGet" in bundle
    # the Cytoscape.js version whose texture bug the guard works round (fixed in 3.30.3)
    version = re.search(r'version\s*[:=]\s*"(3\.\d+\.\d+)"', bundle)
    assert version, "no Cytoscape.js version found in the dash-cytoscape bundle"
    major, minor, patch = (int(x) for x in version.group(1).split("."))
    assert (major, minor, patch) < (3, 30, 3), (
        f"Cytoscape.js {version.group(1)} fixes the layer texture bug: drop guardLayerTextures"
    )


def test_dash_cytoscape_still_reports_to_dash_through_listeners_we_can_remove():
    # quietDashCytoscape removes the emitter's listeners whose source calls setProps
    bundle = CYTOSCAPE.read_text(encoding="utf-8")
    assert "setProps" in bundle and "cy.emitter().listeners" in FIX_JS
