"""Web archive addresses: which name one dated capture of a page and which only list captures;
and which source notes say a fact was read somewhere other than the source's address."""

from __future__ import annotations

import datetime as dt

import pytest

from routemap.archivelinks import captured_address, dated_capture, is_capture_list
from routemap.citing import source_meta
from routemap.models import Source
from routemap.validate import note_says_read_elsewhere

TODAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("url", "taken", "target"),
    [
        (
            "https://web.archive.org/web/20130804130012/https://www.opm.co.uk/blog/",
            "2013-08-04 13:00:12",
            "https://www.opm.co.uk/blog/",
        ),
        (  # the National Archives' older form, and its single-slash captured address
            "https://webarchive.nationalarchives.gov.uk/20120104143614/http:/www.dh.gov.uk/a.htm",
            "2012-01-04 14:36:14",
            "http:/www.dh.gov.uk/a.htm",
        ),
        (  # a view modifier after the timestamp
            "https://webarchive.nationalarchives.gov.uk/20110907102435oe_/http:/dh.gov.uk/x/",
            "2011-09-07 10:24:35",
            "http:/dh.gov.uk/x/",
        ),
        (
            "https://webarchive.nationalarchives.gov.uk/ukgwa/20150101000000/https://www.gov.uk/x",
            "2015-01-01 00:00:00",
            "https://www.gov.uk/x",
        ),
        (  # the captured address keeps its query
            "https://web.archive.org/web/20100101000000/http://example.org/index.php?id=3&a=b",
            "2010-01-01 00:00:00",
            "http://example.org/index.php?id=3&a=b",
        ),
    ],
)
def test_a_dated_capture_names_when_and_what(url, taken, target):
    capture = dated_capture(url, today=TODAY)
    assert capture is not None
    assert str(capture.taken) == taken and capture.target == target
    assert not is_capture_list(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://web.archive.org/web/*/http://commoncapital.blogspot.com/2015/04/x.html",
        "https://webarchive.nationalarchives.gov.uk/ukgwa/*/http://mutuals.cabinetoffice.gov.uk/c",
        "https://webarchive.nationalarchives.gov.uk/ukgwa/+/http://mutuals.cabinetoffice.gov.uk/c",
        "https://web.archive.org/web/2015/http://example.org/",  # nearest to a year
        "https://web.archive.org/web/201504/http://example.org/",
        "https://web.archive.org/web/20150101000000*/example.org",  # a prefix search
        "https://web.archive.org/web/20150101000000/http://example.org/*",
        "https://web.archive.org/web/20151301000000/http://example.org/",  # month 13
        "https://web.archive.org/web/20150230000000/http://example.org/",  # 30 February
        "https://web.archive.org/web/19950101000000/http://example.org/",  # before the archive
        "https://web.archive.org/web/20300101000000/http://example.org/",  # after today
        "https://web.archive.org/web/20150101000000/",  # no page
        "https://archive.org/web/*/example.org",
        "https://webarchive.parliament.uk/*/https://www.parliament.uk/",
        "https://webarchive.nationalarchives.gov.uk/ukgwa/search/results?q=mutuals",
    ],
)
def test_a_list_of_captures_is_not_a_page(url):
    assert dated_capture(url, today=TODAY) is None
    assert is_capture_list(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.gov.uk/guidance/start-a-public-service-mutual-the-process",
        "https://archive.org/details/some-book",  # not the Wayback Machine
        "https://www.legislation.gov.uk/ukpga/2011/20/part/5/chapter/2",
    ],
)
def test_an_ordinary_page_is_neither(url):
    assert dated_capture(url, today=TODAY) is None
    assert not is_capture_list(url)


def test_the_captured_address_is_named_in_messages():
    url = "https://web.archive.org/web/*/http://www.publicnet.co.uk/news/2011/12/06/x/"
    assert captured_address(url) == "http://www.publicnet.co.uk/news/2011/12/06/x/"


@pytest.mark.parametrize(
    "note",
    [
        "Read in a stored copy at https://pensions-preview.derbyshire.gov.uk/x.aspx.",
        "Read during the check of another source (the wiki's page): the council must decide.",
        "The fees were read in the made text as copied by BAILII.",
        "Made 14 February 2024. The amounts were seen on a mirror of the page.",
        "The article was read on another host; its own address was not found.",
    ],
)
def test_a_note_saying_the_fact_was_read_elsewhere(note):
    assert note_says_read_elsewhere(note)


@pytest.mark.parametrize(
    "note",
    [
        None,
        "Says the Regulations increase the fees; it gives no amounts.",
        "A copy of the report on a document-sharing site; the original was not found.",
        "Read at this address; published earlier, the date is that of the version read.",
        "Read at this address (an undated stored copy): the council decides in writing.",
        # a copy and a reading in different sentences say nothing about where it was read
        "A press release copied to a newsroom. The fee was read at this address.",
    ],
)
def test_a_note_that_does_not_say_so(note):
    assert not note_says_read_elsewhere(note)


def test_a_source_says_where_it_was_read_when_that_is_not_its_link():
    common = {
        "id": "fees",
        "title": "Fees",
        "url": "https://www.handbook.fca.org.uk/handbook/FEES/App/1/",
        "kind": "official",
        "publisher": "Financial Conduct Authority",
        "checked": "2026-12",
    }
    mirrored = Source(**common, read_at="https://public-ui-fcahandbook-dev.azurewebsites.net/f")
    assert source_meta(mirrored) == (
        "Financial Conduct Authority; checked December 2026, "
        "read at public-ui-fcahandbook-dev.azurewebsites.net"
    )
    assert source_meta(Source(**common)) == "Financial Conduct Authority; checked December 2026"


def test_read_at_may_record_an_http_address_but_url_may_not():
    from pydantic import ValidationError

    base = {"id": "x", "title": "X", "kind": "commentary", "checked": "2026-12"}
    src = Source(**base, url="https://example.org/", read_at="http://example.org/old")
    assert src.read_at == "http://example.org/old"
    with pytest.raises(ValidationError):
        Source(**base, url="http://example.org/")
    with pytest.raises(ValidationError):
        Source(**base, url="https://example.org/", read_at="javascript:alert(1)")
