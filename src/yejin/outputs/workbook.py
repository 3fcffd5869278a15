"""`yejin export`: the 附件2 statistics workbook, ready to print.

Sheets: 统计表 (the official table: units × indicators, 本月/累计, 合计) in blocks, one sheet each,
each fitted to the page's width by its own print settings — 统计表（执法情况）, then 统计表（任务1）…;
填报说明; 任务进展 (status matrix), 进展情况 (narratives by unit), 典型案例 (措施 7), 报送情况
(submissions and contacts), 图表.  Every number comes from aggregate.build_picture; nothing is recomputed here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from yejin.campaign.counties import KEY_COUNTIES
from yejin.campaign.models import Indicator, Measure
from yejin.outputs import sheets as export_sheets
from yejin.outputs.files import write_atomic
from yejin.outputs.sheets import number, sheet_title
from yejin.outputs.xlsx import (
    AMOUNT_FMT,
    BODY,
    BOLD,
    CARRIED,
    CELL,
    CENTER,
    COUNT_FMT,
    GREY,
    HEADER,
    LABEL,
    LEFT,
    LEFT_NOWRAP,
    LIGHT,
    MUTED,
    NOTE,
    NUM,
    NUM_BOLD,
    NUM_CARRIED,
    NUMBER,
    PAGE_PX,
    PAGE_WIDTH,
    PERCENT_FMT,
    PLAIN,
    RATE_FMT,
    RIGHT,
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
    CITY_OWN,
    CITY_WHOLE,
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
    short_month,
    submission_words,
    total_words,
    yes_no_text,
    zh,
)

if TYPE_CHECKING:
    from yejin.campaign.campaign import Campaign
    from yejin.campaign.models import Unit
    from yejin.checking.dataset import Dataset

SHEET = "统计表"  # the table itself: one sheet per printed block of tasks, 统计表（任务1—2）…
NOTES_SHEET = "填报说明"
SHEETS = ("任务进展", "进展情况", "典型案例", "报送情况", "图表")  # after the table and its notes
ATTACHMENT = "附件2"  # top left of the first page, as the notice attaches the table
LABEL_ROW, TITLE_ROW, AS_OF_ROW, FILL_ROW = 1, 2, 3, 4
HEAD_FIRST, HEAD_LAST = 5, 8  # header rows of 统计表: 任务 / 措施 / 指标 / 本月·累计
KEYS = 3  # 序号, 单位, 报送情况: the first columns of every block
TARGET_SCALE = 0.85  # pack 统计表 columns into blocks readable at about this print scale
MIN_WIDTH = {"count": 5.5, "amount": 7.5, "rate": 7.0, "yesno": 5.5}
ONLY_CUMULATIVE = ("rate", "yesno")  # columns with 累计 only: a rate, a yes/no answer (是/否; 合计: units with 是)
ENFORCEMENT_HEAD = "执法情况（不分措施，每份月报填报一次）"
SIGNATURE = "单位负责人：　　　　　　　填表人：　　　　　　　联系电话："


@dataclass
class ExportResult:
    path: Path
    notes: list[str] = field(default_factory=list)  # text that had to be cleaned or cut


def default_filename(campaign: "Campaign", month: str, city: Optional["Unit"] = None) -> str:
    """…统计表（2022年6月）.xlsx, from the campaign's table title (the bulletin names its attachment so too);
    a city's own table starts with its name (阳泉市…统计表（2022年6月）.xlsx)."""
    name = (city.name if city else "") + campaign.table_file_name(month)
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name)


def export_workbook(
    data: "Dataset", picture: MonthPicture, path: Path, force: bool = False, filled_on: Optional[dt.date] = None
) -> ExportResult:
    """Build the workbook and write it atomically; FileExistsError when path exists and not force.
    filled_on: the 填报日期 (default: the picture's as-of day)."""
    when = dt.datetime.combine(picture.as_of, dt.time())
    wb, cleaner = build_workbook(data, picture, filled_on=filled_on)
    return ExportResult(write_atomic(path, lambda tmp: save(wb, tmp, when), force=force), cleaner.notes())


