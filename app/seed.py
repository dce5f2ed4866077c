"""Load `seed_data/` into the database: idempotent (a second run changes nothing), one transaction.

Each file holds rows of one kind; every fact-bearing row names its source(s). Rows are
upserted by primary key, and a column or link list is written only when it differs, so
re-seeding leaves `updated_at` and the change history untouched.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from app.areas.countries import with_iso_countries
from app.areas.models import Area, ScoMembership
from app.changes.tracking import ACTOR_KEY
from app.meetings.models import (
    Delegation,
    DelegationMember,
    DelegationOrganization,
    Meeting,
    MeetingOrganizer,
    MeetingSession,
    MeetingSource,
    Participation,
)
from app.organizations.models import Organization
from app.package_data import package_folder
from app.people.models import Person, PersonPost, PersonSource
from app.progress import UNWATCHED, Progress
from app.reports.models import Report, ReportAuthor, ReportMeeting, ReportSource
from app.sources.models import OrganizationSource, Source
from app.trade import seed as trade_seed
from app.trade import service as trade_service
from app.trade.models import TradeIndicator, TradeObservation
from app.vocabulary import ImportFormat
from app.writes.fields import ChildSpec, EntitySpec, LinkSpec, apply_fields

SPECS: dict[str, EntitySpec[Any]] = {
    "areas": EntitySpec(Area),
    "memberships": EntitySpec(ScoMembership),
    "organizations": EntitySpec(Organization),
    "sources": EntitySpec(Source),
    "organization_sources": EntitySpec(
        Organization,
        links={"source_ids": LinkSpec("source_links", OrganizationSource, "source_id")},
    ),
    "people": EntitySpec(
        Person,
        links={"source_ids": LinkSpec("source_links", PersonSource, "source_id")},
        children={
            "posts": ChildSpec(
                "posts", PersonPost, ("organization_id", "role", "since", "until", "source_id")
            )
        },
    ),
    "meetings": EntitySpec(
        Meeting,
        links={
            "organizer_ids": LinkSpec("organizer_links", MeetingOrganizer, "organization_id"),
            "source_ids": LinkSpec("source_links", MeetingSource, "source_id"),
        },
    ),
    "sessions": EntitySpec(MeetingSession),
    "delegations": EntitySpec(
        Delegation,
        links={
            "organization_ids": LinkSpec(
                "organization_links", DelegationOrganization, "organization_id"
            )
        },
        children={"members": ChildSpec("members", DelegationMember, ("person_id", "role"))},
    ),
    "participations": EntitySpec(Participation),
    "reports": EntitySpec(
        Report,
        links={
            "author_organization_ids": LinkSpec("author_links", ReportAuthor, "organization_id"),
            "presented_at_meeting_ids": LinkSpec("meeting_links", ReportMeeting, "meeting_id"),
            "source_ids": LinkSpec("source_links", ReportSource, "source_id"),
        },
    ),
    "trade_indicators": EntitySpec(TradeIndicator),
    "trade_observations": EntitySpec(TradeObservation),
}


@dataclass
class SeedReport:
    """What a seed changed, by kind: records created, updated and withdrawn (deleted)."""

    inserted: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    # Records this run created: a later step that completes one (the organizations get their
    # sources once the sources exist) is part of its creation, not an update.
    created: set[tuple[type[Any], tuple[Any, ...]]] = field(default_factory=set, repr=False)

    @property
    def changed(self) -> int:
        return sum(self.inserted.values()) + sum(self.updated.values()) + sum(self.deleted.values())

    def count(self, kind: str, key: tuple[type[Any], tuple[Any, ...]], *, inserted: bool) -> None:
        if inserted:
            self.created.add(key)
        elif key in self.created:
            return
        target = self.inserted if inserted else self.updated
        target[kind] = target.get(kind, 0) + 1

    def summary(self) -> str:
        """`seed: 1,234 created, 5 updated, 1 withdrawn`, or that nothing changed."""
        if not self.changed:
            return "seed: already up to date, nothing changed"
        withdrawn = sum(self.deleted.values())
        return (
            f"seed: {sum(self.inserted.values()):,} created, {sum(self.updated.values()):,} "
            "updated" + (f", {withdrawn:,} withdrawn" if withdrawn else "")
        )

    def by_kind(self) -> list[tuple[str, int, int, int]]:
        """(kind, created, updated, withdrawn) of every kind that changed, in seeding order."""
        kinds = dict.fromkeys([*self.deleted, *self.inserted, *self.updated])
        rows = [
            (kind, self.inserted.get(kind, 0), self.updated.get(kind, 0), self.deleted.get(kind, 0))
            for kind in kinds
        ]
        return [row for row in rows if any(row[1:])]


def _upsert(
    session: Session, kind: str, spec: EntitySpec[Any], row: dict[str, Any], report: SeedReport
) -> None:
    primary_key = spec.primary_key()
    identity = tuple(row[key] for key in primary_key)
    instance = session.get(
        spec.model,
        identity if len(identity) > 1 else identity[0],
        options=spec.load_options(),
    )
    is_new = instance is None
    if instance is None:
        instance = spec.model()
        session.add(instance)
    try:
        changed = apply_fields(spec, instance, row, is_new=is_new)
    except ValueError as error:
        raise ValueError(f"{kind} {identity}: {error}") from error
    if changed:
        report.count(kind, (spec.model, identity), inserted=is_new)
    session.flush()


def _read_yaml(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or []
    if not isinstance(data, list):
        raise ValueError(f"{path.name}: expected a list of rows")
    return data


def _membership_rows(path: Path) -> Iterable[dict[str, Any]]:
    """`sco_members.csv` (one row per country and status spell) as membership rows."""
    with path.open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            since_raw = record["status_from"]
            precision = "year" if len(since_raw) == 4 else "day"
            since = f"{since_raw}-01-01" if precision == "year" else since_raw
            yield {
                "id": f"{record['iso3'].lower()}-{record['status'].replace('_', '-')}-{since}",
                "country": record["iso3"],
                "status": record["status"],
                "since": since,
                "since_precision": precision,
                "until": record["status_to"],
                "source_url": record["source_url"],
            }


def _nested(rows: list[dict[str, Any]], key: str, parent_field: str) -> list[dict[str, Any]]:
    """Child rows written inside their meeting (`sessions:` ...), with the meeting id added."""
    return [
        {parent_field: parent["id"], **child} for parent in rows for child in parent.get(key) or []
    ]


MEETING_CHILDREN = ("sessions", "delegations", "participations")

# Steps run in this order so that every foreign key points at a row already written.
Step = tuple[str, Callable[[Path], list[dict[str, Any]]]]


def _steps() -> list[Step]:
    def meetings(path: Path) -> list[dict[str, Any]]:
        return [
            {key: value for key, value in row.items() if key not in MEETING_CHILDREN}
            for row in _read_yaml(path / "meetings.yaml")
        ]

    def organizations_without_links(path: Path) -> list[dict[str, Any]]:
        return [
            {key: value for key, value in row.items() if key != "source_ids"}
            for row in _read_yaml(path / "organizations.yaml")
        ]

    def organization_links(path: Path) -> list[dict[str, Any]]:
        return [
            {"id": row["id"], "source_ids": row.get("source_ids") or []}
            for row in _read_yaml(path / "organizations.yaml")
        ]

    return [
        # The areas the seed files name (with their cited names), then every other ISO 3166-1
        # country from the maintained code list: a database seeded before the list was
        # added gets the other countries on its next seed.
        ("areas", lambda path: with_iso_countries(_read_yaml(path / "areas.yaml"))),
        ("memberships", lambda path: list(_membership_rows(path / "sco_members.csv"))),
        ("organizations", organizations_without_links),
        ("sources", lambda path: _read_yaml(path / "sources.yaml")),
        ("organization_sources", organization_links),
        ("people", lambda path: _read_yaml(path / "people.yaml")),
        ("meetings", meetings),
        (
            "sessions",
            lambda path: _nested(_read_yaml(path / "meetings.yaml"), "sessions", "meeting_id"),
        ),
        (
            "delegations",
            lambda path: _nested(_read_yaml(path / "meetings.yaml"), "delegations", "meeting_id"),
        ),
        (
            "participations",
            lambda path: _nested(
                _read_yaml(path / "meetings.yaml"), "participations", "meeting_id"
            ),
        ),
        ("reports", lambda path: _read_yaml(path / "reports.yaml")),
        ("trade_indicators", lambda path: _read_yaml(path / "trade_indicators.yaml")),
        ("trade_observations", trade_seed.read_observations),
    ]


# `retired.yaml` names records by these types (the change feed's names).
RETIRED_KINDS = {"meeting": "meetings", "session": "sessions", "delegation": "delegations"}


def _retire(session: Session, seed_dir: Path, report: SeedReport) -> None:
    """Delete what `retired.yaml` withdraws (records no source states), where still present."""
    path = seed_dir / "retired.yaml"
    if not path.exists():
        return
    for row in _read_yaml(path):
        kind = RETIRED_KINDS.get(str(row.get("type")))
        if kind is None or not row.get("why"):
            raise ValueError(
                f"retired.yaml: {row!r} needs a type of {sorted(RETIRED_KINDS)}, a why"
            )
        spec = SPECS[kind]
        instance = session.get(spec.model, row["id"], options=spec.load_options())
        if instance is not None:
            session.delete(instance)
            session.flush()
            report.deleted[kind] = report.deleted.get(kind, 0) + 1


# Published data sets the seed loads through the importers (DESIGN section 8): the file in
# seed_data/, its format and the source its figures cite. The COW file is the rows of the
# Correlates of War dyadic trade v4.0 with a state that ever was an SCO member on either
# side, 1992-2014, unedited (seed_data/README.md says how it was cut).
DATA_SETS: tuple[tuple[str, ImportFormat, str], ...] = (
    ("cow_trade_sco_1992_2014.csv.gz", "cow", "cow-trade-4-0"),
)


def _load_data_sets(
    session: Session, seed_dir: Path, report: SeedReport, progress: Progress
) -> None:
    """Upsert the data sets' figures (unchanged ones stay untouched); the seed recomputes."""
    from app.trade.importers.base import ImportOptions
    from app.trade.importers.pipeline import import_file

    for name, file_format, source_id in DATA_SETS:
        progress.step(name)
        path = seed_dir / name
        if not path.exists():  # a seed directory of one's own need not carry it
            continue
        options = ImportOptions(source_id=source_id, recompute=False)
        result = import_file(session, path.read_bytes(), file_format, options)
        report.inserted[name] = result.inserted
        report.updated[name] = result.updated


