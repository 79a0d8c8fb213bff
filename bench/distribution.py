"""Benchmark: report distribution (issue 16).

The seed's report sent as a PDF to everyone with the viewer role, ``--people``
of them (200 unless given), through a real SMTP server on 127.0.0.1, on a
new SQLite database in a temporary folder: how long the first run takes
(the PDF made once, each email claimed, sent and audited), how long a second
run of the same occasion takes (every email skipped: claimed already), and
the peak memory. Then the same with the report as a link.

    python bench/distribution.py [--people 200]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "cambridgeshire-2020-21-q2"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="perfreport-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["PERFREPORT_MEDIA_ROOT"] = str(folder / "media")
    os.environ["DJANGO_SETTINGS_MODULE"] = "perfreport.settings"
    sys.path.insert(0, str(ROOT / "tests"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from smtp_helpers import smtp_server

    call_command("migrate", verbosity=0)
    from perfreport.imports.service import import_path

    import_path(EXAMPLE)
    subscription = _subscribe(args.people)
    _report_size()
    server, collector = smtp_server(settings)
    try:
        for delivery in ("pdf", "link"):
            subscription.delivery = delivery
            subscription.save()
            _time_runs(delivery, args.people, collector)
    finally:
        server.stop()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MiB")


def _subscribe(people: int) -> object:
    from django.contrib.auth.models import User

    from perfreport.accounts.models import RoleGrant
    from perfreport.accounts.permissions import Actor
    from perfreport.distribution.services import SubscriptionInput, subscription_create

    users = User.objects.bulk_create(
        User(username=f"viewer{n}", email=f"viewer{n}@example.org") for n in range(people)
    )
    RoleGrant.objects.bulk_create(RoleGrant(user=user, role="viewer") for user in users)
    return subscription_create(
        Actor.command_line(),
        SubscriptionInput(recipient_kind="role", role="viewer", report="full", delivery="pdf",
                          on_publish=True),
    )  # fmt: skip


def _report_size() -> None:
    from perfreport.distribution.documents import Choice, make_document
    from perfreport.distribution.job import latest_published_period

    period = latest_published_period()
    assert period is not None
    start = time.perf_counter()
    size = len(make_document(Choice("full", "", period), "pdf").content)
    took = time.perf_counter() - start
    print(f"the full report as PDF, made once: {size / 1_000_000:.2f} MB in {took:.2f} s")


def _time_runs(delivery: str, people: int, collector: object) -> None:
    from perfreport.accounts.permissions import Actor
    from perfreport.distribution.job import distribute

    for attempt in ("first run", "second run"):
        start = time.perf_counter()
        outcome = distribute(
            {"target": "all", "again": True},
            run_id=hash(delivery) % 10_000,
            actor=Actor.command_line(),
        )
        took = time.perf_counter() - start
        print(f"{delivery}, {people} people, {attempt}: {took:.2f} s ({outcome.summary()})")


if __name__ == "__main__":
    main()