def build_workbook(
    data: "Dataset", picture: MonthPicture, fast: bool = True, filled_on: Optional[dt.date] = None
) -> tuple[Workbook, Cleaner]:
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
    plan = _plan(campaign, picture)
    for i, block in enumerate(plan.blocks):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = block.name
        _statistics(ws, campaign, picture, cleaner, plan, block, filled_on or picture.as_of)
    notes = wb.create_sheet(NOTES_SHEET)
    export_sheets.matrix(wb.create_sheet(SHEETS[0]), campaign, picture, cleaner)
    export_sheets.narratives(wb.create_sheet(SHEETS[1]), campaign, picture, cleaner)
    export_sheets.cases(wb.create_sheet(SHEETS[2]), campaign, picture, cleaner)
    export_sheets.submissions(wb.create_sheet(SHEETS[3]), campaign, picture, cleaner)
    export_sheets.charts(wb.create_sheet(SHEETS[4]), campaign, picture, cleaner)
    _statistics_notes(notes, campaign, picture, cleaner)  # with every sheet's cleaning notes
    return wb, cleaner


# --- wording -----------------------------------------------------------------------------------


def _as_of_line(picture: MonthPicture) -> str:
    return f"（数据截至{date_words(picture.period_end)}）"


def _cell_value(total: Optional[IndicatorTotal], part: str):
    """(value, number format) of one 统计表 cell; rates: 累计 only, in percent under a “（%）” header,
    “/” when nothing to divide by."""
    if total is None:
        return None, None
    if total.indicator.kind == "rate":
        return ("/", None) if total.value is None else (number(total.value), RATE_FMT)
    if total.indicator.kind == "yesno":  # the 合计 row: how many units answered 是
        return figure_text(total.value, total.indicator.unit, "yesno", total=True).replace(" ", ""), None
    value = total.this_month if part == "本月" else total.value
    return number(value), AMOUNT_FMT if total.indicator.kind == "amount" else COUNT_FMT


def _column_format(c: "_Col") -> str:
    return {"rate": RATE_FMT, "amount": AMOUNT_FMT}.get(c.indicator.kind, COUNT_FMT)


def _column_values(totals: list[Optional[IndicatorTotal]], c: "_Col") -> list:
    """_cell_value's value for each unit of one 统计表 column (the format is the column's, or none for “/”);
    a carried figure has no 本月 (None)."""
    if c.indicator.kind == "rate":
        return [None if t is None else "/" if t.value is None else number(t.value) for t in totals]
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
    return {PERCENT_FMT: f"{value:.1%}", RATE_FMT: f"{value:.1f}", AMOUNT_FMT: f"{value:,.2f}"}.get(
        fmt, f"{value:,.0f}"
    )


# --- 统计表 ------------------------------------------------------------------------------------


@dataclass
class _Col:
    col: int  # in its block's sheet
    measure: Optional[Measure]  # None: a column of the 执法情况 block (reported once per report)
    indicator: Indicator
    part: str  # 本月 / 累计
    width: float = 0.0
    figures: list = field(default_factory=list)  # each unit's IndicatorTotal (or None), in the campaign's order
    applies: list = field(default_factory=list)  # whether each unit reports it (“—” where not)
    values: list = field(default_factory=list)  # what each unit's cell shows (_column_values)
    total: Optional[IndicatorTotal] = None  # the 合计

    @property
    def group(self) -> tuple:
        """The header cell over this column: (measure number,) or the 执法情况 block's."""
        return (self.measure.number,) if self.measure else (0,)


@dataclass
class _Block:
    name: str  # the sheet's name
    cols: list[_Col]
    continues: bool  # its first task began in the block before (任务…（续）)
    first: bool
    last: bool


@dataclass
class _Plan:
    key_widths: dict[int, float]
    blocks: list[_Block]


def _submission_text(s) -> str:
    """报送情况 in one short line: 按时 / 迟报4天 / 未报·沿用5月 / 未报（草稿）·无报告."""
    text = s.text.replace(" ", "")
    if s.carried_from:
        return f"{text}·{CARRIED_WORD}{short_month(s.carried_from)}"
    return f"{text}·{NO_REPORT}" if s.never else text


