"""Rich rendering of the monthly picture: `status`, `status --unit`, `deadlines`, `tasks`.

Only renders what aggregate.py computed.  Plain ASCII boxes and no colour when
stdout is not a terminal or NO_COLOR is set, so logs and pipes stay clean.

Text from the data is shown as it is: the console reads no rich markup (a contact named
"王[/]五" is just that), and every string it is given, as a str or as a Text of this module, has
its control characters written as escapes (safe_text.visible) before rich lays it out.
"""

from __future__ import annotations

import os
import sys
from typing import Optional

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions
from rich.containers import Lines
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from yejin.campaign.campaign import Campaign
from yejin.campaign.models import Unit
from yejin.line_break import break_offsets, min_width, wrap
from yejin.picture.aggregate import IndicatorTotal, MeasureProgress, MonthPicture, Submission, unit_measures
from yejin.safe_text import visible
from yejin.words import (
    CITY_OWN,
    CITY_WHOLE,
    DEPARTMENT,
    DONE,
    DRAFT,
    EXCLUDED,
    GREEN,
    IN_PROGRESS,
    LATE,
    MISSING,
    NO_REPORT,
    NOT_DUE,
    NOT_REPORTED,
    NOT_STARTED,
    ON_TIME,
    PENDING,
    RED,
    WARNING_NAMES,
    WARNINGS,
    YELLOW,
    carried_words,
    date_words,
    figure_text,
    month_words,
    number_text,
    zh,
)

_STYLE = {RED: "bold red", YELLOW: "bold yellow", GREEN: "green", PENDING: "dim"}
CARRIED_MARK = "*"  # a total or a count that includes figures carried from an earlier month
GAP = "\u3000"  # a full-width space between the items of one line (红灯1　黄灯0) and after a number label (措施6　…)
_STATUS_STYLE = {DONE: "green", IN_PROGRESS: "yellow", NOT_STARTED: "red", NOT_REPORTED: "dim"}


class _Flow(Text):
    """rich Text that breaks its lines where line_break.py allows (never inside a number, a date or a
    number with its unit, never before closing punctuation), and tells rich how narrow it can be
    without that, so a table column is never made narrower than a figure and folded by rich."""

    @classmethod
    def from_text(cls, text: Text) -> "_Flow":
        flow = cls(text.plain, style=text.style, justify=text.justify, overflow=text.overflow, end=text.end)
        flow.spans = list(text.spans)
        return flow

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        lines = self.plain.split("\n")
        return Measurement(min_width(self.plain), max(cell_len(line) for line in lines))

    def wrap(self, console: Console, width: int, *, justify=None, overflow=None, tab_size: int = 8, no_wrap=None):
        """rich's Text.wrap with rich's break positions replaced by line_break's."""
        if no_wrap or (no_wrap is None and self.no_wrap) or overflow == "ignore":
            return super().wrap(console, width, justify=justify, overflow=overflow, tab_size=tab_size, no_wrap=no_wrap)
        justify = justify or self.justify or "default"
        overflow = overflow or self.overflow or "fold"
        lines = Lines()
        for line in self.split(allow_blank=True):
            if "\t" in line.plain:
                line.expand_tabs(tab_size)
            pieces = line.divide(break_offsets(line.plain, width))
            for piece in pieces:
                piece.rstrip()  # the space a line was broken at (rich's rstrip_end counts characters, not cells)
            pieces.justify(console, width, justify=justify, overflow=overflow)
            for piece in pieces:
                piece.truncate(width, overflow=overflow)
            lines.extend(pieces)
        return lines


class _Console(Console):
    """A console for data: no markup read from it, control characters shown as escapes, lines broken
    by line_break.py's rule (every str becomes a _Flow)."""

    def render_str(self, text: str, **kwargs) -> Text:  # every str printed, in a table cell or a tree
        plain = super().render_str(visible(text, newlines=True), **kwargs)
        flow = _Flow(plain.plain, style=plain.style, justify=plain.justify, overflow=plain.overflow)
        flow.spans = plain.spans
        return flow

    def print(self, *objects, **kwargs) -> None:
        """rich joins the texts given to print into one plain Text, which breaks lines its own way (inside
        159.54万元 once no space is beside it): each text goes to rich as a _Flow of its own."""
        shown = []
        for item in objects:
            if isinstance(item, str):
                item = self.render_str(item)
            if isinstance(item, Text):
                item = _Whole(item if isinstance(item, _Flow) else _Flow.from_text(item))
            shown.append(item)
        super().print(*shown, **kwargs)


