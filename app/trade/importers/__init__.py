"""Bulk import of trade observations: one importer module per file format, one shared path.

* `native_csv`, `native_json` — the API's own layouts (the CSV export's columns, a JSON
  array of observations);
* `cow` — Correlates of War dyadic trade 4.0 (COW state codes through `data/`'s crosswalk);
* `comtrade` — UN Comtrade's CSV (API and bulk downloads).

Each turns bytes into `base.Row`s and counts what it skips, by reason; `pipeline` does the
rest for all of them (validation, all or nothing, upsert, change feed, recomputation).
`formats.READERS` names them; a new format is a module there and a value of
`app.vocabulary.ImportFormat`.
"""
