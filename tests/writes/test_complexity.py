"""The write path stays readable: no function or method in `app/writes` above complexity 15.

Measured as `radon cc -s app/writes` measures it (branches, loops, boolean operators and
comprehensions all count); a block above the limit is split into named steps instead.
"""

from __future__ import annotations

from pathlib import Path

from radon.visitors import ComplexityVisitor

import app.writes

LIMIT = 15
WRITE_PATH = Path(app.writes.__file__).parent


def test_no_block_of_the_write_path_is_above_the_limit() -> None:
    too_complex = [
        f"{path.name}:{block.lineno} {block.fullname} ({block.complexity})"
        for path in sorted(WRITE_PATH.glob("*.py"))
        for block in ComplexityVisitor.from_code(path.read_text(encoding="utf-8")).blocks
        if block.complexity > LIMIT
    ]
    assert not too_complex, f"split these into named steps: {too_complex}"
