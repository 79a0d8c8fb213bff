"""A real browser for the web pages: Debian's Chromium driven by Playwright
(one Chromium a test session, a fresh context for each page), axe-core's WCAG
2.2 A and AA rules, and signing in as a person would."""

from __future__ import annotations

import asyncio
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


# One Chromium a test session: (Playwright, its event loop, the browser).
_session: tuple[Any, asyncio.AbstractEventLoop, Any] | None = None


def _start() -> tuple[Any, asyncio.AbstractEventLoop, Any]:
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), f"no Chromium at {CHROMIUM}: `make install` installs it"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
    except BaseException:
        playwright.stop()
        raise
    # Playwright's sync API leaves its event loop marked as running in this
    # thread between its calls: taken from here, set again for each page.
    return playwright, asyncio.get_running_loop(), browser


@contextmanager
def session_browser() -> Iterator[Any]:
    """The session's browser, started at the first call (and again if it has
    gone), for Playwright's calls in the block. Outside the block this thread
    runs no event loop: Django's database calls refuse to run in one
    (SynchronousOnlyOperation), and the tests make theirs between pages."""
    global _session
    if _session is not None:
        asyncio._set_running_loop(_session[1])
        if not _session[2].is_connected():
            _stop()
    try:
        if _session is None:
            _session = _start()
        yield _session[2]
    finally:
        asyncio._set_running_loop(None)


def _stop() -> None:
    global _session
    if _session is None:
        return
    playwright, loop, browser = _session
    _session = None
    asyncio._set_running_loop(loop)
    try:
        if browser.is_connected():
            browser.close()
    finally:
        try:
            playwright.stop()
        finally:
            asyncio._set_running_loop(None)


def close_browser() -> None:
    """Close the session's browser, if a test started it (tests/conftest.py,
    at the end of the session)."""
    _stop()


@contextmanager
def browser_page(width: int = 1280) -> Iterator[Any]:
    """A new page, ``width`` pixels wide, in a context of its own in the
    session's headless Chromium: no cookies, storage or cache of another test."""
    with session_browser() as browser:
        context = browser.new_context(viewport={"width": width, "height": 900})
        try:
            yield context.new_page()
        finally:
            context.close()


def axe_violations(page: Any) -> list[str]:
    """axe-core's WCAG 2.2 A/AA violations on the page as it is, one line each."""
    assert AXE.exists(), f"{AXE} is missing: `make install` installs axe-core"
    # Evaluated by the test's own hand, not added as a <script>: the pages'
    # Content-Security-Policy (no inline script) stays in force for their JS.
    page.evaluate(AXE.read_text())
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


def tab_to(page: Any, target: Any, limit: int = 200) -> None:
    """Press Tab until the element (an id, or a locator) has the focus, as a
    keyboard user would."""
    element = page.locator(f"#{target}") if isinstance(target, str) else target
    for _ in range(limit):
        if element.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target}")
