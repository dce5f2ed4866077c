"""Schemathesis settings shared by the in-suite contract tests and `make fuzz`.

One rule is ours: Schemathesis' `positive_data_acceptance` expects every request the
OpenAPI schema allows to be accepted, but some well-formed input cannot be: an id that names
no record, a rule between two fields, a cursor the service never issued. The API says so
with a 422 whose `errors[].type` is one of `BUSINESS_RULE_TYPES` (see app/errors.py), and
`schema_valid_input_accepted` accepts exactly those 422s, and the 412 of an `If-Match`
that names another state than the stored one (any tag is well formed; which one is
current, no schema can say); any other rejection of
schema-valid input (a malformed-input type) is still a failure: it means the schema promises
more than the service takes, and the schema is what must be fixed.

A second is the API's: an observation's history (`/trade/observations/{id}/history`)
outlives the observation — its last version ends when it was deleted (DESIGN section 8,
past releases) — so a read of it after the DELETE is not a use after free;
`deleted_items_are_gone` is Schemathesis' `use_after_free` for every other read.

`make fuzz` loads this module with `SCHEMATHESIS_HOOKS=tests.support.fuzz`.
"""

from __future__ import annotations

import json
from typing import Any

import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance, use_after_free

from app.errors import INVALID_CURSOR, REFERENCE_ERROR, RULE_ERROR

SEED = 20240430
BUSINESS_RULE_TYPES = frozenset(
    {
        REFERENCE_ERROR,
        RULE_ERROR,
        INVALID_CURSOR,
        # Digits of an exact decimal: JSON Schema cannot bound the digits of a JSON number.
        "decimal_max_digits",
        "decimal_max_places",
        "decimal_whole_digits",
    }
)
# A condition (`If-Match`) that does not hold for the stored state.
PRECONDITION_FAILED = 412
# Bodies that are files, which the OpenAPI schema can only call strings.
FILE_MEDIA_TYPES = ("text/csv", "application/gzip")
# Every built-in check Schemathesis has; `positive_data_acceptance` and `use_after_free`
# are replaced (above).
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
    "ensure_resource_availability",
    "ignored_auth",
)


def _business_rule_rejection(response: Any) -> bool:
    """A 422 problem whose every error is a business rule (not malformed input)."""
    if response.status_code != 422:
        return False
    try:
        errors = json.loads(response.content).get("errors") or []
    except (ValueError, AttributeError):
        return False
    return bool(errors) and all(error.get("type") in BUSINESS_RULE_TYPES for error in errors)


@schemathesis.check
def schema_valid_input_accepted(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case[Any]
) -> bool | None:
    """`positive_data_acceptance`, except for 422s that name a business rule, and 412s.

    And except for CSV and gzip bodies (an import file): JSON Schema can only call them
    strings, so every string is "schema-valid"; their rows are checked as the JSON rows are,
    whose schema is exact.
    """
    media_type = case.media_type or ""
    if response.status_code == PRECONDITION_FAILED:
        return None
    if _business_rule_rejection(response) or media_type.startswith(FILE_MEDIA_TYPES):
        return None
    result: bool | None = positive_data_acceptance(ctx, response, case)
    return result


# Reads that answer for a deleted item on purpose: its past versions.
KEPT_AFTER_DELETE = "/history"


@schemathesis.check
def deleted_items_are_gone(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case[Any]
) -> bool | None:
    """`use_after_free`, except for the history of a deleted observation."""
    if case.path.endswith(KEPT_AFTER_DELETE):
        return None
    result: bool | None = use_after_free(ctx, response, case)
    return result


def config(
    *,
    max_examples: int,
    write_key: str | None = None,
    phases: tuple[str, ...] = ("examples", "coverage", "fuzzing"),
    max_steps: int = 12,
) -> schemathesis.Config:
    """Every check, positive and negative data, a fixed seed; the write key as bearer auth.

    Without `write_key`, each call must send its own `Authorization` header.
    """
    checks: dict[str, Any] = {name: {"enabled": True} for name in CHECKS}
    checks["positive_data_acceptance"] = {"enabled": False}
    checks["use_after_free"] = {"enabled": False}
    settings: dict[str, Any] = {
        "seed": SEED,
        "suppress-health-check": ["all"],
        "generation": {
            "mode": "all",
            "max-examples": max_examples,
            "deterministic": True,
            "database": "none",
            "no-shrink": True,
        },
        "checks": checks,
        "phases": {
            "examples": {"enabled": "examples" in phases},
            "coverage": {"enabled": "coverage" in phases},
            "fuzzing": {"enabled": "fuzzing" in phases},
            # Workflows of valid requests, so that creates succeed and the links are walked;
            # the other phases send the invalid data.
            "stateful": {
                "enabled": "stateful" in phases,
                "max-steps": max_steps,
                "generation": {"mode": "positive"},
                # The declared links (every create's, `app.openapi.add_links`) and `Location`
                # are walked. Links guessed from field names are not: a source's `relays_id`
                # is taken for the id of a source to GET, and when it is null the guess asks
                # for `/sources/None`, a request no schema allows, reported as one refused.
                "inference": {"algorithms": ["location-headers"]},
            },
        },
    }
    if write_key is not None:
        settings["auth"] = {"openapi": {"bearerAuth": {"bearer": write_key}}}
    return schemathesis.Config.from_dict(settings)
