"""The request headers that negotiate or condition an answer, parsed once (RFC 9110).

`Accept` (§12.5.1), `Accept-Encoding` (§12.5.3) and `Accept-Language` (§12.5.4) choose a
representation; `If-Match` and `If-None-Match` (§13.1.1, §13.1.2) list entity tags
(§8.8.3). Every parser here reads a header the same way wherever it is used, and never
raises: a client's malformed element is ignored, not a reason for an error.

Decisions where clients send what the grammar does not allow:

* A weight must be a qvalue as §12.4.2 writes it: `0` to `1`, at most three decimals
  (`q=0.5`, `q=1.000`). An element with any other weight (`q=2`, `q=-1`, `q=.5`,
  `q=high`) is ignored as a whole, as if it had not been sent: its sender's preference
  cannot be known, and ignoring it neither promotes a format nobody asked for (as reading
  `q=2` as 2 or as 1 would) nor invents a refusal. Werkzeug's parser (since 2.3) drops
  such elements too.
* `q=0` means "not acceptable" (§12.4.2).
* A media range is `type/subtype`, `type/*` or `*/*`, in any case; anything else
  (`garbage`, `*/html`) is ignored. Parameters other than `q` do not narrow the match: no
  representation here differs by one.
* The most specific range that matches a media type gives its weight (`text/csv` over
  `text/*` over `*/*`, §12.5.1); among equally specific ones, the first listed.
* A coding listed by name gives its weight; otherwise `*` does; otherwise the coding is
  not acceptable (`identity` aside, which no caller asks about).
* A language range is `*` or letters and digits in hyphen-joined subtags (RFC 4647 §2.1);
  anything else is ignored. The language is picked by RFC 4647's lookup (`lookup_language`).
* An entity tag is `"opaque"` or `W/"opaque"` (`W` upper case, no space or quote inside
  the quotes); `*` stands for any current representation only as the whole field value.
  Malformed elements of a list are ignored, so a header that names nothing valid
  matches nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# §12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
_QVALUE = re.compile(r"0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?")
# §5.6.2: token = 1*tchar
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
# §8.8.3: entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE; etagc = %x21 / %x23-7E / obs-text
_ENTITY_TAG = r'(W/)?("[\x21\x23-\x7e\x80-\xff]*")'
_ONE_TAG = re.compile(_ENTITY_TAG)
# RFC 4647 §2.1: language-range = (1*8ALPHA *("-" 1*8alphanum)) / "*" (lower case here).
_LANGUAGE_RANGE = re.compile(r"\*|[a-z]{1,8}(?:-[a-z0-9]{1,8})*")
# One element of a list of tags, with the comma that ends it (or the end of the value).
_LISTED_TAG = re.compile(rf"[ \t,]*{_ENTITY_TAG}[ \t]*(?:,|\Z)")


def raw_headers(headers: Iterable[tuple[bytes, bytes]], *names: bytes) -> dict[bytes, bytes]:
    """The values of the headers `names` (lower case) among an ASGI scope's `headers`, as
    sent; of a header sent more than once, the last (the middlewares read them this way)."""
    return {name: value for name, value in headers if name in names}


def _split(value: str, separator: str) -> Iterator[str]:
    """The parts of `value` between `separator`s outside quoted strings, stripped."""
    part: list[str] = []
    quoted = escaped = False
    for char in value:
        if escaped:
            escaped = False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == separator and not quoted:
            yield "".join(part).strip(" \t")
            part = []
            continue
        part.append(char)
    yield "".join(part).strip(" \t")


def _weight(parameters: Iterable[str]) -> float | None:
    """The weight among an element's parameters: 1 when none; None when it is no qvalue."""
    for parameter in parameters:
        name, _, raw = parameter.partition("=")
        if name.strip(" \t").lower() == "q":
            raw = raw.strip(" \t")
            # Only the first `q` is the weight: what follows it are extensions (accept-ext).
            return float(raw) if _QVALUE.fullmatch(raw) else None
    return 1.0


def _weighted(value: str) -> Iterator[tuple[str, float]]:
    """(item, weight) of each element of a weighted list, items in lower case."""
    for element in _split(value, ","):
        item, *parameters = _split(element, ";")
        weight = _weight(parameters)
        if item and weight is not None:
            yield item.lower(), weight


# --- Accept --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MediaRange:
    """One element of `Accept`: `type/subtype`, `type/*` or `*/*`, with its weight."""

    type: str
    subtype: str
    quality: float

    def specificity(self, media_type: str) -> int | None:
        """2 for the media type itself, 1 for its `type/*`, 0 for `*/*`; None: no match."""
        kind, _, subtype = media_type.lower().partition("/")
        if (self.type, self.subtype) == (kind, subtype):
            return 2
        if self.type == kind and self.subtype == "*":
            return 1
        if (self.type, self.subtype) == ("*", "*"):
            return 0
        return None


def media_ranges(accept: str) -> list[MediaRange]:
    """The valid media ranges of an `Accept` value, in the order listed."""
    ranges = []
    for item, weight in _weighted(accept):
        kind, slash, subtype = item.partition("/")
        if not slash or not _TOKEN.fullmatch(kind) or not _TOKEN.fullmatch(subtype):
            continue
        if kind == "*" and subtype != "*":
            continue
        ranges.append(MediaRange(kind, subtype, weight))
    return ranges