def _plan(campaign: "Campaign", picture: MonthPicture) -> _Plan:
    """The table's columns, their widths and figures, cut into blocks of whole measures that each print on
    one page width (the fewest blocks, then the fewest tasks split): one sheet per block, each fitted to
    the page's width by the sheet's own print settings, so no font's metrics decide where a page ends."""
    units = picture.units
    totals = {(p.measure.number, t.indicator.key): t for p in picture.measures for t in p.indicators}
    unit_values = [picture.figures[u.id].values for u in units]
    # the 执法情况 block first: reported once per report (not per measure), every unit reports it
    enforcement: list[_Col] = []
    every = [True] * len(units)
    totals_of = {t.indicator.key: t for t in picture.enforcement}
    for ind in campaign.enforcement:
        figures = [picture.figures[u.id].enforcement.get(ind.key) for u in units]
        for part in ("累计",) if ind.kind in ONLY_CUMULATIVE else ("本月", "累计"):
            enforcement.append(
                _Col(
                    KEYS + 1 + len(enforcement),
                    None,
                    ind,
                    part,
                    figures=figures,
                    applies=every,
                    total=totals_of[ind.key],
                )
            )
    cols: list[_Col] = []  # every indicator of every measure; counts and amounts 本月 + 累计, rates 累计
    for measure in campaign.measures.values():
        applies = [(u.id, measure.number) in picture.responsible for u in units]
        for ind in measure.indicators:
            key = (measure.number, ind.key)
            figures = [v.get(key) for v in unit_values]
            # a rate over the city's 重点县区 (measure 10's coverage) has no meaning for a unit that lists none
            ind_applies = (
                [a and bool(campaign.key_counties(u)) for a, u in zip(applies, units)]
                if ind.denominator == KEY_COUNTIES
                else applies
            )
            for part in ("累计",) if ind.kind in ONLY_CUMULATIVE else ("本月", "累计"):
                cols.append(
                    _Col(
                        KEYS + 1 + len(cols),
                        measure,
                        ind,
                        part,
                        figures=figures,
                        applies=ind_applies,
                        total=totals.get(key),
                    )
                )
    key_widths = {
        1: 4.5,
        2: max([text_width(u.name, 10.5) for u in units] + [8]),
        3: max(
            [text_width(_submission_text(s), 10.5) for s in picture.submissions]
            + [
                text_width("报送情况", 10.5) / 2 + 1,
                text_width(f"{picture.rows_word}已报{len(units)}/{len(units)}", 10.5),
            ]
        ),
    }
    for c in enforcement + cols:
        c.values = _column_values(c.figures, c)
        total = _cell_value(c.total, c.part)
        span = 1 if c.indicator.kind in ONLY_CUMULATIVE else 2  # the indicator's name: three lines at most
        header = (text_px(c.indicator.name, 10.5) * 1.2 / 3 + 16) / span
        c.width = max(
            MIN_WIDTH[c.indicator.kind],
            (header - 5) / 7,
            number_width(shown_figure(*total)),
            widest_figure(c.values, _column_format(c)),
        )
    # a measure's and a task's names fit in two lines over their columns
    for key, name in (
        (lambda c: c.group, lambda c: _measure_head(c)),
        (lambda c: _task(campaign, c), lambda c: _task_head(campaign, c, True)),
    ):
        for group in _runs(cols, key):
            need = text_px(name(group[0]), 10.5) * 1.2 / 2 + 16
            have = sum(col_px(c.width) for c in group)
            for c in group:
                c.width += max(0.0, need - have) / len(group) / 7
    if enforcement:  # its heading in two lines at most
        need = text_px(ENFORCEMENT_HEAD, 10.5) * 1.2 / 2 + 16
        have = sum(col_px(c.width) for c in enforcement)
        for c in enforcement:
            c.width += max(0.0, need - have) / len(enforcement) / 7
    keys_px = sum(col_px(w) for w in key_widths.values())
    pages = _pages(campaign, cols, PAGE_PX / TARGET_SCALE - keys_px)
    blocks: list[_Block] = []
    if enforcement:
        blocks.append(_Block(f"{SHEET}（执法情况）", enforcement, False, True, False))
    names: set[str] = set()
    for i, (first, last) in enumerate(pages):
        mine = [replace(c, col=KEYS + 1 + j) for j, c in enumerate(cols[first - KEYS - 1 : last - KEYS])]
        tasks = [_task(campaign, c) for c in mine]
        continues = bool(i and tasks and _task(campaign, cols[first - KEYS - 2]) == tasks[0])
        name = SHEET
        if tasks:
            name = f"{SHEET}（任务{tasks[0]}{'' if tasks[0] == tasks[-1] else f'—{tasks[-1]}'}{'续' if continues else ''}）"
        while name in names:  # a task cut more than twice
            name = name[:-1] + "续）"
        names.add(name)
        blocks.append(_Block(name, mine, continues, not blocks, i == len(pages) - 1))
    # a narrow block is widened to its title's length: the title on one line, the table as wide as it
    title_px = text_px(campaign.info.table_title, TITLE.size) * 1.05 + 30
    for block in blocks:
        short = title_px - keys_px - sum(col_px(c.width) for c in block.cols)
        for c in block.cols if short > 0 else ():
            c.width += short / len(block.cols) / 7
    return _Plan(key_widths, blocks)


