"""Answers and progress as a link: named URL query parameters, and the answers file.

The link format (the same on ``/route``, ``/route/check``, ``/adviser`` and
``/adviser/print``)::

    ?parent_body=nhs&service_area=community_health&staff_count=600
     &done=explore,readiness-diagnostic&in_progress=business-case
     &skipped=dcms-toolkit&note_dcms-toolkit=We+use+our+own+templates

- every question id is a parameter, its value one of the question's answer values
  (``not_sure`` always allowed; a number question takes a whole number); a question left out
  counts as ``not_sure``;
- ``done``, ``in_progress`` and ``skipped`` are comma-separated station ids;
- ``note_<station>`` is the note for a skipped station (why it was skipped);
- ``from=adviser`` marks a link an adviser opened to change the answers: the check-your-answers
  page then leads back to the adviser view rather than to the applicant's route.

Parsing never stops at the first problem: :func:`parse_link` returns every problem, each naming
its parameter and the allowed values, and keeps the parameters as they were given so a page can
show them and keep them in its links (nothing typed is lost). The checking itself is
``routemap.route.profile.parse_answers``, so the CLI, the API and the pages say the same thing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

from ..core import RouteMap
from ..route.answerproblems import (
    LINK,
    LIST_NAMES,
    AnswerProblem,
    page_subject,
    page_words,
    problem,
)
from ..route.kinds import kind_of
from ..route.profile import (
    MAX_NOTE,
    PROGRESS_KEYS,
    AnswersError,
    Profile,
    answers_from_bytes,
    check_note,
    parse_answers,
    shorten,
)

NOTE_PREFIX = "note_"
# ``whatif_<question>=<answer>`` on ``/route``: one answer imagined otherwise (the route page's
# what-if), never part of the answers a link keeps
WHATIF_PREFIX = "whatif_"
FROM_KEY = "from"
FROM_VALUES = ("adviser",)
MAX_PARAMS = 300
MAX_LINK = 8000
# the paste box takes a little more than a link may be, so a too-long link is named, not cut
PASTE_BOX = MAX_LINK + 1000
# MAX_NOTE (imported above) is declared once, in route.profile, with the other answer limits

# a problem with a link is a typed answers problem: its ``key`` is the parameter (or "link")
Problem = AnswerProblem


@dataclass
class Link:
    """A parsed link: the parameters as given, the profile if they are all valid, problems."""

    pairs: list[tuple[str, str]]
    profile: Profile | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.profile is not None and not self.problems

    @property
    def empty(self) -> bool:
        return not self.pairs

    @property
    def origin(self) -> str | None:
        """The page that sent this link to be changed ("adviser"), if it is a known one."""
        value = self.given(FROM_KEY)
        return value if value in FROM_VALUES else None

    def given(self, key: str) -> str | None:
        for k, v in self.pairs:
            if k == key:
                return v
        return None

    def problem_for(self, key: str) -> Problem | None:
        return next((p for p in self.problems if p.key == key), None)


def query_pairs(query: str | Mapping[str, Any] | Iterable[tuple[str, str]] | None) -> list:
    if query is None:
        return []
    if isinstance(query, str):
        q = query[1:] if query.startswith("?") else query
        return parse_qsl(q, keep_blank_values=True, max_num_fields=MAX_PARAMS * 4)
    if isinstance(query, Mapping):
        return [(str(k), str(v)) for k, v in query.items()]
    return [(str(k), str(v)) for k, v in query]


def parse_link(rm: RouteMap, query) -> Link:
    """Check a link's parameters (a query string, a mapping or pairs); every problem at once."""
    problems: list[Problem] = []
    try:
        pairs = query_pairs(query)
    except ValueError:
        return Link([], None, [problem("too_many_parameters", LINK, limit=MAX_PARAMS)])
    if len(pairs) > MAX_PARAMS:
        return Link(
            pairs[:MAX_PARAMS],
            None,
            [problem("too_many_parameters", LINK, limit=MAX_PARAMS)],
        )
    seen: dict[str, int] = {}
    for key, _ in pairs:
        seen[key] = seen.get(key, 0) + 1
    first: dict[str, str] = {}
    for key, value in pairs:
        first.setdefault(key, value)
    for key, n in seen.items():
        if n > 1:
            problems.append(problem("given_twice", shorten(key)))

    answers: dict[str, Any] = {}
    progress: dict[str, Any] = {}
    notes: dict[str, str] = {}
    for key, value in first.items():
        if key in rm.questions or key in rm.retired_questions:
            answers[key] = value
        elif key in PROGRESS_KEYS:
            progress[key] = [s for s in re.split(r"[,\s]+", value) if s]
        elif key.startswith(NOTE_PREFIX):
            notes[key[len(NOTE_PREFIX) :]] = value
        elif key == FROM_KEY:
            if value not in FROM_VALUES:
                problems.append(
                    problem("bad_origin", FROM_KEY, value=shorten(value), allowed=FROM_VALUES)
                )
        else:
            problems.append(
                problem(
                    "unknown_parameter",
                    shorten(key) or "(an empty name)",
                    questions=list(rm.questions),
                )
            )
    skipped_ids = progress.get("skipped", [])
    skipped: dict[str, str] = {sid: "" for sid in skipped_ids}
    for sid, note in notes.items():
        key = NOTE_PREFIX + shorten(sid)
        if sid not in rm.stations:
            problems.append(problem("note_unknown_station", key, station=shorten(sid)))
        elif sid not in skipped:
            problems.append(problem("note_on_unskipped_station", key, station=sid))
        elif bad := check_note(key, sid, note):
            problems.append(bad)
        else:
            skipped[sid] = note
    if skipped_ids:
        progress["skipped"] = skipped
    profile = None
    try:
        profile = parse_answers(rm, answers, progress, allow_progress_in_answers=False)
    except AnswersError as exc:
        for p in exc.problems:
            if p not in problems:
                problems.append(p)
    if problems:
        profile = None
    else:  # an old question's answer read as its new question's: the link says it so
        pairs = _renamed(rm, pairs, profile)
    return Link(pairs, profile, problems)


