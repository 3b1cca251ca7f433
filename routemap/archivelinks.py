"""Web archive addresses: one dated capture of a page, or a list of captures that names none.

A source must name the page a person read. A web archive's dated capture
(``https://web.archive.org/web/20130804130012/https://example.org/page``) is such a page: it
shows the page as it stood at that second. Its list of captures (``.../web/*/...``), a
partial timestamp (``.../web/2015/...``, which sends the reader to whichever capture is
nearest) or a search of the archive is not: nobody read it, and it does not say which
version of the page the map's fact came from.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

# hosts whose addresses carry the address they captured
_WAYBACK = ("web.archive.org", "archive.org")
_UKGWA = ("webarchive.nationalarchives.gov.uk", "webarchive.parliament.uk")
ARCHIVE_LINK_HOSTS = (*_WAYBACK, *_UKGWA)

# a 14-digit timestamp, an optional view modifier (id_, oe_, if_ ...), then the captured address
_TARGET = r"(?P<target>https?:/{1,2}[^*\s]+)"
_DATED = {
    "wayback": re.compile(r"^/web/(?P<ts>\d{14})(?:[a-z]{2}_)?/" + _TARGET + r"$"),
    "ukgwa": re.compile(r"^/(?:ukgwa/)?(?P<ts>\d{14})(?:[a-z]{2}_)?/" + _TARGET + r"$"),
}
_FIRST_CAPTURE_YEAR = 1996  # the Wayback Machine's first captures


@dataclass(frozen=True)
class Capture:
    """One dated capture: when it was taken and the address it captured."""

    taken: dt.datetime
    target: str

    @property
    def month(self) -> str:
        return f"{self.taken:%Y-%m}"


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def is_archive_link(url: str) -> bool:
    """True for any address on a web archive's host (a capture, a list or a search)."""
    host = _host(url)
    if host == "archive.org":
        return urlsplit(url).path.startswith("/web/")
    return host in ARCHIVE_LINK_HOSTS


def dated_capture(url: str, *, today: dt.date | None = None) -> Capture | None:
    """The capture a web archive address names, or None if it names no one capture (a list of
    captures, a partial or impossible timestamp, a wildcard, a search) or is no archive's."""
    if not is_archive_link(url):
        return None
    kind = "wayback" if _host(url) in _WAYBACK else "ukgwa"
    match = _DATED[kind].match(_path_and_query(url))
    if not match:
        return None
    try:
        taken = dt.datetime.strptime(match.group("ts"), "%Y%m%d%H%M%S")
    except ValueError:  # month 13, 30 February, hour 25 ...
        return None
    latest = (today or dt.date.today()).year
    if not _FIRST_CAPTURE_YEAR <= taken.year <= latest:
        return None
    return Capture(taken=taken, target=match.group("target"))


def is_capture_list(url: str) -> bool:
    """True for a web archive address that is not one dated capture of a page."""
    return is_archive_link(url) and dated_capture(url) is None


def captured_address(url: str) -> str:
    """The address a web archive link is about, for messages: the captured page if it names
    one, else the archive address itself."""
    path = _path_and_query(url)
    match = re.search(r"(https?:/{1,2}.+)$", path)
    return match.group(1).replace("*", "") if match else url
