"""Import formats through `POST /trade/imports?format=` and `sco-api import --format`.

The COW tests read the real Correlates of War file (shared/data/cow-trade-4.0) and compare
what is stored with the file itself; the Comtrade tests send files in the column layout UN
Comtrade's API and bulk downloads give. Both run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import gzip
import io
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select

from app.package_data import package_folder
from app.trade.importers.base import SKIPS, Skip
from app.trade.models import TradeIndicator
from tests.conftest import bearer

IMPORTS = "/api/v1/trade/imports"
OBSERVATIONS = "/api/v1/trade/observations"
# The whole COW file beside the checkout (shared/data/); where it is absent, the seed's
# slice of it (every pair with an SCO member state, 1992-2014, unedited rows).
COW_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "cow-trade-4.0"
FULL_COW_FILE = COW_DIR / "cow_trade_ndy.csv.gz"
COW_FILE = (
    FULL_COW_FILE
    if FULL_COW_FILE.is_file()
    else package_folder("seed_data") / "cow_trade_sco_1992_2014.csv.gz"
)
COW_SOURCE = "cow-trade-4-0"
MILLION = Decimal(10) ** 6
# COW codes of seeded areas (Russia, China, Kazakhstan, Uzbekistan) and of former states.
RUS, CHN, KAZ, UZB = 365, 710, 705, 704
YUGOSLAVIA, CZECHOSLOVAKIA, GDR = 345, 315, 265
# Indicators `imports` and `exports` (DESIGN section 8): created here where the seed lacks them.
TRADE_FLOW_INDICATORS = {
    "imports": "Imports of goods of the reporter from the partner, current US dollars.",
    "exports": "Exports of goods of the reporter to the partner, current US dollars.",
}

# Former states and years before 1990 are in the whole file only.
needs_full_cow_file = pytest.mark.skipif(
    not FULL_COW_FILE.is_file(), reason=f"no COW file at {FULL_COW_FILE}"
)


@pytest.fixture
def flow_indicators(client: TestClient, write_key: str) -> None:
    for code, description in TRADE_FLOW_INDICATORS.items():
        if client.get(f"/api/v1/trade/indicators/{code}").status_code == 404:
            body = {"code": code, "name": code.title(), "unit": "USD", "description": description}
            created = client.post("/api/v1/trade/indicators", json=body, headers=bearer(write_key))
            assert created.status_code == 201, created.text


def _post(client: TestClient, key: str, body: bytes, media: str = "text/csv", **params: str) -> Any:
    return client.post(
        IMPORTS, content=body, params=params, headers={**bearer(key), "Content-Type": media}
    )


def _figure(client: TestClient, reporter: str, partner: str, indicator: str, year: int) -> Any:
    params = {"reporter": reporter, "partner": partner, "indicator": indicator, "year": str(year)}
    items = client.get(OBSERVATIONS, params=params).json()["items"]
    return items[0] if len(items) == 1 else items


# --- COW --------------------------------------------------------------------------------------


def _cow_rows(keep: Callable[[dict[str, str]], bool]) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the rows of the real COW file that `keep` selects."""
    with gzip.open(COW_FILE, "rt", newline="") as stream:
        reader = csv.DictReader(stream)
        return list(reader.fieldnames or []), [row for row in reader if keep(row)]


def _cow_file(header: list[str], rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _pair(row: dict[str, str], first: int, second: int, year: int) -> bool:
    return {int(row["ccode1"]), int(row["ccode2"])} == {first, second} and int(row["year"]) == year


@pytest.mark.usefixtures("flow_indicators")
def test_cow_figures_are_the_file_s_millions_in_dollars(client: TestClient, write_key: str) -> None:
    header, rows = _cow_rows(lambda row: _pair(row, RUS, CHN, 2014) or _pair(row, KAZ, CHN, 2014))
    assert len(rows) == 2
    answer = _post(client, write_key, gzip.compress(_cow_file(header, rows)), "application/gzip",
                   format="cow")  # fmt: skip
    assert answer.status_code == 200, answer.text
    summary = answer.json()
    assert (summary["format"], summary["received"], summary["figures"]) == ("cow", 2, 4)
    assert (summary["inserted"], summary["skipped"]) == (4, {})
    codes = {RUS: "RUS", CHN: "CHN", KAZ: "KAZ"}
    for row in rows:
        first, second = codes[int(row["ccode1"])], codes[int(row["ccode2"])]
        for reporter, partner, flow in ((first, second, "flow1"), (second, first, "flow2")):
            stored = _figure(client, reporter, partner, "imports", 2014)
            assert Decimal(str(stored["value"])) == Decimal(row[flow]) * MILLION
            assert Decimal(str(stored["precision"])) == MILLION
            assert (stored["qualifier"], stored["status"], stored["source_id"]) == (
                "exact",
                "reported",
                COW_SOURCE,
            )
            half = MILLION / 2
            assert Decimal(str(stored["bounds"]["lower"])) == Decimal(row[flow]) * MILLION - half
    again = _post(client, write_key, _cow_file(header, rows), format="cow").json()
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 4)