def _renamed(rm: RouteMap, pairs: list[tuple[str, str]], profile: Profile | None):
    if profile is None or not any(k in rm.retired_questions for k, _ in pairs):
        return pairs
    out = []
    for key, value in pairs:
        old = rm.retired_questions.get(key)
        if old is None:
            out.append((key, value))
        elif old.now in profile.given and not any(k == old.now for k, _ in out + pairs):
            out.append((old.now, link_value(rm, old.now, profile.answers[old.now])))
    return order_pairs(rm, out)


PROGRESS_ORDER = {k: i for i, k in enumerate(PROGRESS_KEYS)}


# ---- building links ------------------------------------------------------------------------
_PLAIN = re.compile(r"[A-Za-z0-9,_.-]*")  # what quote() leaves as it is, with these safe


def _q(value: str) -> str:
    value = str(value)
    # most of a link is ids, numbers and comma lists: checked, not rebuilt
    return value if _PLAIN.fullmatch(value) else quote(value, safe=",-_.")


def encode(pairs: Iterable[tuple[str, str]]) -> str:
    """A query string ("?a=b&c=d", or "" for none) that keeps commas readable."""
    parts = [f"{_q(k)}={_q(v)}" for k, v in pairs]
    return ("?" + "&".join(parts)) if parts else ""


