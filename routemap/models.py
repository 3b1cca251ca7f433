"""The map data format: one strict pydantic model per YAML file in ``graph_data/``.

Unknown keys are refused (a misspelt key must not be silently ignored), every model is frozen
(the map is built once and shared), and custom types give messages a non-programmer can act on.
The JSON Schemas in ``graph_data/schema/`` are generated from these models.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

KEBAB_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SNAKE_RE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
FORM_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,15}$")
DATE_RE = re.compile(r"^\d{4}(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$")

# "Absurd size" limits: far above any real map, low enough to stop a runaway file.
MAX_NAME = 80
MAX_SHORT = 300
MAX_TEXT = 2000
MAX_URL = 2000
MAX_LIST = 5000


def _kebab(value: str) -> str:
    if not KEBAB_RE.match(value):
        raise PydanticCustomError(
            "kebab_case",
            "'{value}' is not kebab-case (lower-case letters and digits joined by single "
            "hyphens, e.g. 'options-appraisal')",
            {"value": value},
        )
    return value


def _snake(value: str) -> str:
    if not SNAKE_RE.match(value):
        raise PydanticCustomError(
            "snake_case",
            "'{value}' is not snake_case (lower-case letters and digits joined by single "
            "underscores, e.g. 'parent_body')",
            {"value": value},
        )
    return value


def _colour(value: str) -> str:
    if not COLOUR_RE.match(value):
        raise PydanticCustomError(
            "colour", "'{value}' is not a colour like '#1d70b8'", {"value": value}
        )
    return value.lower()


def _form_code(value: str) -> str:
    if not FORM_CODE_RE.match(value):
        raise PydanticCustomError(
            "form_code",
            "'{value}' is not an official form code (capital letters and digits, e.g. 'IN01')",
            {"value": value},
        )
    return value


def _safe_url(value: str, schemes: tuple[str, ...]) -> str:
    compact = re.sub(r"[\s\x00-\x1f]", "", value).lower()
    if compact.startswith(("javascript:", "data:", "vbscript:")):
        raise PydanticCustomError(
            "url_scheme",
            "'{scheme}:' URLs are not allowed; use an https URL",
            {"scheme": compact.split(":", 1)[0]},
        )
    if re.search(r"[\s\x00-\x1f<>\"']", value):
        raise PydanticCustomError("url_chars", "URL contains spaces, quotes or angle brackets", {})
    parts = urlsplit(value)
    if parts.scheme not in schemes or not parts.netloc or "." not in parts.netloc:
        if schemes == ("https",):
            raise PydanticCustomError(
                "url_https", "'{value}' is not an https URL", {"value": value[:120]}
            )
        raise PydanticCustomError(
            "url_web", "'{value}' is not a web address (http or https)", {"value": value[:120]}
        )
    return value


def _https_url(value: str) -> str:
    return _safe_url(value, ("https",))


def _web_url(value: str) -> str:
    return _safe_url(value, ("https", "http"))


def _partial_date(value: object) -> object:
    """YAML turns 2010-09-30 into a date; keep every date as an ISO string (YYYY[-MM[-DD]])."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and 1000 <= value <= 9999:
        return str(value)
    if isinstance(value, str) and DATE_RE.match(value.strip()):
        return value.strip()
    raise PydanticCustomError(
        "partial_date",
        "'{value}' is not a date like 2010-09-30, 2010-09 or 2010",
        {"value": str(value)[:40]},
    )


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("empty", "must not be empty", {})
    return value


def _pattern(regex: re.Pattern, description: str, **extra) -> WithJsonSchema:
    return WithJsonSchema(
        {"type": "string", "pattern": regex.pattern, "description": description, **extra}
    )