FORMER = {YUGOSLAVIA, CZECHOSLOVAKIA, GDR}


def _expected_cow_outcome(row: dict[str, str], flow: str) -> Skip | None:
    """What the import should do with one declaration, read off the row as the codebook says."""
    year = int(row["year"])
    codes = {int(row["ccode1"]), int(row["ccode2"])}
    if year < 1990:
        return "year_outside_range"
    if codes & FORMER or (RUS in codes and year < 1992):
        return "former_state"
    if row[flow] == "":
        return "no_figure"
    return None


@needs_full_cow_file
@pytest.mark.usefixtures("flow_indicators")
def test_cow_slice_with_former_states_counts_every_skip(client: TestClient, write_key: str) -> None:
    states = {RUS, CHN, KAZ, UZB} | FORMER
    header, rows = _cow_rows(
        lambda row: (
            {int(row["ccode1"]), int(row["ccode2"])} <= states and 1985 <= int(row["year"]) <= 1995
        )
    )
    expected: Counter[str] = Counter()
    for row in rows:
        for flow in ("flow1", "flow2"):
            expected[_expected_cow_outcome(row, flow) or "imported"] += 1
    # The slice has each kind of skip, or the test would prove less than it says.
    assert {"year_outside_range", "former_state", "imported"} <= set(expected)
    answer = _post(client, write_key, _cow_file(header, rows), format="cow")
    assert answer.status_code == 200, answer.text
    summary = answer.json()
    imported = expected.pop("imported")
    assert summary["inserted"] == imported
    assert summary["skipped"] == dict(expected)
    assert summary["figures"] == 2 * len(rows) == imported + sum(expected.values())
    # COW's 365 is the USSR until 1991: nothing of it is stored as Russia's.
    assert _figure(client, "RUS", "CHN", "imports", 1991) == []
    assert _figure(client, "RUS", "CHN", "imports", 1992)["source_id"] == COW_SOURCE


@pytest.mark.usefixtures("flow_indicators")
def test_cow_reads_missing_figures_and_refuses_unreadable_ones(
    client: TestClient, write_key: str
) -> None:
    # 260 (the German Federal Republic, to 1990) is not in the crosswalk.
    good = (
        b"ccode1,ccode2,year,flow1,flow2\n365,710,2010,-9,\n705,710,2010,1.25,7\n260,710,1990,5,5\n"
    )
    summary = _post(client, write_key, good, format="cow", source="oq-gov-kz-2024-05-02").json()
    assert summary["inserted"] == 2
    assert summary["skipped"] == {"no_figure": 2, "unknown_state": 2}
    stored = _figure(client, "KAZ", "CHN", "imports", 2010)
    # 1.25 million, published to the hundredth of a million.
    assert Decimal(str(stored["value"])) == Decimal("1250000")
    assert Decimal(str(stored["precision"])) == Decimal("10000")
    assert stored["source_id"] == "oq-gov-kz-2024-05-02"
    bad = b"ccode1,ccode2,year,flow1,flow2\n365,710,20x4,1,1\n365,710,2011,abc,-3\n"
    answer = _post(client, write_key, bad, format="cow")
    assert answer.status_code == 422
    found = {(error.get("line"), error["field"]) for error in answer.json()["errors"]}
    assert found == {(2, "year"), (3, "flow1"), (3, "flow2")}
    assert _figure(client, "RUS", "CHN", "imports", 2011) == []


def test_a_file_with_very_many_problems_lists_a_thousand(
    client: TestClient, write_key: str
) -> None:
    body = b"ccode1,ccode2,year,flow1,flow2\n" + b"365,710,x,1,1\n" * 1200
    answer = _post(client, write_key, body, format="cow")
    assert answer.status_code == 422
    assert answer.json()["detail"].startswith("1000 problems or more")
    assert len(answer.json()["errors"]) == 1000


# --- Comtrade ---------------------------------------------------------------------------------

