"""The shipped data's 统计表 workbook printed through LibreOffice with the fonts CI has (Noto CJK, no
Calibri, no 方正 fonts), read back page by page as the department's reviewer reads it before sending.

One conversion for the module; each page is put to its sheet by what it shows (the blocks of the
统计表 by the first 任务 in their header, the other sheets by their subtitle line, printed on every page).
"""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from conftest import SHIPPED_DATA
from render_tools import Page, page_words, to_pdf
from yejin.cli import app

TITLE = "冶金制造专项整治三年行动2022年重点工作进展情况统计表"
MARGIN = 0.4 * 72  # left and right page margins (points)
SUBTITLES = {  # a sheet's line under the title, on each of its pages
    "填报说明": "填报说明（",
    "任务进展": "各项措施进展情况（",
    "进展情况": "各单位工作进展情况（",
    "典型案例": "典型执法案例（",
    "报送情况": "各单位报送情况（",
    "图表": "进展情况图表（",
}
# pages per sheet: each block of the 统计表 on one page, whatever the fonts (pinned: a change is a decision)
PAGES = {
    "统计表（执法情况）": 1,
    "统计表（任务1）": 1,
    "统计表（任务2）": 1,
    "统计表（任务3）": 1,
    "统计表（任务4）": 1,
    "统计表（任务5）": 1,  # 措施 10 has 重点县区 columns since issue 17: task 5 fills a page of its own
    "统计表（任务6—8）": 1,
    "统计表（任务9）": 1,
    "填报说明": 1,
    "任务进展": 2,
    "进展情况": 14,
    "典型案例": 1,
    "报送情况": 1,
    "图表": 2,
}


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("render")
    out = folder / "table.xlsx"
    result = CliRunner(env={"YEJIN_DATA": None, "GITHUB_ACTIONS": None}).invoke(
        app,
        ["--data", str(SHIPPED_DATA), "export", "--month", "2022-06", "--as-of", "2022-07-05", "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    pages = page_words(to_pdf(out, folder))
    book = load_workbook(out)
    return book, [(sheet_of(book, page), page) for page in pages]


def text(page: Page) -> str:
    return "".join(w.text for w in page.words)


def sheet_of(book, page: Page) -> str:
    """The sheet a printed page belongs to."""
    words = text(page)
    if "填报单位：" in words:  # a block of the 统计表: known by the first task in its header
        tasks = sorted((w.x_min, int(w.text[2:])) for w in page.words if re.fullmatch(r"任务\d+", w.text))
        if not tasks:
            assert "执法情况（不分措施" in words
            return "统计表（执法情况）"
        first = tasks[0][1]
        (name,) = [n for n in book.sheetnames if n.startswith("统计表") and re.match(rf"统计表（任务{first}\D", n)]
        return name
    (name,) = [n for n, sub in SUBTITLES.items() if sub in words]
    return name


def test_page_count_per_sheet(printed):
    book, pages = printed
    counts = {}
    for name, _ in pages:
        counts[name] = counts.get(name, 0) + 1
    assert counts == PAGES
    assert [name for name, _ in pages] == sorted((n for n, _ in pages), key=book.sheetnames.index)  # in order


def test_every_block_prints_whole_on_its_page(printed):
    """No column left over for a page of its own, no header cut: each block's page holds every unit, the
    合计 and every 本月/累计 column header of its sheet, and nothing runs past the margins."""
    book, pages = printed
    units = [c.value for c in book.worksheets[0]["B"][8:20]]
    assert units[0] == "山西省应急管理厅" and len(units) == 12
    for name, page in pages:
        assert all(w.x_min >= MARGIN - 2 and w.x_max <= page.width - MARGIN + 2 for w in page.words), name
        if not name.startswith("统计表"):
            continue
        ws = book[name]
        words = text(page)
        assert all(u in words for u in units) and "合计" in words and "序号" in words, name
        parts = [ws.cell(8, c).value for c in range(4, ws.max_column + 1)]
        assert words.count("本月") + words.count("累计") == len(parts), name
        for c in range(4, ws.max_column + 1):  # every measure's header, whole
            head = ws.cell(6, c).value
            if head:
                assert head.replace(" ", "") in words.replace(" ", ""), (name, head)


def test_every_page_has_the_title_centred(printed):
    _, pages = printed
    for i, (name, page) in enumerate(pages, 1):
        title = [w for w in page.words if w.text.startswith("冶金制造专项整治三年行动")]
        assert title, (i, name)
        words = sorted(title, key=lambda w: w.y_min)[:2]  # the title may be cut into two words at “2022”
        left, right = min(w.x_min for w in words), max(w.x_max for w in words)
        assert TITLE in "".join(w.text for w in words) or TITLE.startswith(words[0].text), (i, name)
        assert abs((left + right) / 2 - page.width / 2) < 3, (i, name, left, right)
        if name.startswith("统计表"):  # centred over the table itself, not only the page
            body = [w for w in page.words if w.y_min > words[0].y_max + 30]
            table_middle = (min(w.x_min for w in body) + max(w.x_max for w in body)) / 2
            assert abs((left + right) / 2 - table_middle) < 6, (i, name)


def test_attachment_label_top_left_of_the_first_page(printed):
    _, pages = printed
    found = [(i, w) for i, (_, page) in enumerate(pages) for w in page.words if w.text == "附件2"]
    assert len(found) == 1
    i, label = found[0]
    title = next(w for w in pages[0][1].words if w.text.startswith("冶金制造"))
    assert i == 0 and label.x_min < MARGIN + 10 and label.y_max <= title.y_min


def test_filled_date_and_percent_once(printed):
    _, pages = printed
    blocks = [page for name, page in pages if name.startswith("统计表")]
    assert all("填报日期：2022年7月5日" in text(page).replace(" ", "") for page in blocks)
    task1 = next(page for name, page in pages if name == "统计表（任务1）")
    # a rate: “整改率（%）” over figures without a % sign
    assert "整改率" in text(task1) and "（%）" in text(task1)
    figures = [w.text for w in task1.words if re.fullmatch(r"\d+\.\d%?", w.text)]
    assert figures and not any(f.endswith("%") for f in figures)
