"""What the index holds besides the text, and what a query asks it: the same on both databases.

Both full-text engines (SQLite FTS5's `unicode61` tokenizer, PostgreSQL's default parser)
split text at spaces and punctuation. Chinese (and Japanese) is written without spaces, so a
whole run of characters — `上海合作组织` — is one token to them, and `合作` ("cooperation")
inside it could never be found. So each document's runs of CJK characters are also indexed
as their single characters and overlapping pairs (`上海 海合 合作 作组 组织`, the bigrams
most CJK search engines index), in a column of their own (`terms`); a query's runs become
the same pairs, every one of which must be found.

Russian words change their endings (`Астана`, `в Астане`, `из Астаны`), and neither engine
stems Russian the same way (SQLite has no Russian stemmer). So a Cyrillic query word loses
its inflectional ending and is matched as a prefix (`астан*`) on both: the text itself is
indexed as it is. Other words are matched as before, stemmed as English (the last one as a
prefix too, for search as one types).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise

# Han ideographs (with extension A, compatibility forms and the supplementary planes) and the
# Japanese kana: scripts written without spaces between words.
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
CJK_RUN = re.compile(f"[{CJK}]+")
# A query word: other letters and digits (no underscore: no engine keeps it inside a word).
WORD = re.compile(f"[^\\W_{CJK}]+")
CYRILLIC = re.compile("[\u0400-\u04ff]")
# Inflectional endings of Russian nouns and adjectives, longest first; a stem keeps at
# least MIN_STEM letters, so short words (`ШОС`) stay whole.
RUSSIAN_ENDINGS = (
    *("иями",),
    *("ями", "ами", "иях", "ого", "его", "ому", "ему", "ыми", "ими", "ией"),
    *("ях", "ах", "ой", "ей", "ий", "ый", "ая", "яя", "ое", "ее", "ые", "ие", "ую", "юю"),
    *("ом", "ем", "ам", "ям", "ов", "ев", "ью", "ия", "ии", "ию"),
    *("а", "я", "ы", "и", "е", "у", "ю", "о", "ь", "й"),
)
MIN_STEM = 3


@dataclass(frozen=True)
class Term:
    """One thing a query asks the index for: a word (or a stem, if `prefix`) of the text, or
    a pair of CJK characters (`gram`) of the `terms` column."""

    text: str
    prefix: bool = False
    gram: bool = False


def _grams(run: str) -> list[str]:
    """A CJK run's characters and overlapping pairs: `合作组` -> 合 作 组 合作 作组."""
    return [*run, *("".join(pair) for pair in pairwise(run))]


def index_terms(*texts: str) -> str:
    """The `terms` column of a document: the characters and pairs of every CJK run in it."""
    grams: dict[str, None] = {}
    for text in texts:
        for run in CJK_RUN.findall(unicodedata.normalize("NFKC", text)):
            grams.update(dict.fromkeys(_grams(run)))
    return " ".join(grams)


def russian_stem(word: str) -> str:
    """`астана` -> `астан`, `россии` -> `росс`: the word without its inflectional ending."""
    for ending in RUSSIAN_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


def query_terms(q: str) -> list[Term]:
    """What the query `q` asks for: all of it must be found (see the module's text)."""
    text = unicodedata.normalize("NFKC", q).lower()
    terms: list[Term] = []
    pieces = re.findall(f"{CJK_RUN.pattern}|{WORD.pattern}", text)
    for position, piece in enumerate(pieces):
        if CJK_RUN.fullmatch(piece):
            pairs = [a + b for a, b in pairwise(piece)] or [piece]
            terms += [Term(pair, gram=True) for pair in pairs]
        elif CYRILLIC.search(piece):
            terms.append(Term(russian_stem(piece), prefix=True))
        else:
            terms.append(Term(piece, prefix=position == len(pieces) - 1))
    return terms


def cjk_runs(q: str) -> list[str]:
    """The runs of CJK characters in a query, longest first (to highlight them)."""
    runs = CJK_RUN.findall(unicodedata.normalize("NFKC", q))
    return sorted(set(runs), key=len, reverse=True)
