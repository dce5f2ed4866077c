"""Benchmarks: scripts that print figures (never timed assertions in the test suite).

* `python -m benchmarks.generate` fills a database with a synthetic observation matrix.
* `python -m benchmarks.run` (`make bench`): our API against the framework floor and Datasette.
* `python -m benchmarks.scale` (`make bench-scale`): query latency, plans, import and export
  throughput as the data grows, on SQLite and PostgreSQL.
"""
