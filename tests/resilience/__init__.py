"""Behaviour under concurrency and faults (the fault tests run on their own: `.ci/run`)."""
