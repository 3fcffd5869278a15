"""The 通报 as a reviewer sees it: rendered by LibreOffice with the fonts CI has (Noto CJK, no 方正, no
Calibri) and read back from the PDF's word boxes — 28 characters a line and 22 lines a page in the
156 × 225 mm 版心, page numbers 空一字 from the outside edge about 7 mm under it, the title's lines.
Skipped without soffice/pdftotext on a developer's machine, failed in CI (tests/render_tools.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from conftest import REPO
from render_tools import Page, page_words, to_pdf
from yejin.cli import app
from yejin.outputs.bulletin import Block
from yejin.outputs.bulletin_docx import write_docx

MM = 72 / 25.4  # points per millimetre
TOP, BOTTOM, LEFT, RIGHT = 37 * MM, (297 - 35) * MM, 28 * MM, (210 - 26) * MM  # the 版心
PITCH = 225 * MM / 22  # 28.99 pt: 22 lines
CHAR = 156 * MM / 28  # 15.79 pt: 28 characters
# pure Chinese text, so that a full line is exactly 28 characters (digits are half width)
SENTENCE = "各市要盯紧重大危险源涉爆粉尘有限空间等重点领域对排查发现的问题隐患建立台账跟踪督办确保整改到位销号归零"


def _lines(page: Page) -> list[tuple[float, float, float, str]]:
    """(y, x_min, x_max, text) of each line inside the 版心, top to bottom."""
    rows: dict[int, list] = {}
    for w in page.words:
        if TOP - 5 < w.y_max < BOTTOM + 2:
            rows.setdefault(round(w.y_max), []).append(w)
    out = []
    for y, words in sorted(rows.items()):
        words.sort(key=lambda w: w.x_min)
        out.append((float(y), words[0].x_min, words[-1].x_max, "".join(w.text for w in words)))
    return out


def _footer(page: Page):
    return sorted((w for w in page.words if w.y_min > BOTTOM), key=lambda w: w.x_min)


@pytest.fixture(scope="module")
def grid_pages(tmp_path_factory) -> list[Page]:
    """A document of long paragraphs of Chinese: pages filled to the last line."""
    folder = tmp_path_factory.mktemp("grid")
    blocks = [Block("title", "关于测试专项行动2022年6月份工作进展情况的通报"), Block("addressee", "各市应急管理局：")]
    blocks += [Block("p", SENTENCE * 6) for _ in range(6)]
    blocks += [Block("signature", "山西省应急管理厅"), Block("date", "2022年7月5日")]
    write_docx(blocks, folder / "grid.docx", dt.datetime(2022, 7, 5))
    return page_words(to_pdf(folder / "grid.docx", folder))


@pytest.fixture(scope="module")
def shipped_pages(tmp_path_factory) -> list[Page]:
    folder = tmp_path_factory.mktemp("shipped")
    out = folder / "通报.docx"
    result = CliRunner().invoke(
        app,
        ["--data", str(REPO / "data"), "bulletin", "--month", "2022-06", "--date", "2022-07-05", "-f", "docx", "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return page_words(to_pdf(out, folder))


def test_28_characters_a_line(grid_pages):
    lines = [line for page in grid_pages for line in _lines(page)]
    full = [text for _, x0, x1, text in lines if len(text) > 20 and x0 < LEFT + 1]  # not a first line
    assert full, "no body lines found"
    assert max(len(t) for t in full) == 28
    assert sum(len(t) == 28 for t in full) >= 0.9 * len(full) - 2, [len(t) for t in full]  # last lines are shorter
    for _, x0, x1, text in lines:
        assert x0 >= LEFT - 0.5 and x1 <= RIGHT + 0.5, text  # inside the 版心
    first = [t for _, x0, _, t in lines if abs(x0 - (LEFT + 2 * CHAR)) < 1 and t.startswith("各市要")]
    assert first and all(len(t) == 26 for t in first)  # indented two characters


def test_22_lines_a_page(grid_pages):
    assert len(grid_pages) >= 3
    for number, page in enumerate(grid_pages[1:-1], start=2):  # full pages of body text
        ys = [y for y, *_ in _lines(page)]
        assert len(ys) == 22, f"page {number}: {len(ys)} lines"
        steps = [b - a for a, b in zip(ys, ys[1:])]
        assert all(abs(s - PITCH) < 1.2 for s in steps), steps  # one grid line each (28.95 pt)
        assert ys[-1] <= BOTTOM + 1 and ys[0] >= TOP


def test_page_numbers_outside_edge_under_the_text_block(shipped_pages):
    assert len(shipped_pages) >= 3
    for number, page in enumerate(shipped_pages, start=1):
        words = _footer(page)
        assert "".join(w.text for w in words) == f"—{number}—"
        top = min(w.y_min for w in words)
        assert 5 * MM < top - BOTTOM < 9 * MM, (number, (top - BOTTOM) / MM)  # about 7 mm under the 版心
        if number % 2:  # odd: 空一字 (四号, 14 pt) from the right edge
            assert abs(words[-1].x_max - (RIGHT - 14)) < 1.5 * MM, words[-1].x_max / MM
        else:  # even: from the left edge
            assert abs(words[0].x_min - (LEFT + 14)) < 1.5 * MM, words[0].x_min / MM


def test_title_lines_and_closing(shipped_pages):
    lines = _lines(shipped_pages[0])
    assert [t for *_, t in lines[:2]] == ["关于冶金制造安全专项整治三年行动", "2022年6月份工作进展情况的通报"]
    for _, x0, x1, _ in lines[:2]:
        assert abs((x0 + x1) / 2 - 105 * MM) < 2 * MM  # centred on the page's text block
    assert (
        lines[2][3] == "各市应急管理局：" and abs(lines[2][0] - lines[1][0] - 2 * PITCH) < 6
    )  # a blank line (22 and 16 pt boxes differ)
    last = _lines(shipped_pages[-1])
    texts = [t for *_, t in last]
    date = last[texts.index("2022年7月5日")]
    signature = last[texts.index("山西省应急管理厅")]
    assert abs(date[2] - (RIGHT - 4 * CHAR)) < 2 * MM  # 右空四字
    # centred over the date: the centring counts digits half width, as 仿宋_GB2312 draws them; the fallback
    # fonts here draw them wider, so the date is up to a character wider than planned
    assert abs((signature[1] + signature[2]) / 2 - (date[1] + date[2]) / 2) < CHAR
    attachment = [line for line in last if line[3].startswith("附件：")][0]
    following = last[last.index(attachment) + 1]
    assert abs(attachment[1] - (LEFT + 2 * CHAR)) < 1.5 * MM
    assert abs(following[1] - (LEFT + 5 * CHAR)) < 1.5 * MM  # under the attachment name's first character