Kebab = Annotated[
    str, AfterValidator(_kebab), _pattern(KEBAB_RE, "A kebab-case id, e.g. options-appraisal")
]
Snake = Annotated[
    str, AfterValidator(_snake), _pattern(SNAKE_RE, "A snake_case id, e.g. parent_body")
]
Colour = Annotated[str, AfterValidator(_colour), _pattern(COLOUR_RE, "A colour like #1d70b8")]
FormCode = Annotated[
    str, AfterValidator(_form_code), _pattern(FORM_CODE_RE, "An official form code, e.g. IN01")
]
HttpsUrl = Annotated[
    str,
    StringConstraints(max_length=MAX_URL),
    AfterValidator(_https_url),
    _pattern(re.compile(r"^https://"), "An https URL", maxLength=MAX_URL),
]
# an address as it was read, http or https: a record of where a fact was seen, never a link
# the map sends a reader to
ReadAddress = Annotated[
    str,
    StringConstraints(max_length=MAX_URL),
    AfterValidator(_web_url),
    _pattern(re.compile(r"^https?://"), "A web address, as it was read", maxLength=MAX_URL),
]
PartialDate = Annotated[
    str,
    BeforeValidator(_partial_date),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": DATE_RE.pattern},
                {"type": "integer", "minimum": 1000, "maximum": 9999},
            ],
            "description": "A date: YYYY, YYYY-MM or YYYY-MM-DD",
        }
    ),
]
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=MAX_NAME), AfterValidator(_not_blank)
]
Short = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=MAX_SHORT), AfterValidator(_not_blank)
]
Text = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=MAX_TEXT), AfterValidator(_not_blank)
]

StationKind = Literal[
    "origin", "stage", "decision", "document", "registration", "support", "outcome"
]
LineKind = Literal["legal_form", "access_route", "contrast", "support"]
Status = Literal["open", "historical"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


# What kind of source a page is, so a reader (and validation) can tell an original from a copy:
# official: published by the government, Parliament, a regulator or a public body on its own
#   site (gov.uk, legislation.gov.uk, the FCA handbook, nao.org.uk ...);
# archive: an official page kept by the National Archives web archive after its site retired;
# organisation: an organisation's own account of itself or of what it offers;
# commentary: anyone writing about it: law firms, advisers, the press, blogs, wikis;
# copy: someone else's document on another host, used only where no original survives.
SourceKind = Literal["official", "archive", "organisation", "commentary", "copy"]

# Hosts of original public publishers: a host ending in one of these is official.
OFFICIAL_HOSTS = (
    "gov.uk",  # GOV.UK, legislation.gov.uk, the National Archives, councils, data.gov.uk
    "parliament.uk",
    "nao.org.uk",
    "fca.org.uk",
    "cqc.org.uk",
    "ico.org.uk",
    "acas.org.uk",
    "nhs.uk",
    "civilservicepensionscheme.org.uk",  # the Cabinet Office's scheme
    "cspschange.org.uk",  # the Cabinet Office's site for the scheme's change of administrator
    "dcmsblog.uk",  # the Department for Culture, Media and Sport's blog
    "derbyshirepensionfund.org.uk",  # Derbyshire County Council's LGPS fund
    "devonnewscentre.info",  # Devon County Council's news site
    "gov.wales",
    "mygov.scot",
)
ARCHIVE_HOSTS = ("webarchive.nationalarchives.gov.uk",)


def host_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


# web archives whose addresses hold the address they captured, e.g.
# https://web.archive.org/web/*/http://example.org/page
WEB_ARCHIVE_HOSTS = ("web.archive.org", *ARCHIVE_HOSTS)
_CAPTURED = re.compile(r"^/(?:web|ukgwa)/[^/]+/(?P<url>.+)$")


def captured_host(url: str) -> str:
    """The host of the page a web archive's address captured, or the address's own host: an
    organisation's page kept by a web archive is still that organisation's page."""
    if host_of(url) in WEB_ARCHIVE_HOSTS:
        match = _CAPTURED.match(urlsplit(url).path)
        if match:
            inner = match.group("url")
            return host_of(inner if "://" in inner else "http://" + inner)
    return host_of(url)


def is_official_host(url: str) -> bool:
    host = host_of(url)
    return any(host == h or host.endswith("." + h) for h in OFFICIAL_HOSTS)


class Source(Strict):
    """A public document a fact comes from; stations, lines and rules cite it by id.

    ``url`` is the page the map links to: the original where its address is known and works
    (or a web archive's dated capture of it). ``checked`` is the month a person read the page
    the source names as read (``read_at`` if given, else ``url``) and confirmed what the map
    takes from it. Validation refuses a source without it: a source nobody could confirm is
    not cited, and the fact it would back is written as not published or not confirmed
    instead. (It is optional here only so that validation can say so in words, rather than
    'is required'.)
    """

    id: Kebab
    title: Short
    url: HttpsUrl
    kind: SourceKind
    publisher: Short | None = None
    published: PartialDate | None = None
    checked: PartialDate | None = None
    # where the fact was actually read, when that is not ``url``: a copy or mirror of the
    # original, another version of the page, or the page at an address it has since left
    read_at: ReadAddress | None = None
    # for example, for a copy: whose document it is and why the original's address is not used
    note: Text | None = None


Host = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, max_length=MAX_SHORT, pattern=r"^[a-z0-9-]+(\.[a-z0-9-]+)+$"
    ),
]


