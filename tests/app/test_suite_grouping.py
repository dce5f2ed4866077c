"""The suite's own machinery: tests that share one costly fixture run in one xdist worker.

`make test` runs `pytest -n 2 --dist loadgroup`; modules whose tests share a seeded database
or a live server per backend mark themselves `xdist_group`. pytest-xdist passes the group
to its scheduler in the test's node id (`…@group`): when a pytest release stops carrying
it (9.2 did, pytest-dev/pytest-xdist#1386), grouping stops without a word and each worker
pays for the fixture again. This test says so instead.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.xdist_group("suite_grouping")


def test_grouped_tests_reach_the_scheduler_with_their_group(request: pytest.FixtureRequest) -> None:
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("not under `pytest -n N --dist loadgroup` (`make test` runs it so)")
    assert request.node.nodeid.endswith("@suite_grouping"), request.node.nodeid
