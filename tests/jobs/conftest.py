from __future__ import annotations

from collections.abc import Iterator

import pytest
from jobs_for_tests import register_jobs, unregister_jobs
from worker_helpers import worker, worker_database  # noqa: F401  (fixtures)


@pytest.fixture
def test_jobs() -> Iterator[None]:
    """The jobs of tests/jobs/jobs_for_tests.py, offered for one test."""
    register_jobs()
    yield
    unregister_jobs()