def seed(
    session: Session,
    seed_dir: Path | None = None,
    *,
    data_sets: bool = True,
    progress: Progress = UNWATCHED,
) -> SeedReport:
    """Upsert every seed row of `seed_dir` (default: the installation's `seed_data/`) in
    `session` (the caller owns the transaction).

    `data_sets=False` leaves out the published data sets (`DATA_SETS`, some 68,000 figures):
    the press-release figures, meetings and references alone, for a quick database.
    """
    folder = seed_dir or package_folder("seed_data")
    steps = _steps()
    progress.begin(1 + len(steps) + (len(DATA_SETS) if data_sets else 0) + 1)
    report = SeedReport()
    session.info.setdefault(ACTOR_KEY, "seed")
    progress.step("retired records")
    _retire(session, folder, report)
    for kind, read in steps:
        progress.step(kind.replace("_", " "))
        spec = SPECS[kind]
        for row in read(folder):
            _upsert(session, kind, spec, row, report)
    if data_sets:
        _load_data_sets(session, folder, report, progress)
    # Derived figures and `preferred` flags follow from the reported observations; when the
    # seed changed nothing they are as the last seed left them.
    progress.step("derived figures")
    derived = (
        trade_service.recompute(session) if report.changed else trade_service.RecomputeResult()
    )
    report.inserted["derived_trade_observations"] = derived.inserted
    report.updated["derived_trade_observations"] = derived.updated + derived.deleted
    return report
