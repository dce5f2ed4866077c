"""How strong entity tags (`app.entity_tags`) are compared, gzip-encoded answers included.

A gzip-encoded answer is another byte sequence, so it carries another strong tag: the
identity tag with `-gzip` inside the quotes. Both name the same state of the resource,
so conditions (`If-Match`, `If-None-Match`) compare tags with the suffix taken off.
Parsing the headers is `app.http.headers`'s.
"""

from __future__ import annotations

from app.http.headers import EntityTag, EntityTagList, parse_entity_tag, parse_entity_tags

GZIP_SUFFIX = "-gzip"


def gzip_etag(etag: str) -> str:
    """The tag of the gzip representation of the answer tagged `etag`."""
    if etag.startswith("W/") or not etag.endswith('"'):
        return etag  # a weak tag already admits equivalent encodings
    return etag[:-1] + GZIP_SUFFIX + '"'


def _state(tag: EntityTag) -> EntityTag:
    """The tag of the state a representation shows, whatever its content coding."""
    if tag.opaque.endswith(GZIP_SUFFIX + '"'):
        return EntityTag(tag.opaque[: -len(GZIP_SUFFIX) - 1] + '"', weak=tag.weak)
    return tag


def names_state(header: str, etag: str, *, strong: bool) -> bool:
    """Whether an `If-Match` / `If-None-Match` value names the state tagged `etag`.

    `strong` for `If-Match` (a weak tag never matches, RFC 9110 §13.1.1), weak comparison
    for `If-None-Match` (§13.1.2). `*` names any current state.
    """
    return tags_name_state(parse_entity_tags(header), etag, strong=strong)


def tags_name_state(listed: EntityTagList, etag: str, *, strong: bool) -> bool:
    """`names_state` for a header already parsed by `app.http.headers.parse_entity_tags`."""
    current = parse_entity_tag(etag)
    if current is None:
        return listed.any
    states = EntityTagList(listed.any, tuple(_state(tag) for tag in listed.tags))
    return states.matches(_state(current), strong=strong)
