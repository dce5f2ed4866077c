"""What the API's own CSV and JSON layouts share: their columns, and a source in each row."""

from __future__ import annotations

from app.errors import RULE_ERROR, ValidationFailed
from app.trade.importers.base import ImportOptions
from app.trade.writes import ObservationIn

# Columns of the CSV export that are computed, not imported.
COMPUTED_FIELDS = frozenset(
    {
        "preferred",
        "derivation",
        "derivation_formula",
        "derivation_inputs",
        "created_at",
        "updated_at",
        "bounds_lower",
        "bounds_upper",
    }
)
IMPORTED_FIELDS = frozenset(ObservationIn.model_fields)


def refuse_source(options: ImportOptions) -> None:
    """Rows of these layouts name their own `source_id`; one for the whole file is refused."""
    if options.source_id is not None:
        raise ValidationFailed.for_field(
            "source",
            "applies to the cow and comtrade formats only; rows of this format name their "
            "own source_id",
            kind=RULE_ERROR,
        )
