"""The one-line summaries of operations, in plain English: "List SCO members", "Create an area".

FastAPI's default summary is the handler's name in Title Case ("List Sco Members"); every
route states its own instead, made here from its operation id or its resource's noun:
sentence case, acronyms in capitals, and the article a noun's sound calls for.
"""

from __future__ import annotations

import re

# Words that stand for their letters (or a name written in capitals), as they are spelt.
ACRONYMS: dict[str, str] = {
    word.lower(): word for word in ("API", "COW", "CSV", "HTML", "ID", "JSON", "SCO", "SDMX")
}
# Letters whose name starts with a vowel sound: "an SCO member", "an HTML page".
_VOWEL_SOUND_LETTERS = frozenset("aefhilmnorsx")
# Words written with a vowel but said with a consonant ("a unit", "a user"), and the reverse.
_CONSONANT_SOUND_STARTS = ("uni", "use", "usu", "uti", "eu", "one", "once")
_SILENT_H_STARTS = ("hour", "honest", "honour", "heir")
_CAMEL_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def words_of(operation_id: str) -> list[str]:
    """`listScoMembers` → `["list", "sco", "members"]`."""
    return [word.lower() for word in _CAMEL_WORD.findall(operation_id)]


def spelt(word: str) -> str:
    """A word as a summary writes it after the first: acronyms in capitals."""
    return ACRONYMS.get(word.lower(), word)


def sentence(*parts: str) -> str:
    """The words of `parts` as a sentence-case summary: `("list", "sco members")` →
    `List SCO members`."""
    words = [spelt(word) for part in parts for word in part.split(" ") if word]
    if not words:
        return ""
    first = words[0]
    return " ".join([first[:1].upper() + first[1:], *words[1:]])


def article(noun: str) -> str:
    """`a` or `an`, by how `noun`'s first word is said."""
    word = noun.split(" ", 1)[0].lower()
    if word in ACRONYMS:
        return "an" if word[:1] in _VOWEL_SOUND_LETTERS else "a"
    if word.startswith(_SILENT_H_STARTS):
        return "an"
    if word[:1] in "aeiou" and not word.startswith(_CONSONANT_SOUND_STARTS):
        return "an"
    return "a"


def with_article(noun: str) -> str:
    """`area` → `an area`; `trade indicator` → `a trade indicator`."""
    return f"{article(noun)} {noun}"


def summary_of(operation_id: str, *, one: bool = False) -> str:
    """The summary an operation id reads as: `listScoMembers` → `List SCO members`;
    `one`: the operation acts on one item, which takes an article (`getArea` → `Get an
    area`)."""
    verb, *rest = words_of(operation_id)
    noun = " ".join(rest)
    if one and noun:
        noun = with_article(noun)
    return sentence(verb, noun)