def order_pairs(rm: RouteMap, pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """One order for every link: questions as in the map, then progress, notes, the rest."""
    qorder = rm.cached("question-order", lambda: {q: i for i, q in enumerate(rm.questions)})
    porder = PROGRESS_ORDER

    def rank(item: tuple[int, tuple[str, str]]) -> tuple:
        i, (key, _) = item
        if key in qorder:
            return (0, qorder[key], i)
        if key in porder:
            return (1, porder[key], i)
        if key.startswith(NOTE_PREFIX):
            return (2, 0, i)
        return (3, 0, i)

    return [p for _, p in sorted(enumerate(pairs), key=rank)]


def without_origin(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pairs without ``from``: the link as the page it leads back to keeps it."""
    return [(k, v) for k, v in pairs if k != FROM_KEY]


def with_value(rm: RouteMap, pairs, key: str, value: str | None) -> list[tuple[str, str]]:
    """The pairs with ``key`` set to ``value`` (or removed), everything else kept as given."""
    out = [(k, v) for k, v in pairs if k != key]
    if value is not None:
        out.append((key, str(value)))
    return order_pairs(rm, out)


def progress_pairs(rm: RouteMap, profile: Profile) -> list[tuple[str, str]]:
    order = rm.rank  # each station's place in the map's order

    def ids(items) -> str:
        return ",".join(sorted(items, key=lambda s: order.get(s, 10**6)))

    out = []
    if profile.done:
        out.append(("done", ids(profile.done)))
    if profile.in_progress:
        out.append(("in_progress", ids(profile.in_progress)))
    if profile.skipped:
        out.append(("skipped", ids(profile.skipped)))
        for sid in sorted(profile.skipped, key=lambda s: order.get(s, 10**6)):
            if profile.skipped[sid]:
                out.append((NOTE_PREFIX + sid, profile.skipped[sid]))
    return out


def link_value(rm: RouteMap, qid: str, value: Any) -> str:
    """An answer as a link writes it (several answers comma-separated)."""
    q = rm.questions[qid]
    return kind_of(q).link_value(q, value)


def profile_pairs(rm: RouteMap, profile: Profile, *, progress: bool = True) -> list:
    pairs = [(q, link_value(rm, q, profile.answers[q])) for q in rm.questions if q in profile.given]
    if progress:
        pairs += progress_pairs(rm, profile)
    return pairs


def profile_query(rm: RouteMap, profile: Profile, *, progress: bool = True) -> str:
    return encode(profile_pairs(rm, profile, progress=progress))


def with_progress(
    profile: Profile,
    sid: str,
    state: str,
    note: str | None = None,
) -> Profile:
    """The profile with one station's progress set: done, in_progress, skipped or to_do."""
    done = set(profile.done) - {sid}
    in_progress = set(profile.in_progress) - {sid}
    skipped = {k: v for k, v in profile.skipped.items() if k != sid}
    if state == "done":
        done.add(sid)
    elif state == "in_progress":
        in_progress.add(sid)
    elif state == "skipped":
        skipped[sid] = (note if note is not None else profile.skipped.get(sid, ""))[:MAX_NOTE]
    return replace(
        profile,
        done=frozenset(done),
        in_progress=frozenset(in_progress),
        skipped=MappingProxyType(skipped),
    )


# ---- links pasted by an adviser -----------------------------------------------------------
LINK_PATHS = ("/route", "/route/check", "/adviser", "/adviser/print")


def query_of_pasted(text: str) -> tuple[str | None, str | None]:
    """The query string of a pasted link, or a message saying what is wrong with it.

    Takes a full link (``https://host/adviser?…``), a path (``/route?…``) or the query alone
    (``?parent_body=nhs…`` or ``parent_body=nhs…``).
    """
    text = (text or "").strip()
    if not text:
        return None, "Paste the applicant's link first."
    if len(text) > MAX_LINK:
        return None, f"The link is too long (at most {MAX_LINK} characters)."
    if any(c.isspace() for c in text):
        return None, "The link has spaces in it: copy it again, all in one piece."
    scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):(?!\d)", text)
    if scheme and scheme.group(1).lower() not in ("http", "https"):
        return None, "This is not a web link (it should start with https:// or /route)."
    if text.startswith("?"):
        return text, None
    if "=" in text and "/" not in text.split("?", 1)[0] and "?" not in text:
        return "?" + text, None
    try:
        parts = urlsplit(text if "//" in text or text.startswith("/") else "//" + text)
    except ValueError:
        return None, "This is not a link the app can read."
    if parts.scheme not in ("", "http", "https"):
        return None, "This is not a web link (it should start with https:// or /route)."
    path = parts.path.rstrip("/") or "/"
    if path not in LINK_PATHS and not path.startswith(("/route/questions/", "/route/change/")):
        return None, (
            "This is not a route or adviser link: it should go to /route or /adviser, "
            "followed by the answers (for example /adviser?parent_body=nhs)."
        )
    if not parts.query:
        return None, "The link has no answers in it (nothing after the ‘?’)."
    return "?" + parts.query, None


# ---- the answers file ---------------------------------------------------------------------
def answers_document(rm: RouteMap, profile: Profile) -> dict[str, Any]:
    """The answers file the CLI reads (``routemap route --answers FILE``) and the app loads."""
    order = rm.rank  # each station's place in the map's order
    doc: dict[str, Any] = {
        "answers": {
            q: list(v) if isinstance(v := profile.answers[q], tuple) else v
            for q in rm.questions
            if q in profile.given
        }
    }
    if profile.done:
        doc["done"] = sorted(profile.done, key=order.get)
    if profile.in_progress:
        doc["in_progress"] = sorted(profile.in_progress, key=order.get)
    if profile.skipped:
        ids = sorted(profile.skipped, key=order.get)
        if any(profile.skipped[s] for s in ids):
            doc["skipped"] = {s: profile.skipped[s] for s in ids}
        else:
            doc["skipped"] = ids
    return doc


def answers_json(rm: RouteMap, profile: Profile) -> str:
    # ASCII with escapes: the file reads back the same as JSON or as YAML
    return json.dumps(answers_document(rm, profile), indent=2, ensure_ascii=True) + "\n"


def answers_from_text(text: str | bytes, name: str = "the file") -> dict[str, Any]:
    """An answers file's content (JSON or YAML) as a mapping, as ``read_answers_file`` reads
    a file on disk; problems raise ``AnswersError`` naming the file."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return answers_from_bytes(
        raw, shorten(name or "the file", 80), json_hint=(name or "").lower().endswith(".json")
    )


def profile_from_text(rm: RouteMap, text: str | bytes, name: str) -> Profile:
    data = answers_from_text(text, name)
    return parse_answers(rm, data)


# ---- problems with a link, as a page shows them ---------------------------------------------
def drop_id(pairs, key: str, sid: str) -> list[tuple[str, str]]:
    """The pairs with one station taken out of the progress list ``key``."""
    out = []
    for k, v in pairs:
        if k == key:
            ids = [s for s in re.split(r"[,\s]+", v) if s and s != sid]
            if ids:
                out.append((k, ",".join(ids)))
        elif not (key == "skipped" and k == NOTE_PREFIX + sid):
            out.append((k, v))
    return out


def fix_for(rm: RouteMap, pairs, base: str, p: Problem) -> tuple[str | None, str]:
    """A link that fixes one problem (or the question to answer again), keeping everything
    else as it was given, and its words. Chosen by the problem's code and location, never by
    its words."""
    key = p.location
    if key in rm.questions and p.code != "given_twice":
        return f"/route/change/{key}{encode(pairs)}", "Change this answer"
    if key == LINK:
        return None, ""
    if p.code == "given_twice":
        first = next((v for k, v in pairs if k == key), None)
        return base + encode(with_value(rm, pairs, key, first)), "Keep the first"
    if key in PROGRESS_KEYS and p.code in ("unknown_station", "station_in_two_lists"):
        sid = p.param("station")
        if p.code == "unknown_station":
            targets = [key]
        else:  # a station in two lists: the later state gives way to the earlier
            targets = ["in_progress", "skipped"] if key == "done" else ["skipped"]
            holding = {k for k, v in pairs if sid in re.split(r"[,\s]+", v)}
            targets = [t for t in targets if t in holding] or targets
        new = list(pairs)
        for target in targets:
            new = drop_id(new, target, sid)
        st = rm.stations.get(sid)
        name = f"“{st.name}”" if st else f"“{sid}”"
        lists = " and ".join(f"the {LIST_NAMES[t]}" for t in targets)
        return base + encode(new), f"Take {name} out of {lists}"
    return base + encode(with_value(rm, pairs, key, None)), "Remove it"


def problem_rows(
    rm: RouteMap, link: Link, base: str | None = None, problems: list[Problem] | None = None
) -> list[dict[str, Any]]:
    """Each problem with a link as the error summary shows it: what it is about (by what the
    reader saw), what the link says, what is wrong, and, with ``base`` (the page to come back
    to), a link that fixes it."""
    rows = []
    for p in link.problems if problems is None else problems:
        given = link.given(p.key)
        href, fix = fix_for(rm, link.pairs, base, p) if base is not None else (None, "")
        rows.append(
            {
                "subject": page_subject(p, rm),
                "given": shorten(given) if given not in (None, "") else None,
                "words": page_words(p, rm),
                "href": href,
                "fix": fix,
            }
        )
    return rows
