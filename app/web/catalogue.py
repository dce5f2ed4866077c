"""The pages' own words in English, Russian and Chinese, and how the pages write numbers and
dates in each: one home for every string the HTML pages show that is not stored data.

The names of areas, indicators and statuses are `app.labels`' (the API gives the same);
the stored facts a page shows (titles, summaries, notes, the findings' messages) stay as
their source wrote them. A message is looked up by its key (`t("nav.overview")`); one
whose key ends in `.html` holds markup and is given as `Markup` with its values escaped
(`t.html(...)`). The Russian and Chinese texts were written for this project, in the terms
`app.labels` uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from babel.dates import format_date
from babel.numbers import get_decimal_symbol
from markupsafe import Markup

from app.labels import LabelledVocabulary, Labels, label
from app.vocabulary import DEFAULT_LANGUAGE, LANGUAGES, Language

# Each language named in itself, for the language switch.
AUTONYMS: Mapping[Language, str] = {"en": "English", "ru": "Русский", "zh": "中文"}

MESSAGES: Mapping[str, Labels] = {
    # --- every page -----------------------------------------------------------------------
    "site.description": {
        "en": "Open data on Shanghai Cooperation Organisation trade: figures traced to their "
        "sources, and the records of SCO trade meetings.",
        "ru": "Открытые данные о торговле Шанхайской организации сотрудничества: цифры с "
        "указанием источников и записи о торговых встречах ШОС.",
        "zh": "上海合作组织贸易开放数据：每个数字都可追溯至其来源，并收录上合组织贸易会议的记录。",
    },
    "site.skip": {"en": "Skip to content", "ru": "Перейти к содержанию", "zh": "跳到正文"},
    "nav.site": {"en": "Site", "ru": "Сайт", "zh": "网站"},
    "nav.overview": {"en": "Overview", "ru": "Обзор", "zh": "概览"},
    "nav.docs": {"en": "API docs", "ru": "Документация API", "zh": "API 文档"},
    "nav.reference": {"en": "Reference", "ru": "Справочник", "zh": "参考"},
    "nav.changes": {"en": "Change feed", "ru": "Лента изменений", "zh": "变更流"},
    "nav.language": {"en": "Language", "ru": "Язык", "zh": "语言"},
    "footer.html": {
        "en": "Every figure and fact here is traced to a published source; where sources "
        "disagree, all their figures are kept and one is preferred by a stated rule. The same "
        'data as JSON and CSV: <a href="{root}/docs">API documentation</a>, '
        '<a href="{root}/openapi.json">OpenAPI document</a>.',
        "ru": "Каждая цифра и каждый факт здесь прослеживаются до опубликованного источника; "
        "где источники расходятся, сохраняются все их цифры, а одна выбирается по заявленному "
        'правилу. Те же данные в JSON и CSV: <a href="{root}/docs">документация API</a>, '
        '<a href="{root}/openapi.json">документ OpenAPI</a>.',
        "zh": "此处每个数字和事实都可追溯至已发表的来源；来源之间不一致时，保留所有数字，"
        '并按既定规则选定其一。同样的数据以 JSON 和 CSV 提供：<a href="{root}/docs">API '
        '文档</a>、<a href="{root}/openapi.json">OpenAPI 文档</a>。',
    },
    # --- the overview ---------------------------------------------------------------------
    "overview.title": {
        "en": "SCO Trade API: SCO trade figures and meetings",
        "ru": "SCO Trade API: торговые показатели и встречи ШОС",
        "zh": "SCO Trade API：上合组织贸易数据与会议",
    },
    "overview.lead.html": {
        "en": "An open-data REST API for <strong>Shanghai Cooperation Organisation (SCO) trade "
        "statistics</strong> and the records of SCO trade meetings: who met, where and when, "
        "which delegations came, what was presented, and which figures were announced. Every "
        "figure keeps its source; where sources disagree, all figures are kept, one is "
        "preferred (reported before derived, then the more authoritative source), and the "
        "disagreements are listed below. Reads are public, as JSON or CSV, under "
        "<code>/api/v1</code>.",
        "ru": "REST API открытых данных о <strong>торговой статистике Шанхайской организации "
        "сотрудничества (ШОС)</strong> и записи торговых встреч ШОС: кто встречался, где и "
        "когда, какие делегации приехали, что было представлено и какие цифры были объявлены. "
        "У каждой цифры сохраняется источник; где источники расходятся, сохраняются все цифры, "
        "одна из них выбирается (опубликованная прежде расчётной, затем — из более "
        "авторитетного источника), а расхождения перечислены ниже. Чтение открыто, в JSON или "
        "CSV, по адресу <code>/api/v1</code>.",
        "zh": "关于<strong>上海合作组织（上合组织）贸易统计</strong>及上合组织贸易会议记录的开放"
        "数据 REST API：谁在何时何地会面、哪些代表团出席、展示了什么、公布了哪些数字。每个数字"
        "都保留其来源；来源不一致时，保留所有数字并选定其一（公布值优先于推算值，其次是更权威的"
        "来源），不一致之处列于下方。读取公开，可通过 <code>/api/v1</code> 获取 JSON 或 CSV。",
    },
    "overview.try": {"en": "Try the API", "ru": "Попробовать API", "zh": "试用 API"},
    "overview.reference": {
        "en": "Read the reference",
        "ru": "Открыть справочник",
        "zh": "阅读参考文档",
    },
    "overview.download": {"en": "Download the data", "ru": "Скачать данные", "zh": "下载数据"},
    "figures.heading": {"en": "Trade figures", "ru": "Торговые показатели", "zh": "贸易数据"},
    "figures.key": {
        "en": "Trade turnover in billions of US dollars, as the sources publish it (they do not "
        "say how they count it: goods only or services too, at which prices).",
        "ru": "Товарооборот в миллиардах долларов США в том виде, в каком его публикуют "
        "источники (они не сообщают, как его считают: только товары или и услуги, в каких "
        "ценах).",
        "zh": "贸易额，单位为十亿美元，按来源公布的数字（来源未说明统计口径：仅货物还是包括服务，"
        "按何种价格）。",
    },
    "chart.table": {
        "en": "The figures as a table",
        "ru": "Цифры в виде таблицы",
        "zh": "以表格查看数字",
    },
    "chart.empty": {
        "en": "No figures recorded yet.",
        "ru": "Цифры ещё не записаны.",
        "zh": "尚无记录的数字。",
    },
    "reading.heading": {
        "en": "Reading the charts",
        "ru": "Как читать графики",
        "zh": "如何阅读图表",
    },
    "reading.filled.html": {
        "en": "<strong>Filled markers</strong> are the preferred figure of each year, joined by "
        "the line. Where sources disagree every figure is kept; a reported figure is preferred "
        "over a derived one, then the more authoritative source (statistical office, ministry, "
        "official, media), then the more precise and the newer.",
        "ru": "<strong>Закрашенные маркеры</strong> — выбранная цифра каждого года, они "
        "соединены линией. Где источники расходятся, сохраняется каждая цифра; опубликованная "
        "цифра предпочитается расчётной, затем — цифра более авторитетного источника "
        "(статистическое ведомство, министерство, должностное лицо, СМИ), затем — более точная "
        "и более новая.",
        "zh": "<strong>实心标记</strong>为每年选定的数字，以线相连。来源不一致时保留每个数字；"
        "公布值优先于推算值，其次是更权威的来源（统计机构、部委、官员、媒体），再次是更精确、"
        "更新的数字。",
    },
    "reading.hollow.html": {
        "en": "<strong>Hollow markers</strong> beside it are the other figures for that year.",
        "ru": "<strong>Пустые маркеры</strong> рядом — другие цифры за тот же год.",
        "zh": "旁边的<strong>空心标记</strong>为该年的其他数字。",
    },
    "reading.shapes.html": {
        "en": "<strong>Circles</strong> are figures a source reported; <strong>diamonds</strong> "
        "are derived from them (a previous year's value from a growth rate, a base year from a "
        "growth multiple), with the formula in the table.",
        "ru": "<strong>Круги</strong> — цифры, опубликованные источником; <strong>ромбы</strong> "
        "— рассчитанные из них (значение предыдущего года по темпу роста, базовый год по "
        "кратности роста), формула приведена в таблице.",
        "zh": "<strong>圆形</strong>为来源公布的数字；<strong>菱形</strong>为由其推算的数字"
        "（由增长率推算上一年的数值，由增长倍数推算基准年），公式见表格。",
    },
    "reading.qualifiers.html": {
        "en": "Labels keep the qualifier a figure was published with: <strong>≈</strong> about, "
        "<strong>&lt;</strong> almost (less than), <strong>&gt;</strong> more than (exceeded).",
        "ru": "Подписи сохраняют оговорку, с которой цифра была опубликована: "
        "<strong>≈</strong> около, <strong>&lt;</strong> почти (менее), "
        "<strong>&gt;</strong> более (превысило).",
        "zh": "标签保留数字发布时的限定词：<strong>≈</strong> 约，<strong>&lt;</strong> "
        "近（低于），<strong>&gt;</strong> 超过。",
    },
    "reading.ranges.html": {
        "en": "<strong>Error bars</strong> span the range of true values a figure allows: what "
        "rounds to its published digits, widened by its wording (“almost $51 billion” is "
        "$50–51 billion) and, for a derived figure, by the ranges of its inputs. An "
        "<strong>arrow</strong> instead of a cap means no upper limit (“exceeded $67 billion” "
        "is $67 billion or more). A bar narrower than its marker is hidden by it; each table "
        "lists every range.",
        "ru": "<strong>Планки погрешностей</strong> охватывают диапазон истинных значений, "
        "который допускает цифра: всё, что округляется до её опубликованных знаков, с "
        "поправкой на формулировку («почти $51 млрд» — это $50–51 млрд), а для расчётной "
        "цифры — и на диапазоны исходных данных. <strong>Стрелка</strong> вместо засечки "
        "означает, что верхней границы нет («превысило $67 млрд» — это $67 млрд или более). "
        "Планка уже маркера скрыта им; в каждой таблице перечислены все диапазоны.",
        "zh": "<strong>误差线</strong>表示一个数字所允许的真实值范围：四舍五入后等于其公布数位"
        "的所有值，再按其措辞放宽（“近510亿美元”即500亿至510亿美元），推算值还要计入其输入值"
        "的范围。以<strong>箭头</strong>代替端线表示没有上限（“超过670亿美元”即670亿美元或"
        "以上）。比标记窄的误差线被标记遮住；每个表格列出所有范围。",
    },
    "reading.hover": {
        "en": "Hover a marker for its source; each chart's table lists every figure.",
        "ru": "Наведите указатель на маркер, чтобы увидеть его источник; в таблице каждого "
        "графика перечислены все цифры.",
        "zh": "将鼠标悬停在标记上可查看其来源；每个图表的表格列出所有数字。",
    },
    "meetings.heading": {"en": "Recent meetings", "ru": "Недавние встречи", "zh": "近期会议"},
    "meetings.none": {
        "en": "No meetings recorded yet.",
        "ru": "Встречи ещё не записаны.",
        "zh": "尚无会议记录。",
    },
    "meetings.json_of": {
        "en": " of {title}, {date}",
        "ru": " встречи «{title}», {date}",
        "zh": "：{title}，{date}",
    },
    "meetings.every": {
        "en": "Every meeting (JSON, newest first)",
        "ru": "Все встречи (JSON, сначала новые)",
        "zh": "全部会议（JSON，最新在前）",
    },
    "findings.heading": {
        "en": "Data-quality findings",
        "ru": "Замечания о качестве данных",
        "zh": "数据质量问题",
    },
    "findings.intro.html": {
        "en": "Where the published figures disagree with each other or with what they imply, "
        'recomputed on every request (<a href="{api}/trade/checks">as JSON</a>).',
        "ru": "Где опубликованные цифры расходятся друг с другом или с тем, что из них следует; "
        'пересчитывается при каждом запросе (<a href="{api}/trade/checks">в JSON</a>).',
        "zh": "已公布数字之间或与其推论之间的不一致之处，每次请求时重新计算"
        '（<a href="{api}/trade/checks">JSON 格式</a>）。',
    },
    "findings.wording": {
        "en": "",
        "ru": "Замечания сформулированы на английском, как их даёт API.",
        "zh": "问题说明为英文，与 API 的输出相同。",
    },
    "findings.none": {
        "en": "No open findings: every figure agrees with the others within its published "
        "precision.",
        "ru": "Открытых замечаний нет: каждая цифра согласуется с другими в пределах "
        "опубликованной точности.",
        "zh": "没有未解决的问题：每个数字在其公布精度内与其他数字一致。",
    },
    "data.heading": {"en": "Use the data", "ru": "Использовать данные", "zh": "使用数据"},
    "data.docs": {"en": "Documentation", "ru": "Документация", "zh": "文档"},
    "data.swagger": {
        "en": "Interactive docs (Swagger UI)",
        "ru": "Интерактивная документация (Swagger UI)",
        "zh": "交互式文档（Swagger UI）",
    },
    "data.redoc": {"en": "Reference (ReDoc)", "ru": "Справочник (ReDoc)", "zh": "参考（ReDoc）"},
    "data.openapi": {"en": "OpenAPI document", "ru": "Документ OpenAPI", "zh": "OpenAPI 文档"},
    "data.csv": {"en": "CSV downloads", "ru": "Загрузки CSV", "zh": "CSV 下载"},
    "data.csv_series": {
        "en": "Kazakhstan–SCO trade turnover series",
        "ru": "Ряд товарооборота Казахстан–ШОС",
        "zh": "哈萨克斯坦—上合组织贸易额序列",
    },
    "data.csv_all": {
        "en": "Every trade observation",
        "ru": "Все торговые наблюдения",
        "zh": "全部贸易观测值",
    },
    "data.changes": {
        "en": "Every create, update and delete, in order",
        "ru": "Каждое создание, изменение и удаление по порядку",
        "zh": "按顺序列出的每次创建、更新和删除",
    },
    "data.changes_use": {
        "en": ", for keeping a copy in sync",
        "ru": ", чтобы поддерживать копию в актуальном состоянии",
        "zh": "，用于同步副本",
    },
    "data.findings": {"en": "Findings", "ru": "Замечания", "zh": "问题"},
    "data.findings_json": {
        "en": "Data-quality findings (JSON)",
        "ru": "Замечания о качестве данных (JSON)",
        "zh": "数据质量问题（JSON）",
    },
    # --- the charts -----------------------------------------------------------------------
    "column.year": {"en": "Year", "ru": "Год", "zh": "年份"},
    "column.billion_usd": {"en": "Billion USD", "ru": "Млрд долл. США", "zh": "十亿美元"},
    "column.qualifier": {"en": "Qualifier", "ru": "Оговорка", "zh": "限定词"},
    "column.range": {
        "en": "Range of true values",
        "ru": "Диапазон истинных значений",
        "zh": "真实值范围",
    },
    "column.status": {"en": "Status", "ru": "Статус", "zh": "状态"},
    "column.preferred": {"en": "Preferred", "ru": "Выбрана", "zh": "选定"},
    "column.origin": {
        "en": "Source or derivation",
        "ru": "Источник или расчёт",
        "zh": "来源或推算",
    },
    "column.country": {"en": "Country", "ru": "Страна", "zh": "国家"},
    "column.share": {"en": "Share (%)", "ru": "Доля (%)", "zh": "占比（%）"},
    "column.source": {"en": "Source", "ru": "Источник", "zh": "来源"},
    "yes": {"en": "yes", "ru": "да", "zh": "是"},
    "no": {"en": "no", "ru": "нет", "zh": "否"},
    "origin.derived": {
        "en": "derived: {formula}",
        "ru": "расчёт: {formula}",
        "zh": "推算：{formula}",
    },
    "figure.derived": {"en": "derived", "ru": "расчётная", "zh": "推算"},
    "figure.range": {"en": "range {range}", "ru": "диапазон {range}", "zh": "范围 {range}"},
    "chart.kaz_sco.heading": {
        "en": "Kazakhstan's trade turnover with the SCO",
        "ru": "Товарооборот Казахстана со странами ШОС",
        "zh": "哈萨克斯坦与上合组织的贸易额",
    },
    "chart.kaz_sco.note": {
        "en": "Exports plus imports between Kazakhstan and the SCO member states of each year, "
        "every figure published, with the preferred one joined by the line.",
        "ru": "Экспорт плюс импорт между Казахстаном и государствами — членами ШОС "
        "соответствующего года: все опубликованные цифры, выбранные соединены линией.",
        "zh": "哈萨克斯坦与当年上合组织成员国之间的出口加进口：所有已公布的数字，选定的数字"
        "以线相连。",
    },
    "chart.intra_sco.heading": {
        "en": "Intra-SCO trade turnover",
        "ru": "Товарооборот внутри ШОС",
        "zh": "上合组织内部贸易额",
    },
    "chart.intra_sco.note": {
        "en": "Trade among the SCO member states of each year. A dashed line crosses years for "
        "which no figure is recorded.",
        "ru": "Торговля между государствами — членами ШОС соответствующего года. Пунктир "
        "проходит через годы, за которые цифры не записаны.",
        "zh": "当年上合组织成员国之间的贸易。虚线跨越没有记录数字的年份。",
    },
    "chart.years": {"en": "{first} to {last}", "ru": "{first}–{last}", "zh": "{first}—{last}年"},
    "chart.no_years": {"en": "no years yet", "ru": "годов пока нет", "zh": "尚无年份"},
    "chart.billions_usd": {
        "en": "Billions of US dollars",
        "ru": "Миллиарды долларов США",
        "zh": "十亿美元",
    },
    "chart.billion_usd": {"en": "billion USD", "ru": "млрд долл. США", "zh": "十亿美元"},
    "chart.series.none": {
        "en": "No trade turnover figures are recorded for {label} yet.",
        "ru": "Цифры товарооборота {label} ещё не записаны.",
        "zh": "尚无 {label} 的贸易额数字记录。",
    },
    "chart.series.description": {
        "en": "{label} trade turnover, preferred figure of each year in US dollars, with the "
        "range of true values its rounding and wording allow: {values}. The chart also shows "
        "{others} other figure(s) from other sources or derivations, listed in the table below "
        "it.",
        "ru": "Товарооборот {label}, выбранная цифра каждого года в долларах США с диапазоном "
        "истинных значений, который допускают её округление и формулировка: {values}. На "
        "графике также показаны другие цифры из других источников или расчётов ({others}); "
        "они перечислены в таблице под ним.",
        "zh": "{label} 贸易额，每年选定的数字（美元），附其舍入和措辞所允许的真实值范围："
        "{values}。图表还显示来自其他来源或推算的其他数字 {others} 个，列于下方表格。",
    },
    "link.series_json": {"en": "Series (JSON)", "ru": "Ряд (JSON)", "zh": "序列（JSON）"},
    "link.series_csv": {"en": "Series (CSV)", "ru": "Ряд (CSV)", "zh": "序列（CSV）"},
    "link.all_csv": {"en": "All figures (CSV)", "ru": "Все цифры (CSV)", "zh": "全部数字（CSV）"},
    "link.shares_json": {"en": "Shares (JSON)", "ru": "Доли (JSON)", "zh": "占比（JSON）"},
    "link.shares_csv": {"en": "Shares (CSV)", "ru": "Доли (CSV)", "zh": "占比（CSV）"},
    "link.these_json": {
        "en": "These figures (JSON)",
        "ru": "Эти цифры (JSON)",
        "zh": "这些数字（JSON）",
    },
    "link.these_csv": {
        "en": "These figures (CSV)",
        "ru": "Эти цифры (CSV)",
        "zh": "这些数字（CSV）",
    },
    "link.source": {"en": "The source", "ru": "Источник", "zh": "来源"},
    "chart.shares.heading": {
        "en": "Shares of intra-SCO trade",
        "ru": "Доли во взаимной торговле ШОС",
        "zh": "占上合组织内部贸易的比重",
    },
    "chart.shares.heading_year": {
        "en": "Shares of intra-SCO trade, {year}",
        "ru": "Доли во взаимной торговле ШОС, {year}",
        "zh": "{year}年占上合组织内部贸易的比重",
    },
    "chart.shares.description": {
        "en": "Reported shares of intra-SCO trade, percent, largest first, with the range of "
        "true values their rounding allows: {listed}.",
        "ru": "Опубликованные доли во взаимной торговле ШОС, в процентах, по убыванию, с "
        "диапазоном истинных значений, который допускает их округление: {listed}.",
        "zh": "已公布的占上合组织内部贸易的比重（百分比），从大到小，附其舍入所允许的真实值"
        "范围：{listed}。",
    },
    "chart.shares.none": {
        "en": "No shares of intra-SCO trade are recorded yet.",
        "ru": "Доли во взаимной торговле ШОС ещё не записаны.",
        "zh": "尚无占上合组织内部贸易比重的记录。",
    },
    "chart.shares.axis": {
        "en": "Percent of intra-SCO trade",
        "ru": "Процент взаимной торговли ШОС",
        "zh": "占上合组织内部贸易的百分比",
    },
    "chart.shares.note": {
        "en": "The share of each country as its source states it, with the range of true values "
        "its rounding allows. The sources do not say what the share is of; the findings below "
        "compare it with the turnover figures.",
        "ru": "Доля каждой страны в том виде, в каком её указывает источник, с диапазоном "
        "истинных значений, который допускает её округление. Источники не говорят, от чего "
        "взята доля; замечания ниже сравнивают её с цифрами товарооборота.",
        "zh": "各国的比重按其来源所述，附其舍入所允许的真实值范围。来源未说明比重的计算基数；"
        "下方的问题将其与贸易额数字进行比较。",
    },
    "chart.cow.heading": {
        "en": "Intra-SCO trade",
        "ru": "Торговля внутри ШОС",
        "zh": "上合组织内部贸易",
    },
    "chart.cow.heading_years": {
        "en": "Intra-SCO trade, {span}",
        "ru": "Торговля внутри ШОС, {span}",
        "zh": "上合组织内部贸易，{span}",
    },
    "chart.cow.none": {
        "en": "No year has every import declaration between the SCO member states of that "
        "year, so no intra-SCO total is given.",
        "ru": "Ни за один год нет всех деклараций импорта между государствами — членами ШОС "
        "этого года, поэтому итог по ШОС не приводится.",
        "zh": "没有任何一年具备当年上合组织成员国之间的全部进口申报，因此不给出上合组织内部总额。",
    },
    "chart.cow.missing": {
        "en": " No total for {years}: a declaration is missing.",
        "ru": " Нет итога за {years}: не хватает декларации.",
        "zh": "{years}年无总额：缺少申报。",
    },
    "chart.cow.description": {
        "en": "Intra-SCO trade, the sum of the member states' imports from each other as each "
        "importer declares it, in US dollars, with the range of true values: {values}.{gaps}",
        "ru": "Торговля внутри ШОС — сумма импорта государств-членов друг из друга по "
        "декларации каждого импортёра, в долларах США, с диапазоном истинных значений: "
        "{values}.{gaps}",
        "zh": "上合组织内部贸易：各成员国相互进口之和，按各进口国的申报，单位为美元，附真实值"
        "范围：{values}。{gaps}",
    },
    "chart.cow.gaps": {
        "en": " No total is given for {years}, where a declaration is missing.",
        "ru": " За {years} итог не приводится: там не хватает декларации.",
        "zh": "{years}年因缺少申报而不给出总额。",
    },
    "chart.cow.note": {
        "en": "Trade among the SCO member states of each year: the sum of their imports from "
        "each other, each flow as its importer declares it, derived only where every "
        "declaration is there.{gaps}",
        "ru": "Торговля между государствами — членами ШОС соответствующего года: сумма их "
        "импорта друг из друга, каждый поток по декларации импортёра; рассчитывается, только "
        "если есть все декларации.{gaps}",
        "zh": "当年上合组织成员国之间的贸易：相互进口之和，每项流量按进口国的申报，仅在全部申报"
        "齐备时推算。{gaps}",
    },
    "chart.cow.source": {
        "en": "Source: {title} (Barbieri and Keshk, 2016), its figures of {span}; totals "
        "derived by this API.",
        "ru": "Источник: {title} (Barbieri and Keshk, 2016), его цифры за {span}; итоги "
        "рассчитаны этим API.",
        "zh": "来源：{title}（Barbieri 和 Keshk，2016），其 {span} 年的数字；总额由本 API 推算。",
    },
    # --- inside the SVG charts (`app.web.charts`) -----------------------------------------
    "axis.year": {"en": "Year", "ru": "Год", "zh": "年份"},
    "legend.line": {"en": "Preferred figures", "ru": "Выбранные цифры", "zh": "选定数字"},
    "legend.preferred": {
        "en": "Preferred, {status}",
        "ru": "Выбранная: {status}",
        "zh": "选定：{status}",
    },
    "legend.other": {"en": "Other, {status}", "ru": "Другая: {status}", "zh": "其他：{status}"},
    "legend.range": {
        "en": "Range of true values",
        "ru": "Диапазон истинных значений",
        "zh": "真实值范围",
    },
    "tooltip.preferred": {"en": ", preferred", "ru": ", выбрана", "zh": "，选定"},
    "tooltip.range": {"en": "range", "ru": "диапазон", "zh": "范围"},
    "range.at_most": {"en": "at most {amount}", "ru": "не более {amount}", "zh": "至多 {amount}"},
    # --- a meeting ------------------------------------------------------------------------
    "meeting.back": {
        "en": "← Recent meetings",
        "ru": "← Недавние встречи",
        "zh": "← 近期会议",
    },
    "meeting.to": {"en": "to", "ru": "—", "zh": "至"},
    "meeting.json": {
        "en": "This meeting as JSON",
        "ru": "Эта встреча в JSON",
        "zh": "本次会议（JSON）",
    },
    "meeting.sessions_json": {
        "en": "Sessions (JSON)",
        "ru": "Сессии (JSON)",
        "zh": "议程（JSON）",
    },
    "meeting.delegations_json": {
        "en": "Delegations (JSON)",
        "ru": "Делегации (JSON)",
        "zh": "代表团（JSON）",
    },
    "meeting.about": {"en": "About the meeting", "ru": "О встрече", "zh": "会议概况"},
    "meeting.body": {"en": "Body that met", "ru": "Орган", "zh": "会议机构"},
    "meeting.chair": {"en": "Chair", "ru": "Председатель", "zh": "主席"},
    "meeting.organizers": {"en": "Organized by", "ru": "Организаторы", "zh": "主办方"},
    "meeting.timezone": {"en": "Time zone", "ru": "Часовой пояс", "zh": "时区"},
    "meeting.topics": {"en": "Topics", "ru": "Темы", "zh": "议题"},
    "meeting.id": {"en": "Id", "ru": "Идентификатор", "zh": "标识"},
    "meeting.attendance": {"en": "Attendance.", "ru": "Участники.", "zh": "出席情况。"},
    "meeting.sessions": {"en": "Sessions", "ru": "Сессии", "zh": "议程"},
    "meeting.session_topics": {
        "en": "Topics: {topics}",
        "ru": "Темы: {topics}",
        "zh": "议题：{topics}",
    },
    "meeting.no_sessions": {
        "en": "No sessions recorded.",
        "ru": "Сессии не записаны.",
        "zh": "无议程记录。",
    },
    "meeting.delegations": {"en": "Delegations", "ru": "Делегации", "zh": "代表团"},
    "meeting.head": {"en": "Head", "ru": "Глава", "zh": "团长"},
    "meeting.organizations": {"en": "Organizations", "ru": "Организации", "zh": "机构"},
    "meeting.members": {"en": "Members", "ru": "Состав", "zh": "成员"},
    "meeting.no_delegations": {
        "en": "No delegation recorded.",
        "ru": "Делегации не записаны.",
        "zh": "无代表团记录。",
    },
    "meeting.participations": {"en": "Participations", "ru": "Участие", "zh": "参与"},
    "meeting.no_participations": {
        "en": "No participation recorded.",
        "ru": "Участие не записано.",
        "zh": "无参与记录。",
    },
    "meeting.reports": {
        "en": "Reports presented",
        "ru": "Представленные доклады",
        "zh": "提交的报告",
    },
    "meeting.no_reports": {
        "en": "No report recorded.",
        "ru": "Доклады не записаны.",
        "zh": "无报告记录。",
    },
    "meeting.sources": {"en": "Sources", "ru": "Источники", "zh": "来源"},
    "meeting.no_sources": {
        "en": "No source recorded.",
        "ru": "Источники не записаны.",
        "zh": "无来源记录。",
    },
    "meeting.undated": {"en": "date not given", "ru": "дата не указана", "zh": "未注明日期"},
    "meeting.record": {"en": "record (JSON)", "ru": "запись (JSON)", "zh": "记录（JSON）"},
    # --- an error page --------------------------------------------------------------------
    "error.not_found": {"en": "Page not found", "ru": "Страница не найдена", "zh": "未找到页面"},
    "error.invalid": {
        "en": "This address is not valid",
        "ru": "Этот адрес недействителен",
        "zh": "此地址无效",
    },
    "error.meeting_ids.html": {
        "en": "Meeting ids are lower-case slugs such as <code>{example}</code>.",
        "ru": "Идентификаторы встреч — строчные слаги, например <code>{example}</code>.",
        "zh": "会议标识为小写短名，例如 <code>{example}</code>。",
    },
    "error.every_meeting": {
        "en": "Every meeting (JSON)",
        "ru": "Все встречи (JSON)",
        "zh": "全部会议（JSON）",
    },
}


@dataclass(frozen=True)
class Translator:
    """The pages' words, numbers and dates in one language (`t` in the templates)."""

    language: Language

    def __call__(self, key: str, **values: object) -> str:
        """The message `key`, its `{placeholders}` filled in."""
        return MESSAGES[key][self.language].format(**values)

    def html(self, key: str, **values: object) -> Markup:
        """A message holding markup (its key ends in `.html`); the values are escaped."""
        return Markup(MESSAGES[key][self.language]).format(**values)  # noqa: S704  # nosec B704

    def label(self, vocabulary: LabelledVocabulary, code: str) -> str:
        """The name of a status, qualifier or unit (`app.labels`)."""
        return label(vocabulary, code, self.language)

    def word(self, vocabulary: LabelledVocabulary, code: str) -> str:
        """A code as the charts, tables and badges write it: in English the code itself
        (`reported`, `warning`: what the API answers), otherwise its label."""
        return code if self.language == DEFAULT_LANGUAGE else self.label(vocabulary, code)

    def status(self, status: str) -> str:
        """A figure's status as the charts and tables write it (`word`)."""
        return self.word("observation_status", status)

    def number(self, digits: str) -> str:
        """A number written as `plain` digits (`41.8`) with this language's decimal sign."""
        return digits.replace(".", get_decimal_symbol(self.language))

    def date(self, value: date | None) -> str:
        """`30 April 2024`, `30 апреля 2024 г.`, `2024年4月30日`; "" for no date."""
        if value is None:
            return ""
        if self.language == DEFAULT_LANGUAGE:
            return f"{value.day} {value:%B %Y}"
        return format_date(value, "long", locale=self.language)


TRANSLATORS: Mapping[Language, Translator] = {
    language: Translator(language) for language in LANGUAGES
}
ENGLISH = TRANSLATORS[DEFAULT_LANGUAGE]