# The columns of a Comtrade+ API CSV (`/data/v1/get/C/A/HS?...&format=csv`), in its order.
COMTRADE_HEADER = (
    "typeCode,freqCode,refPeriodId,refYear,refMonth,period,reporterCode,reporterISO,"
    "reporterDesc,flowCode,flowDesc,partnerCode,partnerISO,partnerDesc,partner2Code,"
    "partner2ISO,partner2Desc,classificationCode,classificationSearchCode,"
    "isOriginalClassification,cmdCode,cmdDesc,aggrLevel,isLeaf,customsCode,customsDesc,"
    "mosCode,motCode,motDesc,qtyUnitCode,qtyUnitAbbr,qty,isQtyEstimated,altQtyUnitCode,"
    "altQtyUnitAbbr,altQty,isAltQtyEstimated,netWgt,isNetWgtEstimated,grossWgt,"
    "isGrossWgtEstimated,cifvalue,fobvalue,primaryValue,legacyEstimationFlag,isReported,"
    "isAggregate"
)
COMTRADE_COLUMNS = COMTRADE_HEADER.split(",")
AREAS = {
    "KAZ": ("398", "Kazakhstan"),
    "CHN": ("156", "China"),
    "RUS": ("643", "Russian Federation"),
    "W00": ("0", "World"),
    "_X": ("899", "Areas, nes"),
}
FLOWS = {"X": "Export", "M": "Import", "RX": "Re-export", "RM": "Re-import"}


def _comtrade_row(
    reporter: str,
    partner: str,
    flow: str,
    value: str,
    *,
    year: int = 2022,
    command: str = "TOTAL",
    frequency: str = "A",
    transport: str = "0",
    reported: str = "True",
) -> dict[str, str]:
    row = dict.fromkeys(COMTRADE_COLUMNS, "")
    row.update(
        typeCode="C", freqCode=frequency, refPeriodId=f"{year}0101", refYear=str(year),
        refMonth="52", period=str(year), reporterCode=AREAS[reporter][0], reporterISO=reporter,
        reporterDesc=AREAS[reporter][1], flowCode=flow, flowDesc=FLOWS[flow],
        partnerCode=AREAS[partner][0], partnerISO=partner, partnerDesc=AREAS[partner][1],
        partner2Code="0", partner2ISO="W00", partner2Desc="World", classificationCode="H6",
        classificationSearchCode="HS", isOriginalClassification="True", cmdCode=command,
        cmdDesc="All Commodities" if command == "TOTAL" else "Mineral fuels", aggrLevel="0",
        isLeaf="False", customsCode="C00", customsDesc="TOTAL CPC", mosCode="0",
        motCode=transport, motDesc="TOTAL MOT", qtyUnitCode="-1", qtyUnitAbbr="N/A",
        isQtyEstimated="False", isAltQtyEstimated="False", isNetWgtEstimated="False",
        isGrossWgtEstimated="False", primaryValue=value, legacyEstimationFlag="0",
        isReported=reported, isAggregate="True",
    )  # fmt: skip
    row["cifvalue" if flow.endswith("M") else "fobvalue"] = value
    return row


def _comtrade_file(rows: list[dict[str, str]], delimiter: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=COMTRADE_COLUMNS, delimiter=delimiter, lineterminator="\r\n"
    )
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


COMTRADE_SAMPLE = [
    _comtrade_row("KAZ", "CHN", "X", "10480366131.357"),
    _comtrade_row("KAZ", "CHN", "M", "15260000000", reported="False"),
    _comtrade_row("KAZ", "RUS", "RX", "1200000"),
    _comtrade_row("KAZ", "RUS", "RM", "5000"),
    _comtrade_row("KAZ", "CHN", "X", "4567000000", command="27"),
    _comtrade_row("KAZ", "W00", "X", "84390000000"),
    _comtrade_row("KAZ", "_X", "X", "12000"),
    _comtrade_row("KAZ", "CHN", "M", "900000000", frequency="M"),
    _comtrade_row("KAZ", "CHN", "M", "1000", transport="2100"),
    _comtrade_row("KAZ", "RUS", "X", "1000000", year=1988),
    _comtrade_row("KAZ", "RUS", "M", ""),
]
COMTRADE_SKIPS = {
    "re_export_or_re_import": 2,
    "not_total": 1,
    "world": 1,
    "not_a_country": 1,
    "not_annual": 1,
    "breakdown": 1,
    "year_outside_range": 1,
    "no_figure": 1,
}