class Publisher(Strict):
    """An organisation and the hosts of its own site. A source marked ``organisation`` is an
    original only on its publisher's own site: validation warns on one whose host is not
    listed here for the publisher it names (a copy posing as the original)."""

    name: Short
    hosts: Annotated[list[Host], Field(min_length=1, max_length=10)]


class Document(Strict):
    """A form or document produced at a station, with its official code where one exists."""

    name: Short
    code: FormCode | None = None
    note: Text | None = None
    # a document of a programme or service that has closed: shown as context ("no longer in
    # use"), never listed as something a station needs today
    historical: bool = False
    # the lines it belongs to (for example a form of one access route at a shared stage); left
    # out, it belongs to every line through the station
    lines: Annotated[list[Kebab], Field(max_length=20)] = []


SourceIds = Annotated[list[Kebab], Field(max_length=50)]


class Duration(Strict):
    """Indicative duration: always words; days only where a source gives them.

    ``sources``: the sources of this figure where they are not the station's own (a fee and a
    time often come from two places)."""

    text: Short
    min_days: Annotated[int, Field(ge=0, le=3650)] | None = None
    max_days: Annotated[int, Field(ge=0, le=3650)] | None = None
    sources: SourceIds = []


def _text_or_fact(value: object) -> object:
    """``cost: £40`` is shorthand for ``cost: {text: £40}``."""
    return {"text": value} if isinstance(value, str) else value


class Cost(Strict):
    """What a station costs, in words ("Not published" where unknown), with its own sources
    where they are not the station's."""

    text: Short
    sources: SourceIds = []


CostField = Annotated[
    Cost,
    BeforeValidator(_text_or_fact),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "maxLength": MAX_SHORT, "minLength": 1},
                {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string", "maxLength": MAX_SHORT, "minLength": 1},
                        "sources": {
                            "type": "array",
                            "items": {"type": "string", "pattern": KEBAB_RE.pattern},
                            "maxItems": 50,
                        },
                    },
                    "required": ["text"],
                    "additionalProperties": False,
                },
            ],
            "description": "The cost in words, or {text, sources} when its sources differ "
            "from the station's",
        }
    ),
]

# The facts a station can cite its own sources for, and how a reader names them.
FACT_LABELS = {"duration": "how long it takes", "cost": "what it costs"}


class Example(Strict):
    """A real case seen in practice, with its date and sources."""

    text: Text
    date: PartialDate | None = None
    # the legal forms (options in rules.yaml) the organisation took: the comparison of routes
    # shows the example under each
    forms: Annotated[list[Kebab], Field(max_length=10)] = []
    sources: Annotated[list[Kebab], Field(min_length=1, max_length=50)]


class Pin(Strict):
    """Optional layout hint: nudge a station to a column or row of the schematic grid."""

    column: Annotated[int, Field(ge=0, le=500)] | None = None
    row: Annotated[int, Field(ge=-200, le=200)] | None = None


