"""RouteMap: the graph, its indexes and its lookups."""

from __future__ import annotations

import networkx as nx
import pytest
from pydantic import ValidationError

from routemap import DataError, RouteMap, UnknownId
from routemap.validate import load_data

from .conftest import MINI


def test_graph_has_one_edge_per_consecutive_pair_keyed_by_line(mini_map):
    g = mini_map.graph
    assert set(g.nodes) == {
        "start",
        "explore",
        "register-cic",
        "register-society",
        "go-live",
        "renewed",
    }
    assert sorted(g.edges(keys=True)) == sorted(
        [
            ("start", "explore", "cic"),
            ("explore", "register-cic", "cic"),
            ("register-cic", "go-live", "cic"),
            ("go-live", "renewed", "cic"),
            ("start", "register-society", "society"),
            ("register-society", "go-live", "society"),
            ("go-live", "renewed", "society"),
        ]
    )
    assert g.nodes["explore"]["station"].name == "Explore mutualisation"


def test_graph_and_indexes_are_frozen(mini_map):
    assert nx.is_frozen(mini_map.graph)
    with pytest.raises(nx.NetworkXError):
        mini_map.graph.add_edge("start", "renewed", key="x")
    with pytest.raises(TypeError):
        mini_map.stations["new"] = None  # type: ignore[index]
    with pytest.raises(ValidationError):  # pydantic models are frozen too
        mini_map.stations["start"].name = "changed"  # type: ignore[misc]


def test_indexes(mini_map):
    assert mini_map.lines_at["go-live"] == ("cic", "society")
    assert mini_map.lines_at["explore"] == ("cic",)
    assert mini_map.interchanges == ("start", "go-live", "renewed")
    assert mini_map.origins == ("start",)
    assert mini_map.outcomes == ("renewed",)
    assert mini_map.forms["CIC36"] == ("register-cic",)
    order = mini_map.order
    assert order[0] == "start" and order[-1] == "renewed"
    for a, b in mini_map.graph.edges():
        assert order.index(a) < order.index(b)


def test_neighbours(mini_map):
    before, after = mini_map.neighbours("go-live")
    assert before == (("register-cic", "cic"), ("register-society", "society"))
    assert after == (("renewed", "cic"), ("renewed", "society"))


def test_unknown_ids_name_their_kind(mini_map):
    with pytest.raises(UnknownId) as exc:
        mini_map.station("nope")
    assert exc.value.kind == "station" and "unknown station 'nope'" in str(exc.value)
    with pytest.raises(UnknownId, match="unknown line 'nope'"):
        mini_map.line("nope")


def test_search_by_name_and_form_code(mini_map):
    assert mini_map.search("cic36") == ["register-cic"]
    assert mini_map.search("CIC 36") == ["register-cic"]
    assert mini_map.search("register")[:2] == ["register-cic", "register-society"]
    assert mini_map.search("go") == ["go-live"]
    assert mini_map.search("   ") == []
    assert mini_map.search("zzzz") == []


def test_from_data_checks_like_files_do():
    data = load_data(MINI)
    rm = RouteMap.from_data(data)
    assert len(rm.stations) == 6
    broken = type(data)(**{**data.__dict__, "lines": data.lines[:1]})
    with pytest.raises(DataError) as exc:
        RouteMap.from_data(broken)
    assert "station 'register-society' is on no line" in str(exc.value)


def test_real_map_loads(real_map):
    assert len(real_map.stations) >= 15
    assert len(real_map.lines) >= 4
    assert real_map.origins and real_map.outcomes
