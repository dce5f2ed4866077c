"""The `sco-api` command speaks well: help with defaults and the environment, one line on
stderr for every failure (what to do, a non-zero status, no traceback), no database made by
a command that needs one, readable results.

Commands run in this process (`main`), each from its own empty folder; the environment is
the test's (`DATABASE_URL` set or unset on purpose).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from app import cli
from app.config import Settings
from app.db.migrations import head_revisions, upgrade
from tests.conftest import drop_postgres_database


def _newest() -> str:
    """The newest migration's revision, as `db upgrade` names it."""
    (newest,) = head_revisions()
    return newest


BACKENDS = ["sqlite", "postgresql"]
GOOD_CSV = (
    "reporter,partner,indicator,year,value,precision,qualifier,source_id,note\r\n"
    "KGZ,SCO,trade_turnover,2024,12500000000,100000000,exact,kazinform-2024-04-30,one\r\n"
)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty current folder, far from the checkout, with no DATABASE_URL: the default
    database is ./data/sco.db there."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return work


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = cli.main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert lines[0].startswith("sco-api: ")
    return lines[0]


# --- help ---------------------------------------------------------------------------------


def test_the_main_help_names_every_setting_of_the_environment(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    for field in Settings.model_fields.values():
        assert field.alias is not None
        assert f"\n  {field.alias}\n" in text
    words = " ".join(text.split())
    assert "(default: sqlite:///./data/sco.db)" in words
    assert "exit status: 0 done, 1 refused" in words


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        (["serve"], ["(default: 127.0.0.1)", "(default: 8000)", "(default: 1)"]),
        (["db", "upgrade"], ["(default: head)", "--create"]),
        (["db", "downgrade"], ["(default: -1)"]),
        (["keys", "create"], ["(default: write)"]),
        (["seed"], ["--no-data-sets"]),
    ],
)
def test_each_command_shows_its_defaults(
    command: list[str], shown: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        cli.main([*command, "--help"])
    text = " ".join(capsys.readouterr().out.split())  # the lines wrapped as the terminal is
    for words in shown:
        assert words in text
    assert "(default: None)" not in text


# --- no database: said, not made ----------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["keys", "create", "--name", "editor"],
        ["keys", "list"],
        ["keys", "revoke", "editor"],
        ["seed"],
        ["serve"],
        ["db", "downgrade"],
    ],
)
def test_a_command_that_finds_no_database_says_where_it_looked_and_makes_none(
    command: list[str], folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, *command)

    assert status == cli.CANNOT_RUN
    assert out == ""
    line = one_line(err)
    assert f"No database at {folder / 'data' / 'sco.db'}" in line
    assert "DATABASE_URL=sqlite:///./data/sco.db" in line
    assert "sco-api db upgrade" in line
    assert list(folder.iterdir()) == []  # not even data/