class Station(Strict):
    id: Kebab
    name: Name
    kind: StationKind
    summary: Text
    who: Annotated[list[Short], Field(min_length=1, max_length=50)]
    documents: Annotated[list[Document], Field(max_length=50)] = []
    duration: Duration
    cost: CostField
    status: Status = "open"
    opened: PartialDate | None = None
    closed: PartialDate | None = None
    # a historical station whose end no source records: ``closed`` is left out, never guessed
    no_end_recorded: bool = False
    eligibility: Text | None = None
    support: Annotated[list[Kebab], Field(max_length=50)] = []
    # Stages that must be finished before this one can start, where they are on a route;
    # without it, the station before this one on the route (support offers never block).
    prerequisites: Annotated[list[Kebab], Field(max_length=20)] = []
    # A time limit that matters at this station, in words (e.g. 28 days before transfer).
    deadline: Text | None = None
    examples: Annotated[list[Example], Field(max_length=50)] = []
    note: Text | None = None
    sources: Annotated[list[Kebab], Field(min_length=1, max_length=50)]
    pin: Pin | None = None

    def fact_sources(self) -> dict[str, tuple[str, ...]]:
        """Facts with sources of their own: 'cost' / 'duration' -> their source ids."""
        own = {"duration": self.duration.sources, "cost": self.cost.sources}
        return {fact: tuple(ids) for fact, ids in own.items() if ids}

    def all_sources(self) -> tuple[str, ...]:
        """Every source the station cites, its own first, each once."""
        seen = dict.fromkeys(self.sources)
        for ids in self.fact_sources().values():
            seen.update(dict.fromkeys(ids))
        return tuple(seen)


class RetiredStation(Strict):
    """A station id the map no longer has (the station was taken off or given a new id),
    kept so a saved link, answers file or progress list that names it still works: ``now``
    is the station that takes its place, ``name`` what readers knew it as."""

    id: Kebab
    name: Name
    now: Kebab


class Line(Strict):
    id: Kebab
    name: Name
    colour: Colour
    kind: LineKind
    summary: Text
    regulator: Short
    status: Status = "open"
    opened: PartialDate | None = None
    closed: PartialDate | None = None
    # a historical line whose end no source records: ``closed`` is left out, never guessed
    no_end_recorded: bool = False
    examples: Annotated[list[Example], Field(max_length=50)] = []
    sources: Annotated[list[Kebab], Field(min_length=1, max_length=50)]
    stations: Annotated[list[Kebab], Field(min_length=2, max_length=500)]
    # The options of the route model (rules.yaml ``choices``) this line draws: a line is one
    # common combination of choices, and the tests check its stations against them.
    choices: Annotated[list[Kebab], Field(max_length=20)] = []
    # The options the line stands for (a legal form's line its form, an access route's line its
    # way of awarding the work): a personalised route is drawn on this line only when it took
    # one of them, so the map never shows a route along a choice the team did not make.
    stands_for: Annotated[list[Kebab], Field(max_length=10)] = []


class Area(Strict):
    """A readiness area: the self-diagnostic groups its questions and scores by area."""

    id: Kebab
    name: Name
    summary: Text
    # support offers (stations of kind support) that help in this area
    support: Annotated[list[Kebab], Field(max_length=20)] = []


class Option(Strict):
    value: Snake
    label: Short
    # Readiness points this answer earns in the question's area (0 = work needed, 2 = ready);
    # absent where the answer says nothing about readiness.
    score: Annotated[int, Field(ge=0, le=2)] | None = None
    # For a question of several answers: this answer is given alone ("None of these").
    alone: bool = False


class RetiredAnswer(Strict):
    """An answer the map no longer offers, kept so a saved answers file or link that gives it
    is refused with what to answer now (``now``: the answers it was split into)."""

    value: Snake
    label: Short
    now: Annotated[list[Snake], Field(min_length=1, max_length=10)]


class RetiredQuestion(Strict):
    """A question the map no longer asks, kept so a saved answers file or link that answers it
    keeps working: an answer in ``answers`` is read as that answer to ``now``; any other is
    refused, naming the question that replaced it."""

    id: Snake
    text: Text
    now: Snake
    answers: Annotated[dict[Snake, Snake], Field(max_length=20)] = {}


# What a question takes: one answer (radios), a whole number, or several answers (checkboxes,
# given in a link comma-separated and in a file or the API as a list).
QuestionKind = Literal["choice", "number", "several"]


