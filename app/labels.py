"""The names the API gives in English, Russian and Chinese: one home for every served label.

Three kinds of name, each with its rule (DESIGN section 9):

* Areas (`area_name`): in English the stored name (the seed cites it; a write may change
  it); in Russian and Chinese the CLDR territory name of the area's ISO 3166-1 alpha-2 code
  (Unicode CLDR, shipped inside `babel`: no download at run time), or the group's name
  below. An area CLDR does not name (a group someone added) keeps its stored name.
* Indicators (`indicator_name`): in English the stored name; in Russian and Chinese the
  project's own label of the code below. An indicator added by a write has no such label
  yet and keeps its stored name in every language.
* Vocabularies (`label`): the human name of a status, qualifier, unit or severity in each
  language.

Stored facts (titles, notes, quotes, the names of organizations and people) are never
translated: they stay in the language their source used. Everything here is looked up on
use; nothing is read at import.

The labels were written for this project: the SCO's names as the organisation writes
them (Шанхайская организация сотрудничества, 上海合作组织); the other Russian and Chinese
terms as the statistics offices of those languages use them (товарооборот, 贸易额).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache, lru_cache
from typing import Literal

import pycountry
from babel import Locale

from app.vocabulary import DEFAULT_LANGUAGE, Language

Labels = Mapping[Language, str]

# --- areas -----------------------------------------------------------------------------------

# Groups are no territory CLDR names. The Russian and Chinese names are the organisation's
# own; the English one is the stored name of the seed (`seed_data/areas.yaml`).
GROUP_NAMES: Mapping[str, Labels] = {
    "SCO": {
        "en": "Shanghai Cooperation Organisation member states",
        "ru": "Шанхайская организация сотрудничества",
        "zh": "上海合作组织",
    },
}
# Codes outside ISO 3166-1 that CLDR names as a country, alpha-3 to alpha-2: Kosovo, as the
# IMF and the EU write it. CLDR's other codes (`EU`, `UN`, `ZZ`...) name no country.
USER_ASSIGNED = {"XKX": "XK"}


@cache
def _territories(language: Language) -> Mapping[str, str]:
    """CLDR's territory names in `language`, by code (alpha-2, or UN M.49 for regions)."""
    territories: Mapping[str, str] = Locale.parse(language).territories
    return territories


