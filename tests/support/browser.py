"""A headless Chromium (Debian's package) driven by Playwright, and the playground's page
helpers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WAIT_MS = 30_000  # generous: the machine may be busy


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("chromium is not installed (bash .ci/run installs it: apt-get install chromium)")


class Browser:
    def __init__(self):
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        self.errors: list[str] = []

    def page(self, url: str, *, width: int = 1400, height: int = 900):
        page = self.browser.new_page(viewport={"width": width, "height": height})
        page.set_default_timeout(WAIT_MS)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.goto(url)
        page.locator("#channel-title").filter(has_text="#").wait_for()
        return page

    def close(self) -> None:
        self.browser.close()
        self._pw.stop()


def type_command(page, text: str) -> None:
    page.fill("#composer-input", text)
    page.press("#composer-input", "Enter")


def message(page, *texts: str, where: str = "#messages"):
    """The newest message in ``where`` containing every one of ``texts``, once it is shown."""
    found = page.locator(f"{where} .msg:not(.local-echo)")
    for text in texts:
        found = found.filter(has_text=text)
    found = found.last
    found.wait_for()
    return found


def screenshot(target, name: str) -> Path:
    """Save a page (or one element of it) as docs/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    target.screenshot(path=str(path))
    return path
