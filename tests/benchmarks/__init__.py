"""The benchmarks' own code: what `make bench` generates still fits the schema."""
