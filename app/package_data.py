"""Where the folders of files the code reads at run time are: the migrations and the seed data.

Readers find them at the top of the checkout (`migrations/`, `seed_data/`). A built package
(`pip install .`) carries them inside `app` (`app/migrations`, `app/seed_data`: the mapping
in pyproject.toml), so that an installed `sco-api` migrates and seeds from any folder. The
package's own copy is looked for first, through importlib.resources; a checkout and its
editable install have none, and read the top-level folders beside `app/`.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Literal

PackageFolder = Literal["migrations", "seed_data"]


def package_folder(name: PackageFolder) -> Path:
    """The folder `name`: inside the installed package, else at the top of the checkout."""
    package = Path(str(files("app")))
    candidates = (package / name, package.parent / name)
    for folder in candidates:
        if folder.is_dir():
            return folder
    raise FileNotFoundError(
        f"no {name} folder: looked in {' and '.join(str(path) for path in candidates)}; "
        "reinstall the package (`pip install .`)"
    )