class _Whole:
    """A _Flow printed as it is (see _Console.print)."""

    def __init__(self, text: "_Flow") -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions):
        yield self.text

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return self.text.__rich_measure__(console, options)


class _Shown(_Flow):
    """rich Text for data: control characters shown as escapes, in the text and in what is appended."""

    def __init__(self, text: str = "", style: str = "", **kwargs) -> None:
        super().__init__(visible(text, newlines=True), style=style, **kwargs)

    def append(self, text, style=None) -> Text:  # type: ignore[override]
        return super().append(visible(text, newlines=True) if isinstance(text, str) else text, style)


class _Table(Table):
    """Every table of this module: before rich lays it out, its wrapping columns are sized by
    fit_columns to the width it is given, so no table cuts a figure, a date or a phone number."""

    def __rich_console__(self, console: Console, options: ConsoleOptions):
        fit_columns(console, self, options.max_width)
        yield from super().__rich_console__(console, options)


def fit_columns(console: Console, table: Table, width: Optional[int] = None) -> Table:
    """Set the width of each wrapping column so none is narrower than its widest chunk (line_break.py:
    a number with its unit, a date, a word in ASCII): rich, left alone, shares the width by ratio or
    shrinks the widest column without looking at that, and then cuts the chunk.  Columns that fit
    keep their full width; the width left over goes first to the wrapping columns without a ratio
    (names and titles: the shortest first, each up to its full width, so a measure's title stays on
    one line when it can), then to those with a ratio, by their ratio.  Only when even the narrowest
    layout is wider than the terminal does rich cut anything."""
    columns = table.columns
    measured = []
    for column in columns:
        sizes = [Measurement.get(console, console.options, cell) for cell in (column.header, *column.cells)]
        measured.append((max(m.minimum for m in sizes), max(m.maximum for m in sizes)))
    wrapping = [i for i, column in enumerate(columns) if not column.no_wrap and column.width is None]
    fixed = sum(measured[i][1] for i in range(len(columns)) if i not in wrapping)
    left_pad, right_pad = table.padding[3], table.padding[1]
    rules = (len(columns) - 1 + (2 if table.show_edge else 0)) if table.box else 0
    room = (width or console.width) - rules - (left_pad + right_pad) * len(columns) - fixed
    low = {i: max(measured[i][0], columns[i].min_width or 0) for i in wrapping}
    high = {i: max(measured[i][1], low[i]) for i in wrapping}
    widths = dict(high) if sum(high.values()) <= room else dict(low)
    left = room - sum(widths.values())
    for i in sorted((i for i in wrapping if columns[i].ratio is None), key=lambda i: high[i] - widths[i]):
        give = min(high[i] - widths[i], left)
        widths[i] += give
        left -= give
    while left > 0:
        growing = [i for i in wrapping if widths[i] < high[i]]
        if not growing:
            break
        total = sum(columns[i].ratio or 1 for i in growing)
        for i in growing:
            give = min(high[i] - widths[i], max(1, left * (columns[i].ratio or 1) // total), left)
            widths[i] += give
            left -= give
    for i in wrapping:
        columns[i].width, columns[i].ratio = widths[i], None
    return table


def make_console(width: Optional[int] = None) -> Console:
    plain = not sys.stdout.isatty() or "NO_COLOR" in os.environ
    return _Console(
        markup=False,
        width=width,
        no_color=plain,
        highlight=False,
        emoji=False,
        force_terminal=False if plain else None,
        soft_wrap=False,
    )


def _box(console: Console) -> box.Box:
    return box.ASCII2 if console.no_color else box.ROUNDED


def named_figure(ind, value, total: bool = False) -> str:
    """An indicator's name with its figure, as one phrase: 检查企业数24家, 整改率81.2%; a yes/no answer after a
    colon (建立沟通协调工作机制：是, a total: …机制：是8个)."""
    return zh(ind.name, "：" if ind.kind == "yesno" else "", figure_text(value, ind.unit, ind.kind, total=total))


def fmt_total(t: IndicatorTotal, province: bool = True) -> str:
    """`名称值单位*（目标X，落后序时）`; a rate with nothing to divide by shows "/"; * when the total
    includes carried figures.  province=False (a city's own view): a count's target is the province's, not shown."""
    ind = t.indicator
    text = named_figure(ind, t.value, total=True)
    if t.carried_units:
        text += CARRIED_MARK
    notes = []
    if ind.target is not None and (province or ind.kind == "rate"):
        notes.append(zh("目标", ind.target, "%" if ind.kind == "rate" else ind.unit))
    if t.behind_pace:
        notes.append("落后序时")
    return text + (f"（{'，'.join(notes)}）" if notes else "")


def bar(done: int, total: int, width: int = 10, ascii_only: bool = False) -> str:
    full, empty = ("#", "-") if ascii_only else ("█", "░")
    filled = round(width * done / total) if total else 0
    return full * filled + empty * (width - filled)


def days_text(days_left: int, done: bool) -> str:
    if done:
        return DONE
    if days_left < 0:
        return f"逾期{-days_left}天"
    if days_left == 0:
        return "今天到期"
    return f"剩{days_left}天"


def _warning(progress: MeasureProgress) -> Text:
    return _Shown(WARNING_NAMES[progress.warning], style=_STYLE[progress.warning])


def _contacts(contacts: Optional[dict]) -> list[str]:
    """A角　张三　0351-6819551, B角 the same: the two people a late or missing report is asked of."""
    if not contacts:
        return ["（无记录）"]
    return [GAP.join((f"{r.upper()}角", contacts[r]["name"], contacts[r]["phone"])) for r in ("a", "b")]


def header(campaign: Campaign, picture: MonthPicture) -> Text:
    info = campaign.info
    text = _Shown()
    text.append(f"{info.name}（{info.document_number}）\n", style="bold")
    text.append(
        f"{month_words(picture.month)}进展情况{GAP}数据截至{date_words(picture.period_end)}"
        f"{GAP}报送情况统计至{date_words(picture.as_of)}"
    )
    return text


def summary_line(picture: MonthPicture) -> Text:
    w = picture.warning_counts()
    s = picture.submission_counts()
    text = _Shown("预警：")
    shown = [key for key in WARNINGS if key != PENDING or w[key]]
    for i, key in enumerate(shown):
        text.append(f"{WARNING_NAMES[key]}{w[key]}", style=_STYLE[key])
        text.append(GAP if i + 1 < len(shown) else "\n")
    counts = [f"按时{s[ON_TIME]}", f"迟报{s[LATE]}", f"未报{s[MISSING]}"] + (
        [f"未到报送日{s[NOT_DUE]}"] if s[NOT_DUE] else []
    )
    text.append(f"报送：{picture.rows_word}{len(picture.city_submissions)}个，{GAP.join(counts)}")
    for d in picture.submissions:
        if d.department:
            text.append(f"；{DEPARTMENT}：{d.text}")
    return text


def excluded_text(campaign: Campaign, excluded: list, width: Optional[int] = None) -> str:
    """The files left out for an error, one each: 单位  文件:行:列: 代码 第一个错误; broken into lines of
    `width` cells when given (file:line:col stays one piece that editors and terminals can open)."""
    lines = [f"{EXCLUDED}（{len(excluded)}个文件；其余数据照常汇总，yejin validate 列出全部错误）："]
    for e in excluded:  # (a file name or a quoted value may hold control characters: shown as escapes)
        unit = campaign.unit_by_id[e.unit_id].name if e.unit_id else "（单位不明）"
        lines.append(visible(f"  {unit}  {e.problem.location()}: {e.problem.code} {e.problem.message}"))
    return "\n".join(lines if width is None else (wrap(line, width, 4 if i else 0) for i, line in enumerate(lines)))


def _state_text(s: Submission) -> str:
    """The submission as a table cell: 迟报4天 / 未报（草稿）, and where the unit's data comes from."""
    text = s.text
    if s.carried_from:
        text += f"\n{carried_words(s.carried_from)}"
    elif s.never:
        text += f"\n{NO_REPORT}"
    return text


def submissions_table(console: Console, picture: MonthPicture) -> Table:
    """Every unit; the department first, in a row of its own above the cities; the A角 and B角 of each
    unit late or missing (联系人, a column only when there is one)."""
    table = _Table(title="报送情况", box=_box(console), title_justify="left", show_lines=False)
    table.add_column("单位", no_wrap=True)
    table.add_column("报送日期", no_wrap=True)
    table.add_column("状态", no_wrap=True)
    ordered = [s for s in picture.submissions if s.department] + picture.city_submissions
    asked = any(s.state in (LATE, MISSING) for s in ordered)  # the people to ask, where there is anyone to ask
    if asked:
        table.add_column("联系人")
    for i, s in enumerate(ordered):
        style = {LATE: "yellow", MISSING: "red"}.get(s.state, "")
        table.add_row(
            s.unit.name,
            s.submitted.isoformat() if s.submitted else "—",
            _Shown(_state_text(s), style=style),
            *(["\n".join(_contacts(s.contacts)) if s.state in (LATE, MISSING) else ""] if asked else []),
            end_section=s.department and i + 1 < len(ordered) and not ordered[i + 1].department,
        )
    return table


def _headline(p: MeasureProgress) -> list[IndicatorTotal]:
    return [t for t in p.indicators if t.indicator.headline or t.indicator.target is not None]


def progress_table(console: Console, picture: MonthPicture) -> Table:
    """One row per measure; below ~110 columns the key figures move out to their own list."""
    ascii_only = console.no_color
    wide = console.width >= 110
    narrow = console.width < 100  # the bar below the count, the measure's title on one line
    table = _Table(title="任务进展", box=_box(console), title_justify="left")
    table.add_column("序号", justify="right", no_wrap=True)
    table.add_column("措施", min_width=10, overflow="fold")
    table.add_column("完成时限", no_wrap=True)
    table.add_column("已完成" if narrow else "已完成单位", no_wrap=True)
    table.add_column("推进/未启/未报", no_wrap=True)
    if wide:
        table.add_column("关键指标（合计）", min_width=16, overflow="fold")
    table.add_column("预警", no_wrap=True)
    for p in picture.measures:
        c = p.counts
        done = f"{c[DONE]}/{p.applicable}" + (CARRIED_MARK if p.carried else "")
        shown_bar = bar(c[DONE], p.applicable, 6, ascii_only)
        row = [
            str(p.measure.number),
            p.measure.short_title,
            f"{p.deadline.isoformat()}\n{days_text(p.days_left, p.done)}",
            f"{done}\n{shown_bar}" if narrow else f"{shown_bar} {done}",
            f"{c[IN_PROGRESS]}/{c[NOT_STARTED]}/{c[NOT_REPORTED]}",
        ]
        if wide:
            row.append("\n".join(fmt_total(t, picture.scope is None) for t in _headline(p)) or "—")
        table.add_row(*row, _warning(p))
    return table


def carried_note(picture: MonthPicture) -> Optional[Text]:
    """What the * marks mean: the units standing with an earlier month's data, and those with none."""
    parts = []
    if picture.carried:
        parts.append(
            f"{CARRIED_MARK}含沿用以前月份数据的单位："
            + "、".join(f"{s.unit.name}（{carried_words(s.carried_from)}）" for s in picture.carried)
        )
    if picture.never:
        parts.append(f"{NO_REPORT}、未计入的单位：" + "、".join(s.unit.name for s in picture.never))
    return _Shown("\n".join(parts), style="dim") if parts else None


def with_month(t: IndicatorTotal, total: bool = True) -> str:
    """`名称累计（本月+N）` of a 执法情况 or 全省合计 figure (本月 only where there is one)."""
    ind = t.indicator
    text = named_figure(ind, t.value, total=total)
    if t.carried_from:
        text += f"（{carried_words(t.carried_from)}）"
    elif t.this_month is not None:
        text += f"（本月+{number_text(t.this_month)}）"
    return text + (CARRIED_MARK if t.carried_units else "")


def totals_block(picture: MonthPicture) -> Optional[Text]:
    """全省合计: the 执法情况 block and the summed totals (隐患 found/fixed), cumulative with this month's."""
    if not picture.totals:
        return None
    whole = "全省" if picture.scope is None else f"{picture.scope.name}{CITY_WHOLE}"
    text = _Shown(f"{whole}合计（截至月底累计）\n", style="bold")
    if picture.enforcement:
        text.append("执法情况：" + "；".join(with_month(t) for t in picture.enforcement) + "\n")
    if picture.summed:
        text.append("各措施合计：" + "；".join(with_month(t) for t in picture.summed) + "\n")
    text.rstrip()
    return text


def headline_block(picture: MonthPicture) -> Text:
    text = _Shown("关键指标（合计）\n", style="bold")
    for p in picture.measures:
        for t in _headline(p):
            text.append(f"措施{p.measure.number}{GAP}{fmt_total(t, picture.scope is None)}\n")
    text.rstrip()
    return text


def warnings_block(picture: MonthPicture) -> Optional[Text]:
    flagged = [p for p in picture.measures if p.warning != GREEN]
    if not flagged:
        return None
    text = _Shown("预警说明\n", style="bold")
    for p in sorted(flagged, key=lambda p: (p.warning != RED, p.deadline, p.measure.number)):
        text.append(WARNING_NAMES[p.warning], style=_STYLE[p.warning])
        text.append(f"{GAP}措施{p.measure.number}{GAP}{p.measure.short_title}：{'；'.join(p.reasons)}\n")
    text.rstrip()
    return text


def render_status(console: Console, campaign: Campaign, picture: MonthPicture, events: int = 0) -> None:
    console.print(header(campaign, picture))
    console.print(summary_line(picture))
    if events:
        console.print(f"本月重要情况{events}件，详见 yejin events --month {picture.month}")
    month_body(console, campaign, picture)
    if console.width < 110:
        console.print(headline_block(picture))
    block = warnings_block(picture)
    if block:
        console.print()
        console.print(block)


def month_body(console: Console, campaign: Campaign, picture: MonthPicture) -> None:
    """What the province's status and a city's own view both show: files left out, 报送情况, 任务进展,
    the totals and whose figures are carried."""
    if picture.excluded:
        console.print()
        text = excluded_text(campaign, picture.excluded, console.width)
        console.print(_Shown(text, style="bold red"), soft_wrap=True)
    console.print()
    console.print(submissions_table(console, picture))
    console.print()
    console.print(progress_table(console, picture))
    for block in (totals_block(picture), carried_note(picture)):
        if block:
            console.print(block)


STATUS_LETTER = {DONE: "完", IN_PROGRESS: "推", NOT_STARTED: "未", NOT_REPORTED: "—"}


def parts_table(console: Console, picture: MonthPicture) -> Table:
    """A city's own view: each row (市本级, each county) on each measure it reports, in one letter
    (完 已完成, 推 推进中, 未 未启动, — 未报; * 沿用); blank where the row does not report the measure."""
    table = _Table(title="各县（区）措施状态", box=_box(console), title_justify="left", padding=(0, 0))
    table.add_column("单位", no_wrap=True)
    for p in picture.measures:
        table.add_column(str(p.measure.number), justify="center", no_wrap=True)
    states = {(u.unit.id, p.measure.number): u for p in picture.measures for u in p.units}
    for s in picture.submissions:
        cells = []
        for p in picture.measures:
            u = states.get((s.unit.id, p.measure.number))
            letter = "" if u is None else STATUS_LETTER[u.status] + (CARRIED_MARK if u.carried_from else "")
            cells.append(_Shown(letter, style=_STATUS_STYLE[u.status] if u else ""))
        table.add_row(s.unit.name, *cells)
    return table


def render_city(console: Console, campaign: Campaign, view: MonthPicture) -> None:
    """`status --unit 太原` for a city whose counties report: its own month, 市本级 and each county;
    the totals are 全市, the same as the province's picture shows for the city."""
    city = view.scope
    assert city is not None
    console.print(header(campaign, view))
    console.print(f"{city.name}{CITY_WHOLE}：{CITY_OWN}和{len(view.submissions) - 1}个县（区），合计即{CITY_WHOLE}数")
    console.print(summary_line(view))
    month_body(console, campaign, view)
    console.print()
    console.print(parts_table(console, view))
    console.print(
        _Shown(GAP.join(("完：已完成", "推：推进中", "未：未启动", "—：未报", "*：沿用以前月份的状态")), style="dim")
    )
    if console.width < 110:
        console.print(headline_block(view))
    block = warnings_block(view)
    if block:
        console.print()
        console.print(block)


def render_unit(console: Console, campaign: Campaign, picture: MonthPicture, unit: Unit) -> None:
    fig = picture.figures[unit.id]
    submission = next(s for s in picture.submissions if s.unit.id == unit.id)
    console.print(header(campaign, picture))
    line = f"{unit.name}：{submission.text}"
    if submission.submitted:
        line += f"（{date_words(submission.submitted)}报送）"
    console.print(line)
    if submission.contacts:
        console.print("联系人：" + "；".join(_contacts(submission.contacts)))
    mine = [e for e in picture.excluded if e.unit_id == unit.id]
    if mine:
        console.print(_Shown(excluded_text(campaign, mine, console.width), style="bold red"), soft_wrap=True)
    if fig.carried_from:
        console.print(
            f"本月未报；状态和累计数沿用{month_words(fig.carried_from)}的报告（{carried_words(fig.carried_from)}）"
        )
    elif fig.latest is None:
        console.print(f"本年度{NO_REPORT}")
    else:
        console.print("括号内的本月数 = 本月累计 − 此前最近一次报告的累计")
    table = _Table(box=_box(console), show_lines=True, expand=True)
    table.add_column("序号", justify="right", no_wrap=True)
    table.add_column("措施", min_width=8, overflow="fold")
    table.add_column("完成时限", no_wrap=True)
    table.add_column("状态", no_wrap=True)
    table.add_column("累计（本月）", ratio=2, min_width=14, overflow="fold")
    table.add_column("进展情况", ratio=3, min_width=16, overflow="fold")
    overdue = []
    for progress, state in unit_measures(picture, unit.id):
        m = progress.measure
        entry = fig.report.measures.get(m.number) if fig.report else None
        figures = []
        for ind in m.indicators:
            t = fig.values.get((m.number, ind.key))
            if t is None:
                continue
            text = named_figure(ind, t.value)
            # a figure older than the unit's report of the month says so (a wholly carried unit: the line above)
            if t.carried_from and not fig.carried_from:
                text += f"（{carried_words(t.carried_from)}）"
            elif ind.kind != "rate" and t.this_month is not None:
                text += f"（+{number_text(t.this_month)}）"
            figures.append(text)
        late = progress.days_left < 0 and not state.done
        older = state.carried_from and state.carried_from != fig.carried_from
        shown = state.status + (f"\n（{carried_words(state.carried_from)}）" if older else "")
        if late:
            overdue.append(
                f"措施{m.number}{GAP}{m.short_title}：已超过完成时限{-progress.days_left}天，状态为{state.status}"
                + (f"（{carried_words(state.carried_from)}）" if state.carried_from else "")
            )
        table.add_row(
            str(m.number),
            m.short_title,
            m.deadline_date.isoformat() + ("\n逾期" if late else ""),
            _Shown(shown, style=_STATUS_STYLE[state.status]),
            "\n".join(figures) or "—",
            zh(entry.progress) if entry and entry.progress else "—",
        )
    console.print(table)
    if fig.enforcement:
        console.print("执法情况：" + "；".join(with_month(t, total=False) for t in fig.enforcement.values()))
    notes = [
        f"措施{p.measure.number}说明：{zh(p.measure.note)}"
        for p, _ in unit_measures(picture, unit.id)
        if p.measure.note
    ]
    if notes:
        console.print(_Shown("\n".join(notes), style="dim"))
    if overdue:
        console.print(_Shown("逾期未完成：\n" + "\n".join(overdue), style="red"))


def render_deadlines(console: Console, picture: MonthPicture) -> None:
    console.print(
        f"完成时限一览{GAP}数据截至{date_words(picture.period_end)}（{picture.within}天内到期或落后序时为黄灯）"
    )
    table = _Table(box=_box(console))
    table.add_column("完成时限", no_wrap=True)
    table.add_column("序号", justify="right", no_wrap=True)
    table.add_column("措施", min_width=8, overflow="fold")
    table.add_column("期限", no_wrap=True)
    table.add_column("预警", no_wrap=True)
    table.add_column("未完成单位", overflow="fold")  # 运城（推进中，数据截至5月）: the cells say what they hold
    for p in sorted(picture.measures, key=lambda p: (p.deadline, p.measure.number)):
        pending = ""
        if p.warning != GREEN:
            pending = "、".join(
                f"{u.unit.short_name or u.unit.name}（{u.status}"
                + (f"，{carried_words(u.carried_from)}" if u.carried_from else "")
                + (f"；未完成：{_parts_not_done(u)}" if u.parts else "")
                + "）"
                for u in p.not_done
            )
        table.add_row(
            p.deadline.isoformat(),
            str(p.measure.number),
            p.measure.short_title,
            days_text(p.days_left, p.done),
            _warning(p),
            pending,
        )
    console.print(table)


def _parts_not_done(state) -> str:
    """A city with counties: which of 市本级 and its counties have not finished the measure."""
    return "、".join(
        (CITY_OWN if part.unit.id == state.unit.id else part.unit.name) + part.status
        for part in state.parts
        if not part.done
    )


def render_tasks(console: Console, campaign: Campaign) -> None:
    info = campaign.info
    tree = Tree(_Shown(f"{info.name}{info.year}年任务分解清单（{info.document_number}）", style="bold"))
    for task in campaign.tasks:
        branch = tree.add(_Shown(f"任务{task.number}{GAP}{zh(task.title)}", style="bold"))
        for m in task.measures:
            node = branch.add(f"措施{m.number}{GAP}{zh(m.text)}")
            node.add(f"目标要求：{zh(m.target)}")
            node.add(
                f"责任单位：{m.responsible}（报送：{'、'.join(u.short_name or u.name for u in campaign.applicable_units(m))}）"
            )
            node.add(f"完成时限：{zh(str(m.deadline))}（{m.deadline_date.isoformat()}）")
            if m.note:
                node.add(f"说明：{zh(m.note)}")
            if m.indicators:
                node.add("统计指标：" + "、".join(f"{i.name}（{unit_words(i)}）" for i in m.indicators))
    if campaign.enforcement:
        tree.add(
            "执法情况（每份月报填一次，不分措施）："
            + "、".join(f"{i.name}（{unit_words(i)}）" for i in campaign.enforcement)
        )
    console.print(tree)


def unit_words(ind) -> str:
    return "是/否" if ind.kind == "yesno" else ind.unit


def render_events(
    console: Console, campaign: Campaign, events: list, month: Optional[str], unit: Optional[Unit] = None
) -> None:
    """The listed events of `month` (or of every month of the campaign) and `unit` (or every unit),
    the title naming both; a draft's title says so (草稿 are not counted elsewhere)."""
    months = month_words(month) if month else f"{month_words(campaign.first_month)}至{month_words(campaign.last_month)}"
    title = f"{unit.name if unit else ''}重要情况（{months}）"
    if not events:
        console.print(f"{title}：无")
        return
    table = _Table(title=title, box=_box(console), title_justify="left")
    table.add_column("日期", no_wrap=True)
    table.add_column("单位", no_wrap=True)
    table.add_column("类别", no_wrap=True)
    table.add_column("标题", overflow="fold", ratio=1)
    table.add_column("涉及措施", no_wrap=True)
    table.add_column("摘要", overflow="fold", ratio=2)
    for e in events:
        unit = campaign.unit_by_id[e.unit_id]
        table.add_row(
            e.event.date.isoformat(),
            unit.short_name or unit.name,
            e.event.category,
            zh(e.event.title) + (f"（{DRAFT}）" if e.event.draft else ""),
            "、".join(str(n) for n in e.event.measures) or "—",
            zh(e.event.summary),
        )
    console.print(table)
