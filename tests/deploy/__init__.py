"""The deployment files (Dockerfile, compose file, entrypoint), checked without an engine."""
