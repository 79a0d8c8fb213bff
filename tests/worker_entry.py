"""``perfreport`` for the tests' worker processes, with jobs defined by the
tests loaded first: the modules named in PERFREPORT_TEST_JOB_MODULES (on the
tests' path), each registering them with its ``register_jobs()``. Then exactly the console script's
``main``."""

import importlib
import os
import sys

from perfreport.cli import main

for name in filter(None, os.environ.get("PERFREPORT_TEST_JOB_MODULES", "").split(",")):
    module = importlib.import_module(name)
    getattr(module, "register_jobs", lambda: None)()

sys.exit(main(sys.argv[1:]))
