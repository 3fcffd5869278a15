"""`yejin export`: the 附件2 statistics workbook, ready to print.

Sheets: 统计表 (the official table: units × indicators, 本月/累计, 合计), 任务进展 (status
matrix), 进展情况 (narratives), 典型案例 (措施 7), 报送情况 (submissions and contacts), 图表.
Every number comes from aggregate.build_picture; nothing is recomputed here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from yejin.campaign.models import Indicator, Measure
from yejin.outputs import sheets as export_sheets
from yejin.outputs.files import write_atomic
from yejin.outputs.sheets import number
from yejin.outputs.xlsx import (
    AMOUNT_FMT,
    BODY,
    BOLD,
    CARRIED,
    CELL,
    CENTER,
    COUNT_FMT,
    GREY,
    HEAD,
    HEADER,
    LEFT,
    LIGHT,
    MUTED,
    NOTE,
    NUM,
    NUM_BOLD,
    NUM_CARRIED,
    NUMBER,
    PAGE_PT_HIGH,
    PAGE_PX,
    PERCENT_FMT,
    PLAIN,
    RIGHT,
    SHRINK,
    SUBTITLE,
    TEXT,
    TITLE,
    WARN,
    Cleaner,
    Style,
    col_px,
    fast_cells,
    height,
    lines,
    merge,
    number_entry,
    number_ids,
    number_width,
    put,
    put_row,
    row_height,
    save,
    set_height,
    set_widths,
    setup_print,
    span_px,
    text_entry,
    text_px,
    text_width,
)
from yejin.picture.aggregate import IndicatorTotal, MonthPicture
from yejin.words import CARRIED as CARRIED_WORD
from yejin.words import (
    CITIES,
    DEPARTMENT,
    DRAFT,
    EXCLUDED,
    LATE,
    MISSING,
    NO,
    NO_REPORT,
    NOT_DUE,
    YES,
    carried_words,
    date_words,
    figure_text,
    month_words,
    total_words,
    yes_no_text,
)

if TYPE_CHECKING:
    from yejin.campaign.campaign import Campaign
    from yejin.checking.dataset import Dataset

SHEETS = ("统计表", "任务进展", "进展情况", "典型案例", "报送情况", "图表")
HEAD_FIRST, HEAD_LAST = 4, 7  # header rows of 统计表: 任务 / 措施 / 指标 / 本月·累计
FILL_DATE = "填报日期：　　　　年　　月　　日"
KEYS = 3  # 序号, 单位, 报送情况: repeated on every printed page
TARGET_SCALE = 0.85  # pack 统计表 columns into pages readable at about this print scale
MIN_SCALE = 70  # below this the text is too small; more rows then go to a second page
MIN_WIDTH = {"count": 5.5, "amount": 7.5, "rate": 7.0, "yesno": 5.5}
ONLY_CUMULATIVE = ("rate", "yesno")  # columns with 累计 only: a rate, a yes/no answer (是/否; 合计: units with 是)


@dataclass
class ExportResult:
    path: Path
    notes: list[str] = field(default_factory=list)  # text that had to be cleaned or cut


def default_filename(campaign: "Campaign", month: str) -> str:
    """…统计表（2022年6月）.xlsx, from the campaign's table title (the bulletin names its attachment so too)."""
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", campaign.table_file_name(month))


def export_workbook(data: "Dataset", picture: MonthPicture, path: Path, force: bool = False) -> ExportResult:
    """Build the workbook and write it atomically; FileExistsError when path exists and not force."""
    when = dt.datetime.combine(picture.as_of, dt.time())
    wb, cleaner = build_workbook(data, picture)
    return ExportResult(write_atomic(path, lambda tmp: save(wb, tmp, when), force=force), cleaner.notes())