@pytest.fixture
def download_source(client: TestClient, write_key: str) -> str:
    body = {
        "id": "un-comtrade-download-test",
        "title": "[UN Comtrade extract, Kazakhstan 2022, TOTAL, annual]",
        "url": "https://comtradeplus.un.org/",
        "language": "en",
        "priority": 100,
    }
    created = client.post("/api/v1/sources", json=body, headers=bearer(write_key))
    assert created.status_code == 201, created.text
    return str(body["id"])


@pytest.mark.usefixtures("flow_indicators")
@pytest.mark.parametrize(("delimiter", "compress"), [(",", False), ("\t", True)])
def test_comtrade_csv_and_bulk_file(
    client: TestClient, write_key: str, download_source: str, delimiter: str, compress: bool
) -> None:
    body = _comtrade_file(COMTRADE_SAMPLE, delimiter)
    media = "application/gzip" if compress else "text/csv"
    answer = _post(client, write_key, gzip.compress(body) if compress else body, media,
                   format="comtrade", source=download_source)  # fmt: skip
    assert answer.status_code == 200, answer.text
    summary = answer.json()
    assert (summary["received"], summary["figures"], summary["inserted"]) == (11, 11, 2)
    assert summary["skipped"] == COMTRADE_SKIPS
    exports = _figure(client, "KAZ", "CHN", "exports", 2022)
    assert Decimal(str(exports["value"])) == Decimal("10480366131.357")
    assert Decimal(str(exports["precision"])) == Decimal("0.001")
    assert (exports["status"], exports["source_id"]) == ("reported", download_source)
    imports = _figure(client, "KAZ", "CHN", "imports", 2022)
    assert Decimal(str(imports["value"])) == Decimal("15260000000")
    assert imports["status"] == "estimated"  # isReported False: not Kazakhstan's declaration


@pytest.mark.usefixtures("flow_indicators")
def test_comtrade_needs_a_source_and_known_areas(
    client: TestClient, write_key: str, download_source: str
) -> None:
    body = _comtrade_file(COMTRADE_SAMPLE[:1])
    missing = _post(client, write_key, body, format="comtrade")
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "source"
    unknown_source = _post(client, write_key, body, format="comtrade", source="no-such-source")
    assert unknown_source.status_code == 422
    assert [error["field"] for error in unknown_source.json()["errors"]] == ["source"]
    row = _comtrade_row("KAZ", "CHN", "X", "12")
    row.update(partnerISO="QQQ", primaryValue="12,5")
    answer = _post(client, write_key, _comtrade_file([row]), format="comtrade",
                   source=download_source)  # fmt: skip
    assert answer.status_code == 422
    assert {(e["line"], e["field"]) for e in answer.json()["errors"]} == {(2, "primaryValue")}
    row["primaryValue"] = "12"
    answer = _post(client, write_key, _comtrade_file([row]), format="comtrade",
                   source=download_source)  # fmt: skip
    assert {(e["line"], e["field"]) for e in answer.json()["errors"]} == {(2, "partnerISO")}


# --- errors, formats, media types -------------------------------------------------------------

HEADER = "reporter,partner,indicator,year,value,precision,qualifier,source_id,note\r\n"


def test_every_problem_of_every_row_in_one_answer(client: TestClient, write_key: str) -> None:
    body = (
        HEADER
        + "KAZ,SCO,trade_turnover,2021,1,1,exact,kazinform-2024-04-30,fine\r\n"
        # schema errors (year, value) and reference errors (partner, source) in one row
        + "KAZ,ZZZ,trade_turnover,1800,x,1,exact,no-such-source,four problems\r\n"
        # references only
        + "QQ,SCO,no_such_indicator,2020,1,1,exact,kazinform-2024-04-30,two\r\n"
        # a rule (negative money) next to a schema error (qualifier)
        + "KAZ,SCO,trade_turnover,2020,-1,1,roughly,kazinform-2024-04-30,two more\r\n"
        # the first row again
        + "KAZ,SCO,trade_turnover,2021,1,1,exact,kazinform-2024-04-30,fine\r\n"
    )
    before = client.get(OBSERVATIONS, params={"reporter": "KAZ", "year": "2021"}).json()
    answer = _post(client, write_key, body.encode())
    assert answer.status_code == 422
    found = {(error["line"], error["field"]) for error in answer.json()["errors"]}
    assert found == {
        (3, "year"),
        (3, "value"),
        (3, "partner"),
        (3, "source_id"),
        (4, "reporter"),
        (4, "indicator"),
        (5, "qualifier"),
        (5, "value"),
        (6, "row"),
    }
    after = client.get(OBSERVATIONS, params={"reporter": "KAZ", "year": "2021"}).json()
    assert after == before