def _alpha2(code: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of an alpha-3 or alpha-2 `code`; None for others."""
    code = code.upper()
    if code in USER_ASSIGNED or code in USER_ASSIGNED.values():
        return USER_ASSIGNED.get(code, code)
    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    if country is None and len(code) == 3:
        country = pycountry.countries.get(alpha_3=code)
    return None if country is None else str(country.alpha_2)


# A pure function of its arguments, asked for every code of CL_AREA (hundreds of areas in
# three languages) by each SDMX message and by every area page in Russian or Chinese:
# remembered, within a bound that no stream of made-up codes can exceed.
@lru_cache(maxsize=8192)
def area_name(
    code: str, language: Language, *, stored: str | None = None, iso2: str | None = None
) -> str:
    """The name of the area `code` (alpha-3, alpha-2 or a group) in `language`.

    English: `stored` (the area's stored name) where given. Otherwise a group's name, or
    CLDR's name of its alpha-2 code (`iso2` where the caller has it, else found from
    `code`); failing both, `stored`, else `code` itself.
    """
    if language == DEFAULT_LANGUAGE and stored:
        return stored
    group = GROUP_NAMES.get(code.upper())
    if group is not None:
        return group[language]
    alpha2 = _alpha2(iso2) if iso2 else _alpha2(code)
    if alpha2 is not None and alpha2 in _territories(language):
        return _territories(language)[alpha2]
    return stored or code


# --- indicators ------------------------------------------------------------------------------

INDICATOR_NAMES: Mapping[str, Labels] = {
    "trade_turnover": {
        "en": "Trade turnover",
        "ru": "Товарооборот",
        "zh": "贸易额",
    },
    "trade_turnover_growth": {
        "en": "Trade turnover growth",
        "ru": "Рост товарооборота",
        "zh": "贸易额增长率",
    },
    "trade_growth_multiple": {
        "en": "Trade turnover growth multiple",
        "ru": "Кратность роста товарооборота",
        "zh": "贸易额增长倍数",
    },
    "share_in_sco_trade": {
        "en": "Share in intra-SCO trade",
        "ru": "Доля во взаимной торговле государств ШОС",
        "zh": "占上合组织内部贸易的比重",
    },
    "trade_turnover_cagr": {
        "en": "Trade turnover compound annual growth",
        "ru": "Среднегодовой темп роста товарооборота",
        "zh": "贸易额年均复合增长率",
    },
    "trade_turnover_growth_over_span": {
        "en": "Trade turnover growth over a span of years",
        "ru": "Рост товарооборота за период",
        "zh": "贸易额多年累计增长率",
    },
    "imports": {"en": "Imports", "ru": "Импорт", "zh": "进口"},
    "exports": {"en": "Exports", "ru": "Экспорт", "zh": "出口"},
}


def indicator_name(code: str, language: Language, *, stored: str | None = None) -> str:
    """The name of the indicator `code` in `language`: in English `stored` where given,
    otherwise the label above; an indicator without one keeps `stored` (else its code)."""
    if language == DEFAULT_LANGUAGE and stored:
        return stored
    labels = INDICATOR_NAMES.get(code)
    if labels is not None:
        return labels[language]
    return stored or code


# --- vocabularies ----------------------------------------------------------------------------

LabelledVocabulary = Literal[
    "observation_status", "membership_status", "qualifier", "unit", "check_severity"
]

VOCABULARY_LABELS: Mapping[LabelledVocabulary, Mapping[str, Labels]] = {
    # How a figure came to be (`app.vocabulary.ObservationStatus`).
    "observation_status": {
        "reported": {"en": "Reported", "ru": "Опубликованное значение", "zh": "公布值"},
        "derived": {"en": "Derived", "ru": "Расчётное значение", "zh": "推算值"},
        "estimated": {"en": "Estimated", "ru": "Оценочное значение", "zh": "估计值"},
        "provisional": {"en": "Provisional", "ru": "Предварительное значение", "zh": "初步值"},
    },
    # A country's standing in the SCO (`app.vocabulary.MembershipStatus`), as the SCO
    # Charter and its decisions name them.
    "membership_status": {
        "member": {"en": "Member state", "ru": "Государство-член", "zh": "成员国"},
        "observer": {"en": "Observer state", "ru": "Государство-наблюдатель", "zh": "观察员国"},
        "dialogue_partner": {
            "en": "Dialogue partner",
            "ru": "Партнёр по диалогу",
            "zh": "对话伙伴",
        },
        "partner": {"en": "Partner", "ru": "Партнёр", "zh": "伙伴"},
    },
    # How a figure relates to its published digits (`app.vocabulary.Qualifier`).
    "qualifier": {
        "exact": {"en": "exact", "ru": "точно", "zh": "准确"},
        "approximately": {"en": "approximately", "ru": "приблизительно", "zh": "约"},
        "less_than": {"en": "almost (less than)", "ru": "почти (менее)", "zh": "近（低于）"},
        "more_than": {"en": "more than (exceeded)", "ru": "более (превысило)", "zh": "超过"},
    },
    # What a value is counted in (`app.vocabulary.Unit`).
    "unit": {
        "USD": {"en": "US dollars", "ru": "доллары США", "zh": "美元"},
        "percent": {"en": "percent", "ru": "проценты", "zh": "百分比"},
        "ratio": {"en": "ratio", "ru": "отношение", "zh": "比率"},
    },
    # How much a finding of `/trade/checks` matters (`app.vocabulary.CheckSeverity`).
    "check_severity": {
        "info": {"en": "Note", "ru": "Примечание", "zh": "提示"},
        "warning": {"en": "Warning", "ru": "Предупреждение", "zh": "警告"},
    },
}


def label(vocabulary: LabelledVocabulary, code: str, language: Language) -> str:
    """The name of `code` of `vocabulary` in `language`; an unknown code as it is."""
    labels = VOCABULARY_LABELS[vocabulary].get(code)
    return code if labels is None else labels[language]