def build_workbook(data: "Dataset", picture: MonthPicture, fast: bool = True) -> tuple[Workbook, Cleaner]:
    """The workbook, for xlsx.save(), and the notes on text that had to be cleaned or cut.

    fast: cells kept compactly and written by xlsx.py (a 3,000-unit month in seconds); otherwise
    through openpyxl's own cells, which gives the same file (the tests' reference)."""
    campaign = data.campaign
    cleaner = Cleaner()
    wb = Workbook()
    if fast:
        fast_cells(wb)
    when = dt.datetime.combine(picture.as_of, dt.time())
    wb.properties.created = wb.properties.modified = when
    wb.properties.creator = "yejin"
    wb.properties.title = cleaner.text(f"{campaign.info.table_title}（{month_words(picture.month)}）")
    table = wb.active
    table.title = SHEETS[0]
    layout = _statistics(table, campaign, picture, cleaner)
    export_sheets.matrix(wb.create_sheet(SHEETS[1]), campaign, picture, cleaner)
    export_sheets.narratives(wb.create_sheet(SHEETS[2]), campaign, picture, cleaner)
    export_sheets.cases(wb.create_sheet(SHEETS[3]), campaign, picture, cleaner)
    export_sheets.submissions(wb.create_sheet(SHEETS[4]), campaign, picture, cleaner)
    export_sheets.charts(wb.create_sheet(SHEETS[5]), campaign, picture, cleaner)
    _statistics_notes(table, campaign, picture, cleaner, layout)  # with every sheet's cleaning notes
    return wb, cleaner


# --- wording -----------------------------------------------------------------------------------


def _as_of_line(picture: MonthPicture) -> str:
    return f"（数据截至 {date_words(picture.period_end)}）"


def _cell_value(total: Optional[IndicatorTotal], part: str):
    """(value, number format) of one 统计表 cell; rates: 累计 only, “/” when nothing to divide by."""
    if total is None:
        return None, None
    if total.indicator.kind == "rate":
        return ("/", None) if total.value is None else (float(total.value) / 100, PERCENT_FMT)
    if total.indicator.kind == "yesno":  # the 合计 row: how many units answered 是
        return figure_text(total.value, total.indicator.unit, "yesno", total=True).replace(" ", ""), None
    value = total.this_month if part == "本月" else total.value
    return number(value), AMOUNT_FMT if total.indicator.kind == "amount" else COUNT_FMT


def _column_format(c: "_Col") -> str:
    return {"rate": PERCENT_FMT, "amount": AMOUNT_FMT}.get(c.indicator.kind, COUNT_FMT)


def _column_values(totals: list[Optional[IndicatorTotal]], c: "_Col") -> list:
    """_cell_value's value for each unit of one 统计表 column (the format is the column's, or none for “/”);
    a carried figure has no 本月 (None)."""
    if c.indicator.kind == "rate":
        return [None if t is None else "/" if t.value is None else float(t.value) / 100 for t in totals]
    if c.indicator.kind == "yesno":
        return [None if t is None else yes_no_text(t.value) for t in totals]
    if c.part == "本月":
        return [None if t is None else number(t.this_month) for t in totals]
    return [None if t is None else number(t.value) for t in totals]


def widest_figure(values: list, fmt: str) -> float:
    """The number_width of the longest shown_figure(value) of a column: a formatted figure is longest at the
    largest or (negative) smallest value, so two are formatted instead of thousands."""
    figures = [v for v in values if v is not None and not isinstance(v, str)]
    shown = [shown_figure(max(figures), fmt), shown_figure(min(figures), fmt)] if figures else []
    if "/" in values:
        shown.append("/")
    if len(figures) < len(values) and None in values:
        shown.append("")
    return max(map(number_width, shown), default=0.0)


def shown_figure(value, fmt: Optional[str]) -> str:
    if value is None or isinstance(value, str):
        return value or ""
    return {PERCENT_FMT: f"{value:.1%}", AMOUNT_FMT: f"{value:,.2f}"}.get(fmt, f"{value:,.0f}")


# --- 统计表 ------------------------------------------------------------------------------------


@dataclass
class _Col:
    col: int
    measure: Measure
    indicator: Indicator
    part: str  # 本月 / 累计


def _submission_text(s) -> str:
    """报送情况 in one short line: 按时 / 迟报4天 / 未报·沿用5月 / 未报（草稿）·无报告."""
    text = s.text.replace(" ", "")
    if s.carried_from:
        return f"{text}·{CARRIED_WORD}{int(s.carried_from[5:])}月"
    return f"{text}·{NO_REPORT}" if s.never else text


