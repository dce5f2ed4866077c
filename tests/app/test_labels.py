"""The labels of `app.labels`: every vocabulary value named in every language, the SCO's own
names, CLDR's names of countries, and stored names where nothing else is known."""

from __future__ import annotations

import pytest
import yaml

from app.labels import (
    INDICATOR_NAMES,
    VOCABULARY_LABELS,
    area_name,
    indicator_name,
    label,
)
from app.package_data import package_folder
from app.vocabulary import (
    CHECK_SEVERITIES,
    LANGUAGES,
    MEMBERSHIP_STATUSES,
    OBSERVATION_STATUSES,
    QUALIFIERS,
    UNITS,
)

VOCABULARIES = {
    "observation_status": OBSERVATION_STATUSES,
    "check_severity": CHECK_SEVERITIES,
    "membership_status": MEMBERSHIP_STATUSES,
    "qualifier": QUALIFIERS,
    "unit": UNITS,
}


@pytest.mark.parametrize(("vocabulary", "values"), VOCABULARIES.items())
def test_every_value_of_a_vocabulary_has_a_label_in_every_language(
    vocabulary: str, values: tuple[str, ...]
) -> None:
    labels = VOCABULARY_LABELS[vocabulary]  # type: ignore[index]
    assert set(labels) == set(values)
    for value in values:
        assert set(labels[value]) == set(LANGUAGES)
        assert all(labels[value].values())


def test_every_seeded_indicator_has_a_name_in_every_language() -> None:
    seeded = yaml.safe_load(
        (package_folder("seed_data") / "trade_indicators.yaml").read_text(encoding="utf-8")
    )
    assert set(INDICATOR_NAMES) == {indicator["code"] for indicator in seeded}
    for names in INDICATOR_NAMES.values():
        assert set(names) == set(LANGUAGES)


def test_the_sco_is_named_as_it_names_itself() -> None:
    assert area_name("SCO", "ru") == "Шанхайская организация сотрудничества"
    assert area_name("SCO", "zh") == "上海合作组织"
    stored = "Shanghai Cooperation Organisation member states"
    assert area_name("SCO", "en", stored=stored) == stored


@pytest.mark.parametrize(
    ("code", "iso2", "names"),
    [
        ("KAZ", "KZ", ("Kazakhstan", "Казахстан", "哈萨克斯坦")),
        ("CHN", None, ("China", "Китай", "中国")),  # alpha-2 found from the alpha-3 code
        ("ru", None, ("Russia", "Россия", "俄罗斯")),
        ("XKX", "XK", ("Kosovo", "Косово", "科索沃")),  # user-assigned, named by CLDR
    ],
)
def test_countries_have_cldr_names(code: str, iso2: str | None, names: tuple[str, ...]) -> None:
    assert tuple(area_name(code, language, iso2=iso2) for language in LANGUAGES) == names


def test_english_is_the_stored_name_and_unknown_areas_keep_theirs() -> None:
    assert area_name("RUS", "en", stored="Russian Federation") == "Russian Federation"
    assert area_name("RUS", "ru", stored="Russian Federation") == "Россия"
    assert area_name("XTA", "zh", stored="Test group") == "Test group"
    assert area_name("EUU", "ru", stored="European Union", iso2="EU") == "European Union"
    assert area_name("XTA", "ru") == "XTA"


def test_indicators_and_vocabularies_by_language() -> None:
    assert indicator_name("trade_turnover", "ru", stored="Trade turnover") == "Товарооборот"
    assert indicator_name("trade_turnover", "en", stored="Turnover (goods)") == "Turnover (goods)"
    assert indicator_name("new_indicator", "zh", stored="New") == "New"
    assert label("observation_status", "derived", "zh") == "推算值"
    assert label("membership_status", "observer", "ru") == "Государство-наблюдатель"
    assert label("qualifier", "unknown", "ru") == "unknown"