def _task(campaign: "Campaign", c: _Col) -> int:
    return campaign.task_of[c.measure.number].number if c.measure else 0


def _task_head(campaign: "Campaign", c: _Col, cont: bool) -> str:
    task = campaign.task_of[c.measure.number]
    return f"任务{task.number}　{task.title}" + ("（续）" if cont else "")


def _measure_head(c: _Col) -> str:
    return f"{c.measure.number}. {c.measure.short_title}"


def _statistics(
    ws, campaign: "Campaign", picture: MonthPicture, cleaner: Cleaner, plan: _Plan, block: _Block, filled_on: dt.date
) -> None:
    """One block of the table on a sheet of its own: 附件2 (first block), the title and 填报单位/填报日期 over
    the block's whole width, the header, one row per unit, 合计; 单位负责人… under the last block."""
    cols = block.cols
    units = picture.units
    subs = {s.unit.id: s for s in picture.submissions}
    last = cols[-1].col if cols else KEYS
    first_row, total_row = HEAD_LAST + 1, HEAD_LAST + 1 + len(units)
    set_widths(ws, {**plan.key_widths, **{c.col: c.width for c in cols}})
    width_px = span_px(ws, 1, last)

    # 附件2, the title, the as-of line, 填报单位 and 填报日期: over the block's whole width
    put(ws, LABEL_ROW, 1, ATTACHMENT if block.first else None, PLAIN.but(font=LABEL, align=LEFT_NOWRAP))
    set_height(ws, LABEL_ROW, 24)
    title = campaign.info.table_title
    merge(ws, TITLE_ROW, 1, TITLE_ROW, last, title, Style(font=TITLE, border=None), cleaner)
    set_height(ws, TITLE_ROW, height(lines(title, width_px, TITLE.size), TITLE.size, 1.3))
    merge(ws, AS_OF_ROW, 1, AS_OF_ROW, last, _as_of_line(picture), Style(font=SUBTITLE, border=None), cleaner)
    set_height(ws, AS_OF_ROW, 22)
    filled = f"填报日期：{date_words(filled_on)}"
    issuer = campaign.info.issuer if picture.scope is None else f"{picture.scope.name}应急管理局"
    merge(ws, FILL_ROW, 1, FILL_ROW, KEYS, f"填报单位：{issuer}", PLAIN.but(font=BODY), cleaner)
    date_from = last
    while date_from > KEYS + 1 and span_px(ws, date_from, last) < text_px(filled, 10.5) + 20:
        date_from -= 1
    merge(ws, FILL_ROW, date_from, FILL_ROW, last, filled, Style(font=BODY, border=None, align=RIGHT))
    set_height(ws, FILL_ROW, 18)

    # header: 序号/单位/报送情况 down four rows; 任务 → 措施 → 指标 → 本月/累计
    for col, text in ((1, "序号"), (2, "单位"), (3, "报送情况")):
        merge(ws, HEAD_FIRST, col, HEAD_LAST, col, text, HEADER)
    row_lines = {r: 1 for r in range(HEAD_FIRST, HEAD_LAST + 1)}

    def head(row, first, last, text):
        merge(ws, row, first, row, last, text, HEADER, cleaner)
        row_lines[row] = max(row_lines[row], lines(text, span_px(ws, first, last), 10.5))

    for i, group in enumerate(_runs(cols, lambda c: _task(campaign, c))):
        if group[0].measure is None:  # the 执法情况 block: one heading over the task and measure rows
            merge(ws, HEAD_FIRST, group[0].col, HEAD_FIRST + 1, group[-1].col, ENFORCEMENT_HEAD, HEADER, cleaner)
            continue
        head(HEAD_FIRST, group[0].col, group[-1].col, _task_head(campaign, group[0], i == 0 and block.continues))
    for group in _runs([c for c in cols if c.measure], lambda c: c.group):
        head(HEAD_FIRST + 1, group[0].col, group[-1].col, _measure_head(group[0]))
    for group in _runs(cols, lambda c: (c.group, c.indicator.key)):
        ind = group[0].indicator
        unit = "%" if ind.kind == "rate" else f"{YES}/{NO}" if ind.kind == "yesno" else ind.unit
        text = f"{ind.name}（{unit}）"
        if lines(text, span_px(ws, group[0].col, group[-1].col), 10.5) > 1:
            text = f"{ind.name}\n（{unit}）"  # the unit on a line of its own, not split after “（”
        head(HEAD_FIRST + 2, group[0].col, group[-1].col, text)
    for c in cols:
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
    columns = [zip(c.figures, c.applies, c.values) for c in cols]
    for i, (unit, cells) in enumerate(zip(units, zip(*columns) if columns else [()] * len(units))):
        row = first_row + i
        sub = subs[unit.id]
        put(ws, row, 1, i + 1)
        put(ws, row, 2, unit.name, CELL.but(align=LEFT), cleaner)
        absent = picture.figures[unit.id].report is None
        put(ws, row, 3, _submission_text(sub), CELL.but(font=WARN if absent else BODY, fill=GREY if absent else None))
        entries = []
        for (total, applies, value), ids, old_ids in zip(cells, figure_ids, carried_ids):
            if not applies:
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
    put(ws, total_row, 3, f"{picture.rows_word}已报{reported}/{len(cities)}", CELL.but(font=BOLD))
    counted = any(f.latest is not None for f in picture.figures.values())
    for c in cols:  # nobody has reported at all: nothing to add up, so blank rather than 0
        value, fmt = _cell_value(c.total if counted else None, c.part)
        style = CELL.but(font=NUM_BOLD, align=CENTER if isinstance(value, str) else NUMBER, fmt=fmt)
        put(ws, total_row, c.col, value, style)
    set_height(ws, total_row, 17)
    end = total_row
    if block.last:
        end += 2
        merge(ws, end, 1, end, last, SIGNATURE, PLAIN.but(font=TEXT))
        set_height(ws, end, 26)
    ws.print_area = f"A1:{get_column_letter(last)}{end}"
    setup_print(ws, f"{TITLE_ROW}:{HEAD_LAST}", freeze=f"{get_column_letter(KEYS + 1)}{HEAD_LAST + 1}")


