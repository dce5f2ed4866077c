"""The strong entity tag of a representation: a hash of its bytes.

Below every layer: the write service compares it with `If-Match` and the idempotency
record stores it, without knowing HTTP; `app.http.etag` builds the header rules on it.
"""

from __future__ import annotations

import hashlib


def etag_of(body: bytes) -> str:
    """Equal bodies give equal tags in every process; any change of a byte changes it."""
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