def _statistics(ws, campaign: "Campaign", picture: MonthPicture, cleaner: Cleaner) -> "_Layout":
    subs = {s.unit.id: s for s in picture.submissions}
    totals = {(p.measure.number, t.indicator.key): t for p in picture.measures for t in p.indicators}
    units = campaign.units
    first_row, total_row = HEAD_LAST + 1, HEAD_LAST + 1 + len(units)

    # columns: every indicator of every measure; counts and amounts 本月 + 累计, rates 累计
    cols: list[_Col] = []
    for measure in campaign.measures.values():
        for ind in measure.indicators:
            for part in ("累计",) if ind.kind in ONLY_CUMULATIVE else ("本月", "累计"):
                cols.append(_Col(KEYS + 1 + len(cols), measure, ind, part))
    widths = {
        1: 4.5,
        2: max([text_width(u.name, 10.5) for u in units] + [8]),
        3: max(
            [text_width(_submission_text(s), 10.5) for s in picture.submissions]
            + [text_width("报送情况", 10.5) / 2 + 1, text_width(f"{CITIES}已报{len(units)}/{len(units)}", 10.5)]
        ),
    }
    # each column's figures, unit by unit (worked out once: for the widths, then for the cells)
    unit_values = [picture.figures[u.id].values for u in units]
    columns: list[list] = []
    for c in cols:
        values = _column_values([v.get((c.measure.number, c.indicator.key)) for v in unit_values], c)
        columns.append(values)
        total = _cell_value(totals.get((c.measure.number, c.indicator.key)), c.part)
        span = (
            1 if c.indicator.kind in ONLY_CUMULATIVE else 2
        )  # the indicator's name: three lines at most over its columns
        header = (text_px(c.indicator.name, 10.5) * 1.2 / 3 + 16) / span
        widths[c.col] = max(
            MIN_WIDTH[c.indicator.kind],
            (header - 5) / 7,
            number_width(shown_figure(*total)),
            widest_figure(values, _column_format(c)),
        )
    # a measure's and a task's names fit in two lines over their columns
    for key, name in (
        (lambda c: c.measure.number, lambda c: f"{c.measure.number}. {c.measure.short_title}"),
        (
            lambda c: campaign.task_of[c.measure.number].number,
            lambda c: (
                f"任务{campaign.task_of[c.measure.number].number}　{campaign.task_of[c.measure.number].title}（续）"
            ),
        ),
    ):
        for group in _runs(cols, key):
            need = text_px(name(group[0]), 10.5) * 1.2 / 2 + 16
            have = sum(col_px(widths[c.col]) for c in group)
            for c in group:
                widths[c.col] += max(0.0, need - have) / len(group) / 7
    set_widths(ws, widths)
    keys_px = span_px(ws, 1, KEYS)
    pages = _pages(campaign, cols, widths, PAGE_PX / TARGET_SCALE - keys_px)

    # title block, once per printed page (the page's own columns; 续 on the following pages)
    for i, (first, last) in enumerate(pages):
        title = campaign.info.table_title + ("（续）" if i else "")
        merge(ws, 1, first, 1, last, title, Style(font=TITLE, border=None, align=SHRINK), cleaner)
        merge(ws, 2, first, 2, last, _as_of_line(picture), Style(font=SUBTITLE, border=None), cleaner)
        date_from = last
        while date_from > first and span_px(ws, date_from, last) < text_px(FILL_DATE, 10.5) + 20:
            date_from -= 1
        merge(ws, 3, date_from, 3, last, FILL_DATE, Style(font=BODY, border=None, align=RIGHT))
    merge(ws, 3, 1, 3, KEYS, f"填报单位：{campaign.info.issuer}", Style(font=BODY, border=None, align=LEFT), cleaner)
    set_height(ws, 1, 30)
    set_height(ws, 2, 20)
    set_height(ws, 3, 17)

    # header: 序号/单位/报送情况 down four rows; 任务 → 措施 → 指标 → 本月/累计
    for col, text in ((1, "序号"), (2, "单位"), (3, "报送情况")):
        merge(ws, HEAD_FIRST, col, HEAD_LAST, col, text, HEADER)
    row_lines = {r: 1 for r in range(HEAD_FIRST, HEAD_LAST + 1)}

    def head(row, first, last, text):
        merge(ws, row, first, row, last, text, HEADER, cleaner)
        row_lines[row] = max(row_lines[row], lines(text, span_px(ws, first, last), 10.5))

    for first, last in pages:
        page_cols = [c for c in cols if first <= c.col <= last]
        for group in _runs(page_cols, lambda c: campaign.task_of[c.measure.number].number):
            task = campaign.task_of[group[0].measure.number]
            before = cols.index(group[0]) - 1
            cont = before >= 0 and campaign.task_of[cols[before].measure.number] is task
            head(
                HEAD_FIRST, group[0].col, group[-1].col, f"任务{task.number}　{task.title}" + ("（续）" if cont else "")
            )
        for group in _runs(page_cols, lambda c: c.measure.number):
            measure = group[0].measure
            head(HEAD_FIRST + 1, group[0].col, group[-1].col, f"{measure.number}. {measure.short_title}")
        for group in _runs(page_cols, lambda c: (c.measure.number, c.indicator.key)):
            ind = group[0].indicator
            unit = "%" if ind.kind == "rate" else f"{YES}/{NO}" if ind.kind == "yesno" else ind.unit
            text = f"{ind.name}（{unit}）"
            if lines(text, span_px(ws, group[0].col, group[-1].col), 10.5) > 1:
                text = f"{ind.name}\n（{unit}）"  # the unit on a line of its own, not split after “（”
            head(HEAD_FIRST + 2, group[0].col, group[-1].col, text)
        for c in page_cols:
            put(ws, HEAD_LAST, c.col, c.part, HEADER)
    for row, n in row_lines.items():
        set_height(ws, row, height(n, 10.5))

    # one row per unit in the official order, then 合计; the figures as whole rows (up to 300,000 cells).
    # A unit without a report of the month stands with its latest earlier one: those figures are carried
    # (沿用), shown in blue italics on a light-blue cell, and have no 本月 (统计口径, README)
    not_carried = text_entry(ws, "—", CELL.but(font=MUTED))
    not_reported = number_entry(None, number_ids(ws, CELL.but(fill=LIGHT)))
    carried_blank = number_entry(None, number_ids(ws, CELL.but(fill=CARRIED)))
    figure_ids = [number_ids(ws, CELL.but(font=NUM, align=NUMBER, fmt=_column_format(c))) for c in cols]
    carried_ids = [
        number_ids(ws, CELL.but(font=NUM_CARRIED, align=NUMBER, fmt=_column_format(c), fill=CARRIED)) for c in cols
    ]
    # text in a figure column: “/” (a rate with nothing to divide by), 是/否 (a yes/no answer)
    texts = {t: text_entry(ws, t, CELL.but(font=NUM, align=CENTER)) for t in ("/", YES, NO)}
    carried_texts = {
        t: text_entry(ws, t, CELL.but(font=NUM_CARRIED, align=CENTER, fill=CARRIED)) for t in ("/", YES, NO)
    }
    col_numbers = [c.col for c in cols]
    measure_index = {number: i for i, number in enumerate(campaign.measures)}
    col_measure = [measure_index[c.measure.number] for c in cols]
    col_keys = [(c.measure.number, c.indicator.key) for c in cols]
    measures = list(campaign.measures.values())
    for i, (unit, figures) in enumerate(zip(units, zip(*columns) if columns else [()] * len(units))):
        row = first_row + i
        sub = subs[unit.id]
        values = picture.figures[unit.id].values
        put(ws, row, 1, i + 1)
        put(ws, row, 2, unit.name, CELL.but(align=LEFT), cleaner)
        absent = picture.figures[unit.id].report is None
        put(ws, row, 3, _submission_text(sub), CELL.but(font=WARN if absent else BODY, fill=GREY if absent else None))
        applies = [campaign.applies(unit, m) for m in measures]
        entries = []
        for m, key, value, ids, old_ids in zip(col_measure, col_keys, figures, figure_ids, carried_ids):
            total = values.get(key)
            if not applies[m]:
                entries.append(not_carried)
            elif total is None:
                entries.append(not_reported)
            elif total.carried_from:
                entries.append(
                    carried_texts[value]
                    if isinstance(value, str)
                    else carried_blank
                    if value is None
                    else (value, "n", old_ids)
                )
            else:
                entries.append(texts[value] if isinstance(value, str) else (value, "n", ids))
        put_row(ws, row, dict(zip(col_numbers, entries)))
        set_height(ws, row, 16)
    cities = picture.city_submissions
    reported = sum(1 for s in cities if s.submitted)
    put(ws, total_row, 1, None, CELL.but(font=BOLD))
    put(ws, total_row, 2, "合计", CELL.but(font=BOLD))
    put(ws, total_row, 3, f"{CITIES}已报{reported}/{len(cities)}", CELL.but(font=BOLD))
    counted = any(f.latest is not None for f in picture.figures.values())
    for c in cols:  # nobody has reported at all: nothing to add up, so blank rather than 0
        value, fmt = _cell_value(totals.get((c.measure.number, c.indicator.key)) if counted else None, c.part)
        put(
            ws,
            total_row,
            c.col,
            value,
            CELL.but(font=NUM_BOLD, align=CENTER if isinstance(value, str) else NUMBER, fmt=fmt),
        )
    set_height(ws, total_row, 17)
    for _, last in pages[:-1]:
        ws.col_breaks.append(Break(id=last, max=1048575))
    return _Layout(pages, total_row, keys_px)


