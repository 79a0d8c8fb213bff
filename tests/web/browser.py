"""A real browser for the web pages: Debian's Chromium driven by Playwright,
axe-core's WCAG 2.2 A and AA rules, and signing in as a person would."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PASSWORD = "correct horse battery staple 42"


@contextmanager
def browser_page(width: int = 1280) -> Iterator[Any]:
    """A new page in a headless Chromium, ``width`` pixels wide."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), f"no Chromium at {CHROMIUM}: `make install` installs it"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser.new_page(viewport={"width": width, "height": 900})
        finally:
            browser.close()


def axe_violations(page: Any) -> list[str]:
    """axe-core's WCAG 2.2 A/AA violations on the page as it is, one line each."""
    assert AXE.exists(), f"{AXE} is missing: `make install` installs axe-core"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "rules => axe.run(document, {runOnly: {type: 'tag', values: rules}})", RULES
    )
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes, e.g. {v['nodes'][0]['target']})"
        for v in result["violations"]
    ]


def sign_in(page: Any, base_url: str, username: str = "analyst") -> None:
    """Sign in through the sign-in form, as a person does."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
