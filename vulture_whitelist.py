"""Names vulture cannot see used: `make deadcode` runs `vulture app vulture_whitelist.py`.

Vulture reads this file as code and counts every name here as used. Each group says who
uses its names. A name here hides every definition of it in app/, so nothing goes here
because it merely looks unused: remove dead code instead. Regenerate candidates with
`vulture app --make-whitelist --min-confidence 60`.
"""

# Bare names that are never run (`_` stands for any object): no undefined-name or
# useless-expression findings here.
# ruff: noqa: B018, F821

# Pydantic: `model_config` is read by the model class; field validators are found by their
# decorator, never called by name.
model_config
_._split_origins  # app/config.py, Settings
_._json_types  # app/schemas.py, InModel

# Pydantic response fields and SQLAlchemy mapped columns that no Python code reads by name:
# FastAPI serializes the fields, the ORM loads and stores the columns.
certain  # app/areas/schemas.py, MembershipOut
source_url  # app/areas models and schemas
timezone  # app/meetings models and schemas
organizer_ids  # app/meetings/schemas.py
order  # app/meetings/schemas.py, SessionOut (validated from `ordinal`)
website  # app/organizations models and schemas
author_organization_ids  # app/reports/schemas.py
presented_at_meeting_ids  # app/reports/schemas.py
language  # app/sources models and schemas
members_as_of  # app/trade/schemas.py, SeriesPointOut
reported_bounds  # app/trade/schemas.py, CheckOut
implied_bounds  # app/trade/schemas.py, CheckOut
skipped_derived  # app/trade/import_router.py, ImportSummary (from ImportResult by asdict)
snippet  # app/search/router.py, SearchHit (read from the repository's Hit)
href  # app/web/templating.py, LanguageLink (read by the templates)

# FastAPI: route functions outside the routers, registered by their decorator.
swagger_ui  # app/http/docs.py
swagger_ui_redirect  # app/http/docs.py
redoc  # app/http/docs.py

# SQLAlchemy: TypeDecorator hooks and class attributes (app/db/types.py), the `inherit_cache`
# flag of SQL constructs and their `@compiles` spellings (app/trade/sql_text.py).
impl
cache_ok
_.load_dialect_impl
_.process_bind_param
_.process_result_value
inherit_cache
_stored_text
_numeric_text
_utc_timestamp_text
_sqlite_formula
_pg_formula
_sqlite_inputs
_pg_inputs

# SQLAlchemy event listeners, registered by `@event.listens_for` (app/db/session.py), and
# the sqlite3 connection attribute one of them sets for the driver.
_before_connect
_on_connect
_on_begin
_.isolation_level

# Attributes and protocols other libraries read: the logging module (`Logger.disabled`),
# anyio's thread limiter (`total_tokens`), prometheus_client's `Collector.collect`, and the
# module `__getattr__` (PEP 562) through which uvicorn loads `app.main:app`.
_.disabled  # app/http/logging.py
_.total_tokens  # app/main.py
_.collect  # app/http/metrics.py
__getattr__  # app/main.py

# Problem kinds never raised: `problem_kinds()` finds every AppError subclass by
# `AppError.__subclasses__()`, for the answers of their statuses, the OpenAPI document and
# the `/problems/{slug}` pages (see the comment in app/errors.py).
BadRequest
MethodNotAllowed
TooManyRequests

# Used by benchmarks/, which vulture does not read: results printed around a progress bar.
_.echo  # app/console.py, ProgressBar; benchmarks/history_cost.py

# Used by the tests only, not by the app: each is pinned by a test that keeps it (removing
# one means removing that test). `ENV_VARIABLES` is the entrypoint's documented variables,
# which a test holds against the README.
ENV_VARIABLES  # app/entrypoint.py; tests/deploy/test_docker.py
_.running  # app/http/data_version.py; tests/app/test_container.py
stated_span_years  # app/trade/checks.py; tests/trade/test_properties.py
decimal_text_of  # app/trade/sql_text.py; tests/trade/test_listing.py
_.contains  # app/trade/tolerance.py, Interval; tests/trade/test_properties.py
SOURCED_STATUSES  # app/vocabulary.py; tests/app/test_vocabulary.py
CHECK_SEVERITIES  # app/vocabulary.py; tests/app/test_vocabulary.py

# Routes and validators of the routers and write schemas (FastAPI and Pydantic call them by
# registration; the Pydantic fields of the write schemas share their names with the read
# schemas' fields above)
migrations  # app/health/router.py, Readiness field
_._upper  # app/areas/writes.py, Pydantic validator
_._known_zone  # app/meetings/writes.py, Pydantic validator
_._dates  # app/meetings/writes.py, Pydantic validator
_._date  # app/organizations/writes.py, app/sources/writes.py, Pydantic validators
_._period  # app/people/writes.py, Pydantic validator
_._span  # app/trade/writes.py, Pydantic validator
_.openapi_extra  # app/writes/routes.py, route options unpacked into the FastAPI decorator
_.response_model  # app/writes/routes.py, route options unpacked into the FastAPI decorator
_.operation_id  # app/writes/routes.py, route options unpacked into the FastAPI decorator
_.summary  # app/writes/routes.py, route options unpacked into the FastAPI decorator
_.description  # app/writes/routes.py, route options unpacked into the FastAPI decorator
_.responses  # app/writes/routes.py, route options unpacked into the FastAPI decorator