def _totals_words(totals: list[IndicatorTotal]) -> str:
    return "，".join(
        total_words(t.indicator.name, t.value, t.this_month, t.indicator.unit, t.indicator.kind) for t in totals
    )


@dataclass
class _Layout:
    pages: list[tuple[int, int]]  # first and last value column of each printed page
    total_row: int
    keys_px: float


def _runs(cols: list[_Col], key) -> list[list[_Col]]:
    runs: list[list[_Col]] = []
    for c in cols:
        if runs and key(runs[-1][-1]) == key(c):
            runs[-1].append(c)
        else:
            runs.append([c])
    return runs


def _pages(campaign: "Campaign", cols: list[_Col], widths: dict[int, float], budget: float) -> list[tuple[int, int]]:
    """Column ranges, one per printed page: fewest pages, then fewest tasks split, then the most even widths.

    A measure is never split; a measure wider than a page gets a page of its own.
    """
    blocks: list[tuple[bool, list[_Col], float]] = []  # (starts a task, columns, pixels)
    for task in campaign.tasks:
        first = True
        for measure in task.measures:
            mine = [c for c in cols if c.measure.number == measure.number]
            if mine:
                blocks.append((first, mine, sum(col_px(widths[c.col]) for c in mine)))
                first = False
    n = len(blocks)
    if not n:
        return [(KEYS + 1, KEYS + 1)]
    best: list[Optional[tuple]] = [None] * (n + 1)  # (pages, splits, widest, previous cut)
    best[0] = (0, 0, 0.0, -1)
    for end in range(1, n + 1):
        size = 0.0
        for start in range(end - 1, -1, -1):
            size += blocks[start][2]
            if size > budget and start < end - 1:
                break
            pages, splits, widest, _ = best[start]
            cost = (pages + 1, splits + (0 if blocks[start][0] else 1), max(widest, size), start)
            if best[end] is None or cost[:3] < best[end][:3]:
                best[end] = cost
    cuts, end = [], n
    while end > 0:
        start = best[end][3]
        cuts.append((blocks[start][1][0].col, blocks[end - 1][1][-1].col))
        end = start
    return cuts[::-1]


