"""Real programs for render tests: LibreOffice turns xlsx/docx into PDF, poppler reads the pages back.

In CI (`CI` set) a missing program fails the test — .ci/run installs them; on a developer's machine
without them the test is skipped with the reason.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest


def need(program: str) -> str:
    """The program's path; fail in CI, skip elsewhere when it is missing."""
    found = shutil.which(program)
    if found:
        return found
    message = f"{program} is not installed (.ci/run installs it)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def to_pdf(source: Path, out_dir: Path) -> Path:
    """Convert with LibreOffice headless, in a profile of its own (two soffice runs sharing one profile block)."""
    soffice = need("soffice")
    with tempfile.TemporaryDirectory(prefix="yejin-lo-") as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(out_dir), str(source)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
    pdf = out_dir / (source.stem + ".pdf")
    assert pdf.exists(), f"LibreOffice wrote no PDF for {source.name}"
    return pdf


def page_texts(pdf: Path) -> list[str]:
    """Each page's text laid out as on paper (pdftotext -layout), in page order."""
    text = subprocess.run(
        [need("pdftotext"), "-layout", str(pdf), "-"], check=True, capture_output=True, text=True, timeout=120
    ).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


@dataclass(frozen=True)
class Word:
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: list[Word]


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', re.S)


def page_words(pdf: Path) -> list[Page]:
    """Every word with its box in points (pdftotext -bbox), page by page."""
    html = subprocess.run(
        [need("pdftotext"), "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True, timeout=120
    ).stdout
    pages = []
    for width, height, body in _PAGE.findall(html):
        words = [Word(_unescape(t), float(a), float(b), float(c), float(d)) for a, b, c, d, t in _WORD.findall(body)]
        pages.append(Page(float(width), float(height), words))
    return pages


def to_png(pdf: Path, prefix: Path, dpi: int = 60) -> list[Path]:
    """Page images (for looking, and for docs/)."""
    subprocess.run([need("pdftoppm"), "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True, timeout=300)
    return sorted(prefix.parent.glob(prefix.name + "*.png"))


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def resave_xlsx(source: Path, out_dir: Path) -> Path:
    """Open and save again with LibreOffice headless (`--convert-to xlsx`), in a profile of its own."""
    soffice = need("soffice")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="yejin-lo-") as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "xlsx", "--outdir", str(out_dir), str(source)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
    saved = out_dir / source.name
    assert saved.exists(), f"LibreOffice wrote no xlsx for {source.name}"
    return saved
