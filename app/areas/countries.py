"""Every ISO 3166-1 country as an area row, from `pycountry`.

pycountry ships the iso-codes data that Debian maintains (alpha-2, alpha-3, numeric code
and English names), inside the package: no download at run time, and the code list moves
only when the pinned version does. An area's `name` is pycountry's `common_name` where it
has one ("Iran", "Laos"), else its `name` ("Kazakhstan", "Russian Federation"); the areas
`seed_data/areas.yaml` lists keep the names written (and cited) there.
"""

from __future__ import annotations

from typing import Any

import pycountry


def country_name(country: Any) -> str:
    """The short name people use: `common_name` where ISO's `name` is formal."""
    common = getattr(country, "common_name", None)
    return str(common or country.name)


def iso_country_rows() -> list[dict[str, Any]]:
    """Every ISO 3166-1 country as an area row (`code` alpha-3, `iso2` alpha-2), by code."""
    return sorted(
        (
            {
                "code": country.alpha_3,
                "iso2": country.alpha_2,
                "name": country_name(country),
                "kind": "country",
            }
            for country in pycountry.countries
        ),
        key=lambda row: row["code"],
    )


def with_iso_countries(listed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`listed` (the seed file's areas, which win) followed by every other ISO country."""
    codes = {row["code"] for row in listed}
    return listed + [row for row in iso_country_rows() if row["code"] not in codes]