class Question(Strict):
    id: Snake
    text: Text
    hint: Text
    area: Kebab
    kind: QuestionKind = "choice"
    # the answer describes the service as it is (which body, which service), not a wish: a
    # nearest route is found by changing wishes first
    fixed: bool = False
    options: Annotated[list[Option], Field(max_length=50)] = []
    minimum: Annotated[int, Field(ge=0)] | None = None
    maximum: Annotated[int, Field(ge=0)] | None = None
    # For number questions: score bands, e.g. [{at_least: 10, score: 2}] (first match wins).
    scores: Annotated[list[ScoreBand], Field(max_length=20)] = []
    retired: Annotated[list[RetiredAnswer], Field(max_length=20)] = []
    # Asked only when these earlier answers hold (any answer listed); a question not asked
    # counts as not sure, and the questionnaire skips it.
    asked_when: Conditions = {}


class ScoreBand(Strict):
    at_least: Annotated[int, Field(ge=0)] | None = None
    at_most: Annotated[int, Field(ge=0)] | None = None
    score: Annotated[int, Field(ge=0, le=2)]


class NumberRange(Strict):
    """A condition on a number answer: at_least and/or at_most, both inclusive."""

    at_least: Annotated[int, Field(ge=0)] | None = None
    at_most: Annotated[int, Field(ge=0)] | None = None


def _condition_kind(value: object) -> str | None:
    if isinstance(value, list):
        return "answers"
    if isinstance(value, dict):
        return "range"
    return None


Condition = Annotated[
    Annotated[Annotated[list[Snake], Field(min_length=1, max_length=50)], Tag("answers")]
    | Annotated[NumberRange, Tag("range")],
    Discriminator(
        _condition_kind,
        custom_error_type="condition",
        custom_error_message="must be a list of answers, or a range like {at_least: 10}",
    ),
]


Conditions = Annotated[dict[Snake, Condition], Field(max_length=20)]


class Rule(Strict):
    """When every condition in ``when`` holds (and none in ``unless``), apply the effects;
    ``reason`` is shown to the user, on each step or choice the rule touches.

    ``when`` maps a question id to the answers that trigger the rule (any of them), or to a
    range for a number question. An empty ``when`` always applies. ``not_sure`` never meets a
    condition, so a rule never fires on a guess (and ``unless`` never blocks on one).
    """

    id: Kebab
    when: Conditions
    unless: Conditions = {}
    reason: Text
    # stations: put on the route / left off it / already in place (an answer settles them) /
    # kept on the route with this reason added (the answer changes what the step means)
    require: Annotated[list[Kebab], Field(max_length=100)] = []
    not_needed: Annotated[list[Kebab], Field(max_length=100)] = []
    settles: Annotated[list[Kebab], Field(max_length=100)] = []
    explains: Annotated[list[Kebab], Field(max_length=100)] = []
    # options of a choice: never chosen / weighed for / weighed against
    rule_out: Annotated[list[Kebab], Field(max_length=100)] = []
    favour: Annotated[list[Kebab], Field(max_length=100)] = []
    disfavour: Annotated[list[Kebab], Field(max_length=100)] = []
    weight: Annotated[int, Field(ge=1, le=5)] = 1
    # station effects only when the route took one of these options (the choices are made
    # first, from the answers; a rule with ``with`` has no effect on options)
    with_: Annotated[list[Kebab], Field(max_length=20, alias="with")] = []
    sources: Annotated[list[Kebab], Field(max_length=50)] = []


class Case(Strict):
    """One case of a legal condition: it holds when ``when`` holds, ``unless`` does not, and
    (with ``with``) the combination of choices takes one of those options. ``reason`` says, in
    the team's terms, what it means for them."""

    when: Conditions = {}
    unless: Conditions = {}
    with_: Annotated[list[Kebab], Field(max_length=20, alias="with")] = []
    reason: Text


class LegalCondition(Strict):
    """A legal condition on options of the choices (``of``), with its source: the cases that
    meet it, the cases that break it, and what to find out when the answers do neither. A
    combination of choices that breaks a condition is never offered; one that leaves it open
    is shown as undecided, with ``find_out``."""

    id: Kebab
    name: Short
    # the test in plain words, as the law puts it
    test: Text
    of: Annotated[list[Kebab], Field(min_length=1, max_length=30)]
    # the condition applies only where these answers hold (e.g. only to delegated social work)
    when: Conditions = {}
    met: Annotated[list[Case], Field(max_length=20)] = []
    broken: Annotated[list[Case], Field(max_length=20)] = []
    find_out: Text
    sources: Annotated[list[Kebab], Field(min_length=1, max_length=50)]


