"""Regenerate the page images in docs/pages/: the 通报 (bulletin --format docx), the 统计表 (export) and 太原's
fill-in form for July (workbook), each rendered by LibreOffice and cut into one small PNG per page, from the
shipped data.

python scripts/render_pages.py            # needs soffice and pdftoppm (.ci/run installs them)
python scripts/render_pages.py --dpi 70

The images show what a reviewer sees with the fonts of this machine; README shows the 通报's first pages.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "docs" / "pages"
MONTH, WRITTEN_ON = "2022-06", "2022-07-05"
FORM_MONTH = "2022-07"  # the next month's form, filled in from June's reports


def yejin(*args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    subprocess.run([sys.executable, "-m", "yejin", "--data", str(ROOT / "data"), *args], check=True, env=env)


def to_pngs(source: Path, prefix: str, dpi: int, work: Path) -> list[Path]:
    """source → PDF (LibreOffice, a profile of its own) → docs/pages/<prefix>-<n>.png."""
    profile = work / f"profile-{prefix}"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(work), str(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pdf = work / (source.stem + ".pdf")
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(work / prefix)], check=True, timeout=300)
    written = []
    for n, png in enumerate(sorted(work.glob(f"{prefix}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1])), 1):
        target = PAGES / f"{prefix}-{n}.png"
        shutil.copyfile(png, target)
        written.append(target)
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dpi", type=int, default=60)
    dpi = parser.parse_args().dpi
    for program in ("soffice", "pdftoppm"):
        if not shutil.which(program):
            print(f"{program} is not installed (.ci/run installs it)", file=sys.stderr)
            return 1
    PAGES.mkdir(parents=True, exist_ok=True)
    for old in PAGES.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory(prefix="yejin-pages-") as temp:
        work = Path(temp)
        yejin("bulletin", "--month", MONTH, "--date", WRITTEN_ON, "-f", "docx", "-o", str(work / "bulletin.docx"))
        yejin("export", "--month", MONTH, "--as-of", WRITTEN_ON, "-o", str(work / "table.xlsx"))
        yejin("workbook", "--month", FORM_MONTH, "--unit", "太原", "-o", str(work / "form.xlsx"))
        sources = ((work / "bulletin.docx", "bulletin"), (work / "table.xlsx", "table"), (work / "form.xlsx", "form"))
        for source, prefix in sources:
            for png in to_pngs(source, prefix, dpi, work):
                print(png.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