def media_quality(accept: str, media_type: str) -> float:
    """The weight `accept` gives `media_type`: its most specific matching range's, else 0."""
    return quality_among(media_ranges(accept), media_type)


def quality_among(ranges: Iterable[MediaRange], media_type: str) -> float:
    """`media_quality` for an `Accept` already parsed by `media_ranges`."""
    best: tuple[int, float] = (-1, 0.0)
    for media_range in ranges:
        specificity = media_range.specificity(media_type)
        if specificity is not None and specificity > best[0]:
            best = (specificity, media_range.quality)
    return best[1]


def prefers(accept: str | None, media_type: str, over: Iterable[str]) -> bool:
    """Whether `accept` ranks `media_type` above every one of `over` (a tie goes to `over`).

    `over` are the formats answered by default, so no header, or one that ranks them all
    alike (`*/*`), keeps the default.
    """
    if not accept:
        return False
    wanted = media_quality(accept, media_type)
    return wanted > 0 and all(wanted > media_quality(accept, other) for other in over)


# --- Accept-Encoding -------------------------------------------------------------------------


def coding_quality(accept_encoding: str, coding: str) -> float:
    """The weight `accept_encoding` gives `coding`: listed by name, else by `*`, else 0."""
    named: float | None = None
    wildcard: float | None = None
    for item, weight in _weighted(accept_encoding):
        if item == coding.lower() and named is None:
            named = weight
        elif item == "*" and wildcard is None:
            wildcard = weight
    if named is not None:
        return named
    return wildcard if wildcard is not None else 0.0


def accepts_coding(accept_encoding: str | None, coding: str) -> bool:
    """Whether a client that sent `accept_encoding` takes a body in `coding` (no header: no)."""
    return bool(accept_encoding) and coding_quality(accept_encoding or "", coding) > 0


# --- Accept-Language -----------------------------------------------------------------------


def language_ranges(accept_language: str) -> list[str]:
    """The language ranges of an `Accept-Language` value (§12.5.4), in lower case, most
    wanted first (equal weights in the order listed); `q=0` ones ("not this") left out."""
    ranges = [
        (item, weight)
        for item, weight in _weighted(accept_language)
        if weight > 0 and _LANGUAGE_RANGE.fullmatch(item)
    ]
    return [item for item, _ in sorted(ranges, key=lambda ranged: -ranged[1])]


def lookup_language(ranges: Iterable[str], available: Iterable[str]) -> str | None:
    """The first of `available` that `ranges` name, by the lookup of RFC 4647 §3.4.

    Each range in turn, then ever shorter prefixes of it (`zh-hant-tw`, `zh-hant`, `zh`;
    a single-letter subtag goes with the one after it), is compared with the available tags,
    case aside. `*` names no language in particular and is skipped. None: no match.
    """
    tags = {tag.lower(): tag for tag in available}
    for language_range in ranges:
        subtags = language_range.lower().split("-")
        while subtags and subtags != ["*"]:
            found = tags.get("-".join(subtags))
            if found is not None:
                return found
            subtags.pop()
            if subtags and len(subtags[-1]) == 1:
                subtags.pop()
    return None


# --- entity tags: ETag, If-Match, If-None-Match ------------------------------------------------


@dataclass(frozen=True, slots=True)
class EntityTag:
    """`"opaque"` (strong) or `W/"opaque"` (weak); `opaque` keeps its quotes."""

    opaque: str
    weak: bool = False

    def __str__(self) -> str:
        return f"W/{self.opaque}" if self.weak else self.opaque

    def strong_equals(self, other: EntityTag) -> bool:
        """§8.8.3.2: both strong and character for character the same."""
        return not self.weak and not other.weak and self.opaque == other.opaque

    def weak_equals(self, other: EntityTag) -> bool:
        """§8.8.3.2: the same opaque tag, weak or not."""
        return self.opaque == other.opaque


def parse_entity_tag(value: str) -> EntityTag | None:
    """One entity tag (an `ETag` value); None when it is not one."""
    match = _ONE_TAG.fullmatch(value.strip(" \t"))
    if match is None:
        return None
    return EntityTag(match.group(2), weak=match.group(1) is not None)


@dataclass(frozen=True, slots=True)
class EntityTagList:
    """An `If-Match` / `If-None-Match` value: `*`, or the valid tags it lists."""

    any: bool
    tags: tuple[EntityTag, ...]

    def matches(self, current: EntityTag, *, strong: bool) -> bool:
        """Whether it names `current` (`*` names any), by strong or weak comparison."""
        if self.any:
            return True
        if strong:
            return any(tag.strong_equals(current) for tag in self.tags)
        return any(tag.weak_equals(current) for tag in self.tags)


def parse_entity_tags(value: str) -> EntityTagList:
    """An `If-Match` / `If-None-Match` value; malformed elements are ignored."""
    if value.strip(" \t") == "*":
        return EntityTagList(any=True, tags=())
    tags = []
    position = 0
    while position < len(value):
        match = _LISTED_TAG.match(value, position)
        if match is not None:
            tags.append(EntityTag(match.group(2), weak=match.group(1) is not None))
            position = match.end()
            continue
        # Not a tag: skip to the next element. (A tag may hold a comma, so the list is
        # read tag by tag rather than split on commas first.)
        comma = value.find(",", position)
        if comma < 0:
            break
        position = comma + 1
    return EntityTagList(any=False, tags=tuple(tags))
