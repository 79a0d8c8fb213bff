"""Importing in a real browser: a BI administrator uploads the example folder
zipped, checks the preview and confirms; every page passes axe's WCAG 2.2
A/AA rules on a desktop and on a phone."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import Any

import pytest
from browser import PASSWORD, axe_violations, browser_page, sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("PERFREPORT_SCREENSHOTS", "/tmp"))


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    from django.core.cache import cache

    cache.clear()  # the data version starts again in each test's database


@pytest.fixture
def site(transactional_db: None, live_server: Any, settings: Any, tmp_path: Path) -> str:
    from django.contrib.auth.models import User

    from perfreport.accounts.permissions import grant

    settings.MEDIA_ROOT = tmp_path / "media"
    grant(User.objects.create_user("bi.admin", "bi.admin@example.org", PASSWORD), "admin")
    return str(live_server.url)


def _zip(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.glob("*.csv")):
            archive.write(path, f"{folder.name}/{path.name}")
    return target


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_an_administrator_uploads_checks_and_confirms_the_example_folder(
    site: str, example_dir: Path, tmp_path: Path, width: int
) -> None:
    """GIVEN a BI administrator WHEN they upload the example folder zipped,
    check the preview and confirm THEN its values are in the database, and
    every page they saw passes axe."""
    from perfreport.data.models import Observation

    upload = _zip(example_dir, tmp_path / f"{example_dir.name}.zip")
    violations: dict[str, list[str]] = {}
    with browser_page(width) as page:
        sign_in(page, site, "bi.admin")
        page.goto(f"{site}/imports/")
        violations["upload"] = axe_violations(page)
        page.get_by_label("File to import").set_input_files(str(upload))
        page.get_by_role("button", name="Upload and check").click()
        page.wait_for_load_state()
        heading = page.get_by_role("heading", level=1).inner_text()
        counts = page.locator("table.import-counts").inner_text()
        violations["preview"] = axe_violations(page)
        page.screenshot(
            path=str(SCREENSHOTS / f"perfreport-import-preview-{width}.png"), full_page=True
        )
        page.get_by_role("button", name="Confirm and import").click()
        page.wait_for_load_state()
        done = page.locator(".notification").inner_text()
        violations["done"] = axe_violations(page)

    assert heading == "Check the import"
    assert "Values" in counts and "36" in counts
    assert done.startswith(f"Imported {example_dir.name}.zip.")
    assert Observation.objects.count() == 36
    assert violations == {"upload": [], "preview": [], "done": []}


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_a_refused_file_shows_its_errors_and_passes_axe(
    site: str, example_dir: Path, tmp_path: Path, width: int
) -> None:
    folder = tmp_path / "bad-figures"
    folder.mkdir()
    text = (example_dir / "values.csv").read_text().replace("97.66", "ninety", 1)
    (folder / "values.csv").write_text(text)
    with browser_page(width) as page:
        sign_in(page, site, "bi.admin")
        page.goto(f"{site}/imports/")
        page.get_by_label("File to import").set_input_files(str(_zip(folder, tmp_path / "bad.zip")))
        page.get_by_role("button", name="Upload and check").click()
        page.wait_for_load_state()
        problems = page.locator("table.import-problems").inner_text()
        violations = axe_violations(page)
        page.screenshot(
            path=str(SCREENSHOTS / f"perfreport-import-errors-{width}.png"), full_page=True
        )
        confirm = page.get_by_role("button", name="Confirm and import").count()

    assert "values.csv" in problems
    assert "is not an indicator in the register" in problems
    assert confirm == 0
    assert violations == []
