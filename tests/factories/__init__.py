"""Valid request bodies and records, one module per domain, any field overridable.

A factory gives the fields a request needs and, of the optional ones, only those it is
given: a test names what it is about and leaves the rest to the factory. Its defaults
refer to seeded records (`seeded`), so a body is valid on a freshly seeded database.
"""

from __future__ import annotations

from typing import Any

Body = dict[str, Any]


def present(**fields: object) -> Body:
    """The fields that have a value: an optional field left at `None` is not sent."""
    return {name: value for name, value in fields.items() if value is not None}