Grounds = Literal["law", "practice"]
Topic = Literal[
    "start",
    "people",
    "decision",
    "legal_form",
    "award",
    "pension",
    "registration",
    "finance",
    "set_up",
    "goal",
    "first_year",
]


class StepInfo(Strict):
    """Why a station is on any route it is on: the legal duty or the practice behind it, and
    what goes wrong without it. Answers and choices add their own reasons in front."""

    station: Kebab
    topic: Topic
    # on every route to a mutual (unless an answer or a choice leaves it out)
    spine: bool = False
    reason: Text
    grounds: Grounds
    if_skipped: Text | None = None
    # the station's published duration is for one case (e.g. a children's home): the route
    # gives it only when these answers hold, else it counts the duration as not published
    duration_when: Conditions = {}
    sources: Annotated[list[Kebab], Field(max_length=50)] = []


class Fact(Strict):
    """One sourced fact about an option, in words, for the side-by-side comparison; with no
    source it says "Not published" (validation checks both)."""

    text: Text
    sources: SourceIds = []


class OptionFacts(Strict):
    """What a board paper compares between legal forms, each fact with its sources."""

    owners: Fact | None = None  # who owns and controls it
    profits: Fact | None = None  # the staff's share of profits (and any cap)
    asset_lock: Fact | None = None
    charity: Fact | None = None  # charitable status and its tax reliefs
    money: Fact | None = None  # raising money: shares, community shares, loans, grants


class ChoiceOption(Strict):
    """One way to make a choice. It is open when ``when`` holds and ``unless`` does not (an
    empty ``when`` is always open), and, with ``only_with``, when one of those options of an
    earlier choice was chosen. Chosen, it puts ``stations`` on the route and leaves out
    ``leaves_out`` (with ``leaves_out_reason``)."""

    id: Kebab
    name: Name
    summary: Text
    stations: Annotated[list[Kebab], Field(max_length=20)] = []
    when: Conditions = {}
    unless: Conditions = {}
    closed_reason: Text | None = None  # why it is not open, when when/unless shut it
    only_with: Annotated[list[Kebab], Field(max_length=20)] = []
    only_with_reason: Text | None = None
    leaves_out: Annotated[list[Kebab], Field(max_length=20)] = []
    leaves_out_reason: Text | None = None
    facts: OptionFacts | None = None  # for the comparison of routes side by side
    sources: Annotated[list[Kebab], Field(min_length=1, max_length=50)]


class Choice(Strict):
    """A choice every team makes (legal form, how the work is awarded, pension): the open
    option the answers weigh most for, the first in data order on a tie. ``required``: with
    no option open there is no route (said plainly); otherwise the choice stays undecided,
    with ``undecided``."""

    id: Kebab
    name: Name
    required: bool = True
    undecided: Text | None = None
    options: Annotated[list[ChoiceOption], Field(min_length=1, max_length=30)]


class Future(Strict):
    """A possible future after the route's goal (a station of kind outcome, with its examples),
    shown after the route and never as its destination."""

    station: Kebab
    only_with: Annotated[list[Kebab], Field(max_length=20)] = []


class JourneyFigure(Strict):
    """An indicative whole-journey duration from dated examples, with its sources."""

    id: Kebab
    text: Text
    min_months: Annotated[int, Field(ge=0, le=240)] | None = None
    max_months: Annotated[int, Field(ge=0, le=240)] | None = None
    only_with: Annotated[list[Kebab], Field(max_length=20)] = []
    unless_with: Annotated[list[Kebab], Field(max_length=20)] = []
    sources: Annotated[list[Kebab], Field(min_length=1, max_length=50)]


MONTHS = (
    "January February March April May June July August September October November December"
).split()


def _to_the_month(value: str) -> str:
    if len(value) < 7:
        raise PydanticCustomError(
            "month",
            "'{value}' must give the month the facts were checked, e.g. 2026-12",
            {"value": value},
        )
    return value[:7] if len(value) > 7 else value