@pytest.mark.parametrize(
    ("params", "media", "status"),
    [
        ({"format": "xml"}, "text/csv", 422),
        ({"format": "csv", "source": "kazinform-2024-04-30"}, "text/csv", 422),
        ({"format": "cow", "source": "Not A Slug"}, "text/csv", 422),
        # a media type the import takes, but not for this format: a rule between the two
        ({"format": "cow"}, "application/json", 422),
        ({"format": "json"}, "text/csv", 422),
        ({}, "application/gzip", 422),
        ({}, "text/plain", 422),
        ({"format": "cow"}, "application/xml", 415),
    ],
)
def test_format_and_media_type_are_checked(
    client: TestClient, write_key: str, params: dict[str, str], media: str, status: int
) -> None:
    answer = _post(client, write_key, HEADER.encode(), media, **params)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"


def test_own_csv_gzip_compressed(client: TestClient, write_key: str) -> None:
    body = HEADER + "KGZ,SCO,trade_turnover,2021,12,1,exact,kazinform-2024-04-30,gz\r\n"
    answer = _post(client, write_key, gzip.compress(body.encode()), "application/gzip",
                   format="csv")  # fmt: skip
    assert answer.status_code == 200, answer.text
    assert (answer.json()["format"], answer.json()["inserted"]) == ("csv", 1)
    broken = _post(client, write_key, gzip.compress(body.encode())[:30], "application/gzip",
                   format="csv")  # fmt: skip
    assert broken.status_code == 422


def test_skip_reasons_are_one_list() -> None:
    from typing import get_args

    assert tuple(SKIPS) == get_args(Skip)


# --- the command line -------------------------------------------------------------------------


@pytest.fixture
def cli_database(empty_database_url: str) -> str:
    from tests.support.live import prepare_database

    engine = prepare_database(empty_database_url)
    with engine.begin() as connection:
        present = set(connection.scalars(select(TradeIndicator.code)))
        rows = [
            {"code": code, "name": code.title(), "unit": "USD", "description": description}
            for code, description in TRADE_FLOW_INDICATORS.items()
            if code not in present
        ]
        if rows:
            connection.execute(insert(TradeIndicator), rows)
    engine.dispose()
    return empty_database_url


def _cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"DATABASE_URL": url, "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "import", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


@needs_full_cow_file
@pytest.mark.parametrize("empty_database_url", ["sqlite", "postgresql"], indirect=True)
def test_cli_imports_cow_with_format_and_prints_the_skips(
    tmp_path: Path, cli_database: str
) -> None:
    header, rows = _cow_rows(
        lambda row: (
            {int(row["ccode1"]), int(row["ccode2"])} <= {RUS, CHN, KAZ, YUGOSLAVIA}
            and 1989 <= int(row["year"]) <= 1993
        )
    )
    file = tmp_path / "cow-slice.csv.gz"
    file.write_bytes(gzip.compress(_cow_file(header, rows)))
    without_format = _cli(cli_database, str(file))
    assert without_format.returncode == 1  # read as the API's own CSV: COW's columns are unknown
    assert "unknown column" in without_format.stderr
    first = _cli(cli_database, str(file), "--format", "cow")
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    assert lines[0] == f"import cow-slice.csv.gz (cow): {len(rows)} rows, {2 * len(rows)} figures"
    assert SKIPS["former_state"] in first.stdout
    assert SKIPS["year_outside_range"] in first.stdout
    inserted = lines[1].split()[0]
    assert int(inserted) > 0
    second = _cli(cli_database, str(file), "--format", "cow")
    assert second.stdout.splitlines()[1].startswith(
        f"  0 inserted, 0 updated, {inserted} unchanged"
    )
    assert _cli(cli_database, str(file), "--format", "sdmx").returncode == 2


def test_a_compressed_file_may_not_expand_past_the_import_limit(
    client: TestClient, write_key: str
) -> None:
    # A few hundred KiB that expand to one byte more than SCO_IMPORT_MAX_BYTES (50 MiB).
    bomb = gzip.compress(b"\0" * (50 * 1024 * 1024 + 1), compresslevel=9)
    answer = _post(client, write_key, bomb, "application/gzip", format="cow")
    assert answer.status_code == 413
    assert answer.headers["content-type"] == "application/problem+json"
