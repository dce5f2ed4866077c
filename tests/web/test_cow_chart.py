"""The overview's chart of intra-SCO trade from the Correlates of War (COW) trade data set.

The test database is seeded without the data sets, so each test here imports a slice of
the seed's own COW file through the real import path (`import_file`, format `cow`), whose
recompute derives the SCO totals the chart draws.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.trade.importers.base import ImportOptions
from app.trade.importers.pipeline import import_file
from app.trade.wording import EN_DASH
from app.web import charts
from app.web.service import BILLION, FROM_IMPORTS
from tests.web.test_pages import _charts, _page, _points

COW_FILE = Path(__file__).parents[2] / "seed_data" / "cow_trade_sco_1992_2014.csv.gz"
CHART_ID = "chart-cow-intra-sco"
FOUNDERS = frozenset({"CHN", "KAZ", "KGZ", "RUS", "TJK", "UZB"})  # the members of 2001-2002
COMPLETE, INCOMPLETE = 2001, 2002
INTRA_SCO = "reporter=SCO&partner=SCO&indicator=trade_turnover"


def _founder_codes() -> set[str]:
    crosswalk = resources.files("app.trade.importers").joinpath("data/cow_iso_crosswalk.csv")
    with crosswalk.open(encoding="utf-8") as handle:
        return {row["cown"] for row in csv.DictReader(handle) if row["iso3c"] in FOUNDERS}


def _slice() -> tuple[list[str], list[dict[str, str]]]:
    """The seed file's rows between two founding members in 2001 (all) and 2002 (all but
    the last, so that 2002 lacks two declarations)."""
    codes = _founder_codes()
    with gzip.open(COW_FILE, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        rows = [
            row
            for row in reader
            if int(row["year"]) in (COMPLETE, INCOMPLETE)
            and row["ccode1"] in codes
            and row["ccode2"] in codes
        ]
    last_of_2002 = max(i for i, row in enumerate(rows) if int(row["year"]) == INCOMPLETE)
    return header, rows[:last_of_2002] + rows[last_of_2002 + 1 :]


def _load(session: Session) -> list[dict[str, str]]:
    header, rows = _slice()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    import_file(session, out.getvalue().encode(), "cow", ImportOptions())
    session.flush()
    return rows


def _derived(client: TestClient) -> list[dict[str, Any]]:
    """The SCO totals from import declarations, as `/trade/observations` answers them."""
    response = client.get(
        f"/api/v1/trade/observations?{INTRA_SCO}&year_from={COMPLETE}&year_to={INCOMPLETE}"
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return [item for item in items if (item.get("derivation") or {}).get("formula") == FROM_IMPORTS]


def _value(item: dict[str, Any]) -> Decimal:
    """An observation's value from JSON (a number there) as the exact decimal."""
    return Decimal(str(item["value"]))


def _table(html: str) -> list[list[str]]:
    """The rows of the chart's table (the section after its heading, up to its links)."""
    section = html.split(f'id="{CHART_ID}-heading"', 1)[1].split("</table>", 1)[0]
    body = section.split("<tbody>", 1)[1]
    return [re.findall(r"<td>(.*?)</td>", row, re.S) for row in re.findall(r"<tr>(.*?)</tr>", body)]


def test_without_cow_figures_the_chart_is_absent(client: TestClient) -> None:
    html = _page(client)
    assert CHART_ID not in html
    assert "Correlates of War" not in html


def test_the_chart_draws_the_derived_totals_the_api_gives(
    client: TestClient, db_session: Session
) -> None:
    rows = _load(db_session)
    html = _page(client)
    derived = _derived(client)
    assert [item["year"] for item in derived] == [COMPLETE]  # 2002 lacks a declaration
    # The total is every declaration of 2001 (both flows of each row), in dollars.
    flows = [
        Decimal(row[f"flow{side}"]) for row in rows if int(row["year"]) == COMPLETE for side in "12"
    ]
    assert _value(derived[0]) == sum(flows) * 10**6

    chart = _charts(html)[CHART_ID]
    points = _points(chart)
    assert [(int(e.attrib["data-year"]), Decimal(e.attrib["data-value"])) for e in points] == [
        (item["year"], _value(item)) for item in derived
    ]
    table = _table(html)
    assert [(row[0], row[1], row[6]) for row in table] == [
        (
            str(item["year"]),
            charts.format_value(_value(item), BILLION),
            f"derived: {FROM_IMPORTS}",
        )
        for item in derived
    ]
    # A range for the total, as the API gives it; the missing year said, not summed.
    assert all(row[3] for row in table)
    assert f"No total is given for {INCOMPLETE}" in html
    assert f"Intra-SCO trade, {COMPLETE}</h3>" in html
    # The source is cited under the chart.
    assert "Source: Correlates of War Project Trade Data Set Codebook, Version 4.0" in html
    assert f"its figures of {COMPLETE}{EN_DASH}{INCOMPLETE}" in html
