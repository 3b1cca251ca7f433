"""The one station view: its words, and every front door saying the same (pages, API, CLI)."""

from __future__ import annotations

import re
from html import unescape

from click.testing import CliRunner

from routemap.cli import cli
from routemap.models import Document
from routemap.stationview import document_text, station_view
from routemap.web import create_app
from routemap.web.api import Views


def test_a_document_says_its_form_code_and_whether_it_is_still_used():
    assert document_text(Document(name="Statement", code="CIC36")) == "Statement (form CIC36)"
    old = Document(name="Application", historical=True, note="Closed in 2020")
    assert document_text(old) == "Application (no longer in use). Closed in 2020"


def test_neighbours_are_grouped_with_the_lines_that_lead_there(mini_map):
    view = station_view(mini_map, "go-live")
    assert [n.id for n in view.before] == ["register-cic", "register-society"]
    after = view.after
    assert [n.id for n in after] == ["renewed"]  # one station, reached on two lines
    assert after[0].via == "the Community interest company and Registered society lines"
    assert view.caption == "Stage · Interchange"
    assert view.map_label == (
        "Go-live (Stage). Interchange: Community interest company, Registered society."
    )


def test_the_station_view_is_cached_and_refuses_unknown_ids(mini_map):
    import pytest

    from routemap.core import UnknownId

    assert station_view(mini_map, "go-live") is station_view(mini_map, "go-live")
    with pytest.raises(UnknownId):
        station_view(mini_map, "nowhere")


def test_page_api_and_cli_agree_on_a_station(real_map):
    sid = "register-cic"
    view = station_view(real_map, sid)
    assert view.documents, "the example station has documents"
    # the API: the same facts
    api = Views(real_map).station_detail(sid)
    assert [(s.station.id, s.line) for s in api.previous] == list(view.before_by_line)
    assert [ln.id for ln in api.lines] == [ln.id for ln in view.lines]
    # the page without JavaScript: the same words
    page = create_app({"ROUTEMAP": real_map}).test_client().get(f"/station/{sid}")
    html = unescape(page.get_data(as_text=True))
    for text in view.documents:
        assert f"<li>{text}</li>" in html
    assert f'<p class="rm-caption">{view.caption}</p>' in html
    # the command line: the same words
    out = CliRunner().invoke(cli, ["inspect", sid]).stdout
    for text in view.documents:
        assert f"  - {text}\n" in out
    assert re.search(rf"^Kind: {re.escape(view.caption)} ", out, re.M)
