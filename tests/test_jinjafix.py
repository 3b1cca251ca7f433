"""The pages' faster escape (``routemap/web/jinjafix.py``) is MarkupSafe's own: the same
result for every kind of value, every template of the app uses it, and the pages come out
byte for byte as with Jinja's own escaping. Each test fails when a Jinja or MarkupSafe upgrade
takes away what the module relies on."""

from __future__ import annotations

import re
from html import unescape

import markupsafe
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from routemap.web import create_app, jinjafix
from routemap.web.answerlink import profile_query

from .conftest import persona_doc


class Html:
    def __html__(self):
        return "<b>kept</b>"


class Subclass(str):
    pass


class Shown:
    def __str__(self):
        return "<i>&'\"</i>"


values = st.one_of(
    st.text(),
    st.text(st.sampled_from("a<&\"'\x80\x9f\xa0£–“\u2028\U0001f600"), max_size=8),
    st.text(alphabet="<>&'\"ab ").map(Subclass),
    st.text(alphabet="<>&'\"ab ").map(Markup),
    st.integers(),
    st.floats(allow_nan=False),
    st.none(),
    st.booleans(),
    st.just(Html()),
    st.just(Shown()),
)


@given(values)
def test_escape_gives_what_markupsafe_gives_in_ascii(value):
    """The same text once its character references are read; ASCII, unless the value was
    already safe (``Markup``, ``__html__``), which is passed on as it is."""
    ours, theirs = jinjafix.escape(value), markupsafe.escape(value)
    assert type(ours) is type(theirs) is Markup
    assert unescape(ours) == unescape(theirs)
    if isinstance(value, Markup) or hasattr(value, "__html__"):
        assert str(ours) == str(theirs)
    elif any("\x80" <= ch <= "\x9f" for ch in str(theirs)):  # no reference says these
        assert str(ours) == str(theirs)
    else:
        assert ours.isascii()
        if str(theirs).isascii():
            assert str(ours) == str(theirs)


def test_the_c_escaper_is_still_there():
    assert jinjafix._escape_inner is not None
    text = "<a href='x'>&</a>"
    assert jinjafix._escape_inner(text) == str(markupsafe.escape(text))


@pytest.fixture(scope="module")
def apps(real_map):
    fast = create_app({"ROUTEMAP": real_map})
    mp = pytest.MonkeyPatch()
    mp.setattr(jinjafix, "install", lambda app: None)
    try:
        plain = create_app({"ROUTEMAP": real_map})
    finally:
        mp.undo()
    return fast, plain


def test_every_template_of_the_app_escapes_with_it(apps):
    fast, plain = apps
    for name in fast.jinja_env.list_templates():
        template = fast.jinja_env.get_template(name)
        assert template.root_render_func.__globals__["escape"] is jinjafix.escape, name
    template = plain.jinja_env.get_template("route.html")
    assert template.root_render_func.__globals__["escape"] is markupsafe.escape


def test_installing_after_the_templates_are_made_is_refused(apps):
    with pytest.raises(RuntimeError):
        jinjafix.install(apps[0])


def persona_link(rm, name: str) -> str:
    from routemap.route import parse_answers

    answers = dict(persona_doc(name)["answers"])
    progress = {k: answers.pop(k) for k in ("done",) if k in answers}
    return profile_query(rm, parse_answers(rm, answers, progress))


def test_the_pages_say_the_same_with_either_escape_and_are_ascii(apps, real_map):
    fast, plain = apps
    station = next(iter(real_map.stations))
    line = next(iter(real_map.lines))
    hostile = "?staff_count=%3Cscript%3Ealert(1)%3C/script%3E&x=%22%27%26"
    paths = [
        "/",
        f"/station/{station}",
        f"/line/{line}",
        "/text",
        "/about",
        "/route",
        "/search?q=%3Cb%3Ecase",
        "/no/such/page%3Cb%3E",
        "/route" + hostile,
        "/adviser" + hostile,
    ]
    for name in ("nhs-part-way", "council-care-profit-share", "council-childrens-social-care"):
        own = persona_link(real_map, name)
        paths += [
            f"/route{own}",
            f"/adviser{own}",
            f"/route/whatif{own}",
            f"/compare{own}",
            f"/route/check{own}",
            f"/adviser/print{own}",
        ]
    for path in paths:
        a = fast.test_client().get(path, headers={"Accept": "text/html"})
        b = plain.test_client().get(path, headers={"Accept": "text/html"})
        assert a.status_code == b.status_code, path
        assert unescape(same(a.get_data()).decode()) == unescape(same(b.get_data()).decode()), path
        # every page in ASCII: joined and encoded a byte a character (see jinjafix.py)
        assert a.get_data().isascii(), (
            path,
            {ch for ch in a.get_data(as_text=True) if ord(ch) > 127},
        )


def same(page: bytes) -> bytes:
    """A page without what differs between two apps anyway: the explorer's per-app token."""
    return re.sub(rb'"end_id":"[^"]*"', b'"end_id":""', page)