class Corrections(Strict):
    """How a correction reaches the map, in words an adviser team can act on."""

    # who to tell, and what to tell them
    tell: Text
    # what happens next, in order
    steps: Annotated[list[Text], Field(min_length=1, max_length=10)]


class MapInfo(Strict):
    title: Name
    subtitle: Short
    # the month the facts were last checked (YYYY-MM)
    facts_as_of: Annotated[PartialDate, AfterValidator(_to_the_month)]
    description: Text
    corrections: Corrections

    @property
    def facts_checked(self) -> str:
        """'2026-12' -> 'December 2026', as every page, export and print says it."""
        return date_words(self.facts_as_of)


def end_words(item: Station | Line) -> str:
    """How a historical station or line ended, for a reader: 'closed 2010-09-30', 'no end
    recorded' (where no source records one), or '' when it is open."""
    if item.status == "open":
        return ""
    if item.closed:
        return f"closed {item.closed}"
    return "no end recorded" if item.no_end_recorded else ""


def span_words(item: Station | Line) -> str:
    """The dates a station or line ran, for a reader: '2008 to 2010-09-30', 'from 2011-03-30,
    no end recorded', or '' when no date is given."""
    if item.no_end_recorded:
        start = f"from {item.opened}, " if item.opened else ""
        return start + "no end recorded"
    return " to ".join(d for d in (item.opened, item.closed) if d)


def year_span(item: Station | Line) -> str:
    """The years a historical station or line ran, for a map's legend: '2008–2010',
    'from 2011, no end recorded', 'closed 2010'."""
    start = item.opened[:4] if item.opened else ""
    if item.no_end_recorded:
        return f"from {start}, no end recorded" if start else "no end recorded"
    end = item.closed[:4] if item.closed else ""
    if start and end:
        return f"{start}–{end}"
    return f"closed {end}" if end else (f"from {start}" if start else "")


def date_words(date: str) -> str:
    """A partial date in words: 2024 -> '2024', 2024-11 -> 'November 2024',
    2024-11-05 -> '5 November 2024'."""
    parts = date.split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1]) - 1]
    return f"{int(parts[2])} {month} {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"


# One model per file: the file's top-level keys.
class MapFile(Strict):
    map: MapInfo


class SourcesFile(Strict):
    sources: Annotated[list[Source], Field(min_length=1, max_length=MAX_LIST)]
    publishers: Annotated[list[Publisher], Field(max_length=MAX_LIST)] = []


class StationsFile(Strict):
    stations: Annotated[list[Station], Field(min_length=1, max_length=MAX_LIST)]
    retired: Annotated[list[RetiredStation], Field(max_length=MAX_LIST)] = []


class LinesFile(Strict):
    lines: Annotated[list[Line], Field(min_length=1, max_length=200)]


class QuestionsFile(Strict):
    areas: Annotated[list[Area], Field(min_length=1, max_length=50)]
    questions: Annotated[list[Question], Field(min_length=1, max_length=200)]
    retired_questions: Annotated[list[RetiredQuestion], Field(max_length=50)] = []


class RulesFile(Strict):
    """The route model: the choices, why each station is on a route (``steps``, marking the
    stages every route to a mutual passes), the rules that turn answers into effects,
    the possible futures and the journey's indicative durations."""

    choices: Annotated[list[Choice], Field(max_length=20)] = []
    steps: Annotated[list[StepInfo], Field(max_length=MAX_LIST)] = []
    rules: Annotated[list[Rule], Field(max_length=1000)]
    conditions: Annotated[list[LegalCondition], Field(max_length=100)] = []
    futures: Annotated[list[Future], Field(max_length=50)] = []
    journey: Annotated[list[JourneyFigure], Field(max_length=50)] = []


# file name -> (model, the list keys validated item by item)
FILES: dict[str, type[Strict]] = {
    "map.yaml": MapFile,
    "sources.yaml": SourcesFile,
    "stations.yaml": StationsFile,
    "lines.yaml": LinesFile,
    "questions.yaml": QuestionsFile,
    "rules.yaml": RulesFile,
}

Question.model_rebuild()