def _statistics_notes(ws, campaign: "Campaign", picture: MonthPicture, cleaner: Cleaner, layout: _Layout) -> None:
    """填报说明 under the first printed page (from column D: the repeated columns stay clean); print setup."""
    first, last = KEYS + 1, layout.pages[0][1]
    row = layout.total_row + 2
    figures = picture.figures.values()
    subs = picture.submissions
    missing = [s.unit.name for s in subs if s.state == MISSING]
    pending = [s.unit.name for s in subs if s.state == NOT_DUE]
    late = [f"{s.unit.name}（迟报 {s.days_late} 天）" for s in subs if s.state == LATE]
    no_figures = [str(m.number) for m in campaign.measures.values() if not m.indicators]
    warnings = []  # shown in red
    if any(f.latest and f.latest.sample_data for f in figures):
        warnings.append("本表含示例数据（报告中标有 sample_data），不是官方统计数字。")
    for e in picture.excluded:
        where = campaign.unit_by_id[e.unit_id].name if e.unit_id else "单位不明"
        warnings.append(f"{EXCLUDED}：{where} {e.problem.location()}：{e.problem.code} {e.problem.message}")
    drafts = [s.unit.name for s in subs if s.draft]
    notes = [
        *warnings,
        "累计：截至当月底的全年累计数；本月：累计数减去该单位此前最近一次报告的该项累计数（本年首次报告的即累计数）。",
        f"数据截至 {date_words(picture.period_end)}（完成时限、序时进度按此日计算）；报送情况统计至 {date_words(picture.as_of)}"
        + (f"，本月应于 {date_words(subs[0].due)}前报送。" if subs else "。"),
        (f"未报单位：{'、'.join(missing)}。" if missing else "")
        + (f"尚未报送（未到报送日）：{'、'.join(pending)}。" if pending else "")
        + (f"{DRAFT}（未计入）：{'、'.join(drafts)}。" if drafts else "")
        + ("" if missing or pending else "本月各单位均已报送。")
        + (f"迟报：{'、'.join(late)}。" if late else ""),
    ]
    if picture.enforcement:
        notes.append("全省执法情况（不分措施）：" + _totals_words(picture.enforcement) + "。")
    if picture.summed:
        notes.append("各措施合计：" + _totals_words(picture.summed) + "。")
    if picture.carried:
        notes.append(
            "本月未报的单位沿用其最近一次报告（浅蓝底、蓝色斜体的数字），本月数空白；合计含沿用的数："
            + "、".join(f"{s.unit.name}（{carried_words(s.carried_from)}）" for s in picture.carried)
            + "。"
        )
    if picture.never:
        notes.append(
            f"本年度{NO_REPORT}的单位空白（不按 0 计），不计入合计：{'、'.join(s.unit.name for s in picture.never)}。"
        )
    notes += [
        "比率只合计同时填报了分子和分母的单位，由合计的分子、分母计算（不是各单位比率的平均），只列累计数；分母为 0 时填“/”。",
        "“—”：该单位不承担此项措施（县级措施在县区未单独报送前由设区市汇总填报）。",
        f"合计行的“已报”只计{CITIES}；{DEPARTMENT}单列一行，其数字计入合计。",
    ]
    if no_figures:
        notes.append(f"措施 {'、'.join(no_figures)} 没有统计指标，只报进展状态，见“任务进展”“进展情况”表。")
    warnings += cleaner.notes()
    notes += cleaner.notes()
    width = span_px(ws, first, last)
    merge(ws, row, first, row, last, "填报说明：", PLAIN.but(font=HEAD))
    set_height(ws, row, 17)
    for i, note in enumerate(notes, 1):
        r = row + i
        text = f"{i}. {note}"
        merge(ws, r, first, r, last, text, PLAIN.but(font=WARN if note in warnings else NOTE), cleaner)
        set_height(ws, r, height(lines(text, width, NOTE.size), NOTE.size))
    footer = row + len(notes) + 1
    merge(
        ws,
        footer,
        first,
        footer,
        last,
        "单位负责人：　　　　　　　填表人：　　　　　　　联系电话：",
        PLAIN.but(font=TEXT),
    )
    set_height(ws, footer, 26)
    ws.print_area = f"A1:{get_column_letter(layout.pages[-1][1])}{footer}"

    # one scale for all pages: the widest page fits the width, the first page (with the notes) the height
    widest = max(layout.keys_px + span_px(ws, first, last) for first, last in layout.pages)
    tall = sum(row_height(ws, r) or 15 for r in range(1, footer + 1))
    fit = min(PAGE_PX * 0.97 / widest, PAGE_PT_HIGH * 0.97 / tall, 1.0)
    setup_print(
        ws,
        f"1:{HEAD_LAST}",
        scale=max(MIN_SCALE, int(fit * 100)),
        title_cols=f"A:{get_column_letter(KEYS)}",
        freeze=f"{get_column_letter(KEYS + 1)}{HEAD_LAST + 1}",
    )
