"""Every human name an SDMX message carries, by language: the one place names come from.

A structure message names each artefact, concept and code in every language it has
(`<common:Name xml:lang="ru">`), so `names` answers a mapping language -> text, English
first. SDMX's own labels (the dataflow, the data structure, its concepts, the code lists
and the codes this module defines) are written here in English, Russian and Chinese.

Areas, indicators and statuses are named as the rest of the API names them
(`app.labels`): the stored English names of areas and indicators (passed in), CLDR's names
of areas in Russian and Chinese, and the API's own labels of indicators and statuses.
"""

from __future__ import annotations

from typing import Literal

from app.labels import area_name, indicator_name, label
from app.vocabulary import LANGUAGES

# language -> text, English first (the language every name has).
Names = dict[str, str]
# What a name is of: one of SDMX's own labels, or something the rest of the API names.
Subject = Literal["label", "area", "indicator", "status"]

# SDMX's own labels, by key. Each has every language of LANGUAGES.
LABELS: dict[str, Names] = {
    # The sender of every message
    "sender": {"en": "SCO Trade API", "ru": "API торговли ШОС", "zh": "上海合作组织贸易API"},
    # Maintainable artefacts
    "dataflow:TRADE": {
        "en": "SCO trade statistics",
        "ru": "Статистика торговли ШОС",
        "zh": "上海合作组织贸易统计",
    },
    "datastructure:DSD_TRADE": {
        "en": "SCO trade statistics: data structure",
        "ru": "Статистика торговли ШОС: структура данных",
        "zh": "上海合作组织贸易统计数据结构",
    },
    "conceptscheme:CS_TRADE": {
        "en": "SCO trade statistics: concepts",
        "ru": "Статистика торговли ШОС: понятия",
        "zh": "上海合作组织贸易统计概念",
    },
    "codelist:CL_FREQ": {"en": "Frequency", "ru": "Периодичность", "zh": "频率"},
    "codelist:CL_AREA": {
        "en": "Areas: countries and groups",
        "ru": "Территории: страны и группы",
        "zh": "国家和国家集团",
    },
    "codelist:CL_INDICATOR": {
        "en": "Trade indicators",
        "ru": "Показатели торговли",
        "zh": "贸易指标",
    },
    "codelist:CL_OBS_STATUS": {
        "en": "Observation status",
        "ru": "Статус наблюдения",
        "zh": "观测值状态",
    },
    "codelist:CL_OBS_QUALIFIER": {
        "en": "Observation qualifier",
        "ru": "Уточнение значения",
        "zh": "观测值限定",
    },
    "codelist:CL_UNIT_MEASURE": {
        "en": "Unit of measure",
        "ru": "Единица измерения",
        "zh": "计量单位",
    },
    "codelist:CL_UNIT_MULT": {
        "en": "Unit multiplier",
        "ru": "Множитель единицы измерения",
        "zh": "单位乘数",
    },
    # Concepts
    "concept:FREQ": {"en": "Frequency", "ru": "Периодичность", "zh": "频率"},
    "concept:REPORTER": {
        "en": "Reporting area",
        "ru": "Отчитывающаяся территория",
        "zh": "报告方",
    },
    "concept:PARTNER": {"en": "Partner area", "ru": "Территория-партнёр", "zh": "伙伴方"},
    "concept:INDICATOR": {"en": "Indicator", "ru": "Показатель", "zh": "指标"},
    "concept:TIME_PERIOD": {"en": "Time period", "ru": "Период времени", "zh": "时间段"},
    "concept:OBS_VALUE": {
        "en": "Observation value",
        "ru": "Значение наблюдения",
        "zh": "观测值",
    },
    "concept:OBS_STATUS": {
        "en": "Observation status",
        "ru": "Статус наблюдения",
        "zh": "观测值状态",
    },
    "concept:OBS_QUALIFIER": {
        "en": "Observation qualifier",
        "ru": "Уточнение значения",
        "zh": "观测值限定",
    },
    "concept:UNIT_MEASURE": {
        "en": "Unit of measure",
        "ru": "Единица измерения",
        "zh": "计量单位",
    },
    "concept:UNIT_MULT": {
        "en": "Unit multiplier",
        "ru": "Множитель единицы измерения",
        "zh": "单位乘数",
    },
    # Codes of this service's code lists (frequency, qualifiers, units, multipliers)
    "code:FREQ:A": {"en": "Annual", "ru": "Годовая", "zh": "年度"},
    "code:UNIT_MEASURE:USD": {"en": "US dollar", "ru": "Доллар США", "zh": "美元"},
    "code:UNIT_MEASURE:PC": {"en": "Percent", "ru": "Процент", "zh": "百分比"},
    "code:UNIT_MEASURE:PURE_NUMB": {
        "en": "Pure number (a ratio)",
        "ru": "Безразмерное число (отношение)",
        "zh": "比率",
    },
    "code:OBS_QUALIFIER:approximately": {
        "en": "Approximately",
        "ru": "Приблизительно",
        "zh": "约",
    },
    "code:OBS_QUALIFIER:more_than": {
        "en": "More than this value",
        "ru": "Более этого значения",
        "zh": "超过此数值",
    },
    "code:OBS_QUALIFIER:less_than": {
        "en": "Less than this value",
        "ru": "Менее этого значения",
        "zh": "不足此数值",
    },
    "code:UNIT_MULT:0": {"en": "Units", "ru": "Единицы", "zh": "个"},
    "code:UNIT_MULT:3": {"en": "Thousands", "ru": "Тысячи", "zh": "千"},
    "code:UNIT_MULT:6": {"en": "Millions", "ru": "Миллионы", "zh": "百万"},
    "code:UNIT_MULT:9": {"en": "Billions", "ru": "Миллиарды", "zh": "十亿"},
}


def names(subject: Subject, key: str, english: str = "") -> Names:
    """Every name of one thing by language, in the order of LANGUAGES: of one of SDMX's own
    labels (`key` in LABELS), or of an area, indicator or status (`key` its code; `english`
    the stored English name of an area or indicator)."""
    if subject == "label":
        return _in_order(LABELS[key])
    if subject == "area":
        return {language: area_name(key, language, stored=english) for language in LANGUAGES}
    if subject == "indicator":
        return {language: indicator_name(key, language, stored=english) for language in LANGUAGES}
    return {language: label("observation_status", key, language) for language in LANGUAGES}


def _in_order(given: Names) -> Names:
    return {language: given[language] for language in LANGUAGES if language in given}


def status_names(status: str) -> Names:
    """The names of an observation status (`reported`...)."""
    return names("status", status)
