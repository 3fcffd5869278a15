"""Screenshots of the site made from the shipped data, for README: 总览, one 措施 page and the 报送 grid,
on a desktop (1366×768) and a phone (390×844) screen, into docs/.

    python scripts/site_screenshots.py

Needs Chromium (`chromium` on PATH) and yejin importable (the project's venv, or PYTHONPATH=src).
The site is made as of 2022-07-05, the day the sample circular is dated, so the pictures do not change
from one day to the next.  Each picture is the page from its top, at most two screens long.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from browser import Browser  # noqa: E402

AS_OF = "2022-07-05"
PAGES = {
    "overview": "2022-06/index.html",
    "measure": "2022-06/measure-7.html",
    "submissions": "2022-06/submissions.html",
}
VIEWPORTS = {"desktop": (1366, 768, False), "phone": (390, 844, True)}


def main() -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("需要 Chromium（Debian：apt-get install chromium）")
    with tempfile.TemporaryDirectory() as temp:
        site = Path(temp) / "site"
        subprocess.run(
            [sys.executable, "-m", "yejin", "--data", str(REPO / "data"), "site", "--as-of", AS_OF, "-o", str(site)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        with Browser(chromium) as browser:
            for screen, (width, height, mobile) in VIEWPORTS.items():
                browser.viewport(width, height, mobile)
                for name, page in PAGES.items():
                    browser.open((site / page).as_uri())
                    target = REPO / "docs" / f"site-{name}-{screen}.png"
                    browser.screenshot(target, max_height=2 * height)
                    print(target.relative_to(REPO))


if __name__ == "__main__":
    main()