def test_import_of_a_file_that_is_not_there(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, "import", "figures.csv")

    assert status == cli.CANNOT_RUN
    assert one_line(err) == "sco-api: cannot read figures.csv: No such file or directory"
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("empty_database_url", BACKENDS, indirect=True)
def test_a_database_with_no_migrations_is_named_with_its_password_hidden(
    empty_database_url: str,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = make_url(empty_database_url)
    if url.get_backend_name() == "sqlite":
        create_engine(url).connect().close()  # an empty file: there, but not migrated
        where = str(Path(url.database or ""))
    else:
        url = url.set(password="s3cret-word")  # the test server trusts local connections
        where = url.render_as_string(hide_password=True)
    monkeypatch.setenv("DATABASE_URL", url.render_as_string(hide_password=False))

    status, _, err = run(capsys, "keys", "list")

    assert status == cli.CANNOT_RUN
    line = one_line(err)
    assert f"The database at {where} is not migrated" in line
    assert "run `sco-api db upgrade`" in line
    assert "s3cret-word" not in line


def test_a_database_behind_the_code_is_told_to_upgrade(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{folder / 'old.db'}"
    upgrade(url, "0008")
    monkeypatch.setenv("DATABASE_URL", url)

    status, _, err = run(capsys, "seed")

    assert status == cli.CANNOT_RUN
    assert f"is at revision 0008, not at the newest ({_newest()})" in one_line(err)


def test_db_upgrade_create_makes_a_missing_postgresql_database(
    postgres_base_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    name = f"sco_test_create_{uuid.uuid4().hex[:8]}"
    url = make_url(postgres_base_url).set(database=name).render_as_string(hide_password=False)
    monkeypatch.setenv("DATABASE_URL", url)
    try:
        status, _, err = run(capsys, "keys", "list")
        assert status == cli.CANNOT_RUN
        line = one_line(err)
        assert f"The database '{name}' does not exist" in line
        assert f"createdb -h {make_url(url).host}" in line
        assert "sco-api db upgrade --create" in line

        status, out, err = run(capsys, "db", "upgrade", "--create")

        assert status == 0, err
        assert out.splitlines()[0] == f"db upgrade: created the database {make_url(url)}"
        assert out.splitlines()[-1].endswith(f"is at revision {_newest()} (the newest)")
        assert run(capsys, "keys", "list")[0] == 0
    finally:
        drop_postgres_database(url)


# --- failures in one line -----------------------------------------------------------------


def test_a_setting_that_is_not_valid_is_named(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SCO_RATE_LIMIT", "lots")

    status, _, err = run(capsys, "keys", "list")

    assert status == cli.CANNOT_RUN
    assert "SCO_RATE_LIMIT='lots'" in one_line(err)


def test_an_unknown_revision_is_one_line(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{folder / 'sco.db'}"
    upgrade(url)
    monkeypatch.setenv("DATABASE_URL", url)

    status, _, err = run(capsys, "db", "downgrade", "no-such-revision")

    assert status == cli.CANNOT_RUN
    assert "no-such-revision" in one_line(err)


def test_an_unexpected_error_is_one_line_unless_the_traceback_is_asked_for(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*_args: object) -> int:
        raise RuntimeError("something nobody foresaw")

    monkeypatch.setattr(cli, "_keys_list", broken)

    status, _, err = run(capsys, "keys", "list")

    assert status == cli.REFUSED
    line = one_line(err)
    assert "unexpected error: RuntimeError: something nobody foresaw" in line
    assert "--traceback" in line
    with pytest.raises(RuntimeError):
        cli.main(["--traceback", "keys", "list"])


# --- a migrated database: readable results ------------------------------------------------


@pytest.fixture
def migrated(folder: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """`sco-api db upgrade` in the empty folder: ./data/sco.db, made by the one command
    that may make it."""
    status, out, err = run(capsys, "db", "upgrade")
    assert status == 0, err
    database = folder / "data" / "sco.db"
    assert out.splitlines() == [
        f"db upgrade: the database at {database} is at revision {_newest()} (the newest)"
    ]
    return database


def test_a_fresh_seed_reports_what_it_created_and_a_second_that_nothing_changed(
    migrated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "seed", "--no-data-sets")

    assert status == 0
    assert err == ""  # no progress bar where stderr is not a terminal
    first, header, *rows = out.splitlines()
    assert re.fullmatch(r"seed: [\d,]+ created, 0 updated", first), first
    assert header.split() == ["CREATED"]  # nothing updated or withdrawn: no such columns
    kinds = {row.rsplit(maxsplit=1)[0].strip(): row.split()[-1] for row in rows}
    assert kinds["organizations"] == "37"  # completed with their sources, not "updated"
    assert "organization sources" not in kinds
    assert run(capsys, "seed", "--no-data-sets")[1] == "seed: already up to date, nothing changed\n"


def test_keys_list_is_a_table_whose_columns_line_up(
    migrated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "keys", "list")[1] == (
        "No API keys yet; create one with `sco-api keys create --name NAME`.\n"
    )
    status, out, _ = run(capsys, "keys", "create", "--name", "a-rather-long-key-name")
    assert status == 0
    assert out.splitlines()[-1].startswith("sco_")  # the key alone on the last line
    run(capsys, "keys", "create", "--name", "ed", "--scope", "read")
    run(capsys, "keys", "revoke", "ed")

    status, out, _ = run(capsys, "keys", "list")

    header, *rows = out.splitlines()
    assert header.split("  ")[0] == "NAME"
    columns = [header.index(name) for name in ("SCOPE", "CREATED", "LAST USED", "REVOKED")]
    for row in rows:
        for column in columns:  # each cell starts where its header does, after a gap
            assert row[column - 2 : column] == "  ", (row, column)
            assert row[column] != " ", (row, column)
    assert len(rows) == 2
    revoked = next(row for row in rows if row.startswith("ed "))
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", revoked)


def test_revoking_a_key_that_is_not_there_is_refused(
    migrated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, "keys", "revoke", "nobody")

    assert status == cli.REFUSED
    assert one_line(err) == "sco-api: No key named 'nobody'."


def test_import_prints_readable_lines(
    migrated: Path, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "seed", "--no-data-sets")
    (folder / "figures.csv").write_text(GOOD_CSV)

    status, out, err = run(capsys, "import", "figures.csv")

    assert status == 0
    assert err == ""
    assert out.splitlines() == [
        "import figures.csv (csv): 1 row, 1 figure",
        "  1 inserted, 0 updated, 0 unchanged, 0 skipped",
        "  derived figures: 0 inserted, 0 updated, 0 deleted; 1 preferred flag changed",
    ]
    assert not re.search(r"[{}\[\]]", out)  # no Python dict or list printed


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"a": 1}', ["sco-api: bad.json: file: expected a JSON array of observations"]),
        (
            "not json",
            ["sco-api: bad.json: file: not valid JSON: Expecting value: line 1 column 1 (char 0)"],
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_one_line(
    content: str,
    expected: list[str],
    migrated: Path,
    folder: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (folder / "bad.json").write_text(content)

    status, out, err = run(capsys, "import", "bad.json")

    assert status == cli.REFUSED
    assert out == ""
    assert err.splitlines() == expected


def test_a_file_with_bad_rows_lists_each_under_one_summary(
    migrated: Path, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "seed", "--no-data-sets")
    header = GOOD_CSV.splitlines()[0]
    (folder / "bad.csv").write_text(f"{header}\r\nKAZ,SCO,trade_turnover,1800,1,1,exact,x,y\r\n")

    status, _, err = run(capsys, "import", "bad.csv")

    assert status == cli.REFUSED
    summary, *problems = err.splitlines()
    assert summary == "sco-api: bad.csv: 2 problem(s) in the file; nothing was imported."
    assert problems[0].startswith("  line 2: year: ")
    assert problems[1] == "  line 2: source_id: unknown source 'x'"


def test_a_reader_that_goes_away_ends_the_command_quietly(tmp_path: Path) -> None:
    read, write = os.pipe()
    os.close(read)  # like `sco-api db upgrade | head -0`: nobody reads what is printed
    try:
        ended = subprocess.run(
            [sys.executable, "-m", "app.cli", "db", "upgrade"],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
            env={
                **os.environ,
                "DATABASE_URL": f"sqlite:///{tmp_path / 'sco.db'}",
                "PYTHONUNBUFFERED": "1",  # each line written as it is printed
            },
            timeout=120,
            check=False,
        )
    finally:
        os.close(write)
    assert ended.returncode == cli.BROKEN_PIPE
    assert ended.stderr == ""
