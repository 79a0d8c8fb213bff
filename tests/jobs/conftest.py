from worker_helpers import test_jobs, worker, worker_database  # noqa: F401  (fixtures)
