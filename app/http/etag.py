"""Strong entity tags derived from the bytes of a representation."""

from __future__ import annotations

import hashlib


def etag_of(body: bytes) -> str:
    """Equal bodies give equal tags in every process; any change of a byte changes it."""
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def parse_etags(header: str) -> list[str]:
    """The entity tags listed in an If-Match / If-None-Match header (`*` kept as is)."""
    tags = []
    for part in header.split(","):
        tag = part.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        if tag:
            tags.append(tag)
    return tags
