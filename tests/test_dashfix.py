"""The framework internals routemap relies on (``routemap/web/dashfix.py`` and
``assets/dashfix.js``) are still there: each test fails when a Dash or dash-cytoscape upgrade
removes or renames one, before a page breaks."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import dash
import dash_cytoscape
from markupsafe import Markup

from routemap.web import create_app
from routemap.web.dashfix import DEV_TOOL_SWITCHES, ENTRY_POINT

ROOT = Path(__file__).resolve().parent.parent
DASH = Path(dash.__file__).parent
RENDERER = DASH / "dash-renderer" / "build" / "dash_renderer.min.js"
DCC = DASH / "dcc" / "dash_core_components.js"
CYTOSCAPE = Path(dash_cytoscape.__file__).parent / "dash_cytoscape.min.js"
FIX_JS = (ROOT / "assets" / "dashfix.js").read_text(encoding="utf-8")


def test_dev_tools_setup_still_takes_every_switch():
    params = inspect.signature(dash.Dash._setup_dev_tools).parameters
    accepts_any = any(p.kind is p.VAR_KEYWORD for p in params.values())
    assert accepts_any or all(s in params for s in DEV_TOOL_SWITCHES)
    source = inspect.getsource(dash.Dash._setup_dev_tools)
    for switch in DEV_TOOL_SWITCHES:  # each still read (else the override sets nothing)
        assert f'"{switch}"' in source or f"'{switch}'" in source, switch


def test_the_index_page_is_built_through_interpolate_index_with_the_entry_point():
    source = inspect.getsource(dash.Dash.index)
    assert "self.interpolate_index(" in source and "app_entry=" in source
    assert f'id="{ENTRY_POINT}"' in dash.dash._app_entry
    # and the renderer still mounts into that element
    assert ENTRY_POINT in RENDERER.read_text(encoding="utf-8")


def test_server_html_lands_in_the_entry_point(real_map):
    app = create_app({"ROUTEMAP": real_map})
    app.server_render = lambda path, query: (Markup("<p id='ssr'>from the server</p>"), "T")
    page = app.server.test_client().get("/").get_data(as_text=True)
    assert re.search(rf'<div id="{ENTRY_POINT}"><p id=\'ssr\'>from the server</p></div>', page)
    assert "<title>T</title>" in page and "Loading..." not in page


def test_dcc_location_still_listens_for_the_private_pushstate_event():
    name = re.search(r"DASH_PUSHSTATE = '([^']+)'", FIX_JS).group(1)
    assert name in DCC.read_text(encoding="utf-8")


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


def test_a_failed_server_render_still_serves_dashs_page(real_map, caplog):
    app = create_app({"ROUTEMAP": real_map})

    def broken(path, query):
        raise RuntimeError("broken page")

    app.server_render = broken
    r = app.server.test_client().get("/")
    assert r.status_code == 200
    assert "Loading..." in r.get_data(as_text=True)  # the explorer still draws it
    assert "broken page" in caplog.text
