"""Which importer reads which format; a new format is one module and one line here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import PurePath
from types import MappingProxyType

from app.trade.importers import comtrade, cow, native_csv, native_json
from app.trade.importers.base import ImportOptions, ParsedFile
from app.vocabulary import ImportFormat

Reader = Callable[[bytes, ImportOptions], ParsedFile]

READERS: Mapping[ImportFormat, Reader] = MappingProxyType(
    {
        "csv": native_csv.read,
        "json": native_json.read,
        "cow": cow.read,
        "comtrade": comtrade.read,
    }
)


def format_of_file(path: PurePath) -> ImportFormat:
    """The format a file name implies when none is named: `.csv` (or `.csv.gz`) is the API's
    CSV, anything else its JSON. COW and Comtrade files are CSV too: name their format."""
    suffixes = [suffix.lower() for suffix in path.suffixes]
    if suffixes[-1:] == [".gz"]:
        suffixes.pop()
    return "csv" if suffixes[-1:] == [".csv"] else "json"
