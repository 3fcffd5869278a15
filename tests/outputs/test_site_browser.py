"""The site in a real browser: headless Chromium (tests/browser.py) opens every page of the site made
from the shipped data, from file://, on a desktop (1366×768) and a phone (390×844) screen."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from typer.testing import CliRunner

from browser import Browser
from conftest import SHIPPED_DATA
from render_tools import need
from site_tools import HOSTILE, check_numbers, hostile_data
from yejin.cli import app

AS_OF = "2022-07-05"
VIEWPORTS = [(1366, 768, False), (390, 844, True)]
LINKS = "Array.from(document.querySelectorAll('a[href], link[href]'), e => e.href)"
NUMBERS = "Array.from(document.querySelectorAll('[data-json]'), e => [e.dataset.json, e.textContent])"


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), env={"GITHUB_ACTIONS": None})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def browser():
    with Browser(need("chromium")) as b:
        yield b


@pytest.fixture(scope="module")
def shipped_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "site"
    run("--data", str(SHIPPED_DATA), "site", "--as-of", AS_OF, "-o", str(out))
    return out


def on_disk(url: str) -> Path:
    parts = urlsplit(url)
    assert parts.scheme == "file", url
    return Path(unquote(parts.path))


@pytest.mark.parametrize("width,height,mobile", VIEWPORTS, ids=["desktop", "phone"])
def test_every_page_loads_cleanly(browser: Browser, shipped_site: Path, width: int, height: int, mobile: bool):
    browser.viewport(width, height, mobile)
    pages = sorted(shipped_site.rglob("*.html"))
    assert len(pages) > 4 * 30  # four months of 总览, 18 措施, 12 单位 and the rest
    for page in pages:
        browser.clear()
        browser.open(page.as_uri())
        home = page == shipped_site / "index.html"
        if home:  # it forwards to the chosen month's 总览: let that load before the next page
            browser.wait_for("Page.loadEventFired")
        assert browser.console_errors() == [], page
        left = [u for u in browser.requests() if not u.startswith("file://")]
        assert left == [], page
        for link in browser.evaluate(LINKS):
            assert on_disk(link.split("#")[0]).is_file(), f"{page}: {link}"
        # nothing wider than the screen: wide tables scroll inside their own box
        assert browser.evaluate("document.documentElement.scrollWidth") <= width, page


@pytest.mark.parametrize("width,height,mobile", VIEWPORTS, ids=["desktop", "phone"])
def test_overview_numbers_are_status_json(browser: Browser, shipped_site: Path, width, height, mobile):
    browser.viewport(width, height, mobile)
    for month in ("2022-05", "2022-06"):
        doc = json.loads(run("--data", str(SHIPPED_DATA), "status", "--json", "--month", month, "--as-of", AS_OF))
        browser.open((shipped_site / month / "index.html").as_uri())
        found: dict[str, list[str]] = {}
        for path, text in browser.evaluate(NUMBERS):
            found.setdefault(path, []).append(text)
        check_numbers(found, doc)
        assert found["summary.warnings.red"] == [str(doc["summary"]["warnings"]["red"])]


def test_home_page_opens_the_chosen_month(browser: Browser, shipped_site: Path):
    browser.open((shipped_site / "index.html").as_uri())
    browser.wait_for("Page.loadEventFired")  # the forward
    assert browser.evaluate("location.href") == (shipped_site / "2022-06" / "index.html").as_uri()


def test_hostile_text_is_shown_as_text(browser: Browser, tmp_path: Path):
    data = hostile_data(tmp_path)
    out = tmp_path / "site"
    run("--data", str(data), "site", "--month", "2022-06", "--as-of", AS_OF, "-o", str(out))
    for page in ("unit-taiyuan.html", "measure-1.html", "events.html", "index.html"):
        browser.clear()
        browser.open((out / "2022-06" / page).as_uri())
        assert HOSTILE in browser.evaluate("document.body.innerText"), page
        assert browser.evaluate("document.scripts.length") == 0
        handlers = "Array.from(document.querySelectorAll('*')).flatMap(e => e.getAttributeNames()).filter(n => n.startsWith('on'))"
        assert browser.evaluate(handlers) == []
        assert not [h for h in browser.evaluate(LINKS) if not h.startswith("file://")]
        assert browser.console_errors() == []


def test_print_is_a4(browser: Browser, shipped_site: Path):
    """The print stylesheet asks for A4 (595 × 842 points) and hides the navigation."""
    import base64

    browser.open((shipped_site / "2022-06" / "index.html").as_uri())
    pdf = base64.b64decode(browser.call("Page.printToPDF", session=True, preferCSSPageSize=True)["data"])
    boxes = {(round(float(w)), round(float(h))) for w, h in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)}
    assert boxes == {(595, 842)}, boxes  # A4, 210 × 297 mm (without the stylesheet: Letter, 612 × 792)
    browser.call("Emulation.setEmulatedMedia", session=True, media="print")
    try:
        assert browser.evaluate("getComputedStyle(document.querySelector('nav.months')).display") == "none"
    finally:
        browser.call("Emulation.setEmulatedMedia", session=True, media="")