def _runs(cols: list[_Col], key) -> list[list[_Col]]:
    runs: list[list[_Col]] = []
    for c in cols:
        if runs and key(runs[-1][-1]) == key(c):
            runs[-1].append(c)
        else:
            runs.append([c])
    return runs


def _pages(campaign: "Campaign", cols: list[_Col], budget: float) -> list[tuple[int, int]]:
    """Column ranges, one per block: fewest blocks, then fewest tasks split, then the most even widths.

    A measure is never split; a measure wider than a page gets a block of its own.
    """
    blocks: list[tuple[bool, list[_Col], float]] = []  # (starts a task, columns, pixels)
    for task in campaign.tasks:
        first = True
        for measure in task.measures:
            mine = [c for c in cols if c.measure is measure]
            if mine:
                blocks.append((first, mine, sum(col_px(c.width) for c in mine)))
                first = False
    n = len(blocks)
    if not n:
        return [(KEYS + 1, KEYS)]
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


def _totals_words(totals: list[IndicatorTotal]) -> str:
    return "，".join(
        total_words(t.indicator.name, t.value, t.this_month, t.indicator.unit, t.indicator.kind) for t in totals
    )


def _statistics_notes(ws, campaign: "Campaign", picture: MonthPicture, cleaner: Cleaner) -> None:
    """填报说明 on a page of its own after the table (the table's blocks stay one page each)."""
    figures = picture.figures.values()
    subs = picture.submissions
    missing = [s.unit.name for s in subs if s.state == MISSING]
    pending = [s.unit.name for s in subs if s.state == NOT_DUE]
    late = [f"{s.unit.name}（{submission_words(LATE, s.days_late)}）" for s in subs if s.state == LATE]
    no_figures = [str(m.number) for m in campaign.measures.values() if not m.indicators]
    warnings = []  # shown in red
    if any(f.latest and f.latest.sample_data for f in figures):
        warnings.append("本表含示例数据（报告中标有 sample_data），不是官方统计数字。")
    for e in picture.excluded:
        where = campaign.unit_by_id[e.unit_id].name if e.unit_id else "单位不明"
        warnings.append(zh(f"{EXCLUDED}：{where} {e.problem.location()}：{e.problem.code} {e.problem.message}"))
    drafts = [s.unit.name for s in subs if s.draft]
    notes = [
        *warnings,
        "累计：截至当月底的全年累计数；本月：累计数减去该单位此前最近一次报告的该项累计数（本年首次报告的即累计数）。",
        f"数据截至{date_words(picture.period_end)}（完成时限、序时进度按此日计算）；报送情况统计至{date_words(picture.as_of)}"
        + (f"，本月应于{date_words(subs[0].due)}前报送。" if subs else "。"),
        (f"未报单位：{'、'.join(missing)}。" if missing else "")
        + (f"尚未报送（未到报送日）：{'、'.join(pending)}。" if pending else "")
        + (f"{DRAFT}（未计入）：{'、'.join(drafts)}。" if drafts else "")
        + ("" if missing or pending else "本月各单位均已报送。")
        + (f"迟报：{'、'.join(late)}。" if late else ""),
    ]
    if picture.enforcement:
        whole = "全省" if picture.scope is None else f"{picture.scope.name}{CITY_WHOLE}"
        notes.append(f"{whole}执法情况（不分措施）：" + _totals_words(picture.enforcement) + "。")
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
            f"本年度{NO_REPORT}的单位空白（不按0计），不计入合计：{'、'.join(s.unit.name for s in picture.never)}。"
        )
    notes += [
        "比率（%）只合计同时填报了分子和分母的单位，由合计的分子、分母计算（不是各单位比率的平均），只列累计数；"
        "分母为0时填“/”。",
        "“—”：该单位不承担此项措施（县级措施在县区未单独报送前由设区市汇总填报）。",
        f"合计行的“已报”只计{CITIES}；{DEPARTMENT}单列一行，其数字计入合计。"
        if picture.scope is None
        else f"各行为{picture.scope.name}{CITY_OWN}和各县（区）；合计即{picture.scope.name}{CITY_WHOLE}数（与全省统计表中{picture.scope.name}一行相同）。",
    ]
    if no_figures:
        notes.append(f"措施{'、'.join(no_figures)}没有统计指标，只报进展状态，见“任务进展”“进展情况”表。")
    warnings += cleaner.notes()
    notes += cleaner.notes()
    set_widths(ws, {1: PAGE_WIDTH * 0.6})  # fits unscaled with any default font (LibreOffice misplaces it otherwise)
    width = span_px(ws, 1, 1)
    sheet_title(ws, 1, campaign.info.table_title, f"{NOTES_SHEET}{_as_of_line(picture)}", cleaner)
    row = 3
    for i, note in enumerate(notes, 1):
        r = row + i - 1
        text = f"{i}. {note}"
        put(ws, r, 1, text, PLAIN.but(font=WARN if note in warnings else NOTE), cleaner)
        set_height(ws, r, height(lines(text, width, NOTE.size), NOTE.size))
    ws.print_area = f"A1:A{row + len(notes) - 1}"
    setup_print(ws, "1:2")
