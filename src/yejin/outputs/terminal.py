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
from rich.console import Console
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from yejin.campaign.campaign import Campaign
from yejin.campaign.models import Unit
from yejin.picture.aggregate import IndicatorTotal, MeasureProgress, MonthPicture, unit_measures
from yejin.safe_text import visible
from yejin.words import (
    DONE,
    GREEN,
    IN_PROGRESS,
    LATE,
    MISSING,
    NOT_DUE,
    NOT_REPORTED,
    NOT_STARTED,
    RED,
    WARNING_NAMES,
    YELLOW,
    month_words,
    number_text,
)

_STYLE = {RED: "bold red", YELLOW: "bold yellow", GREEN: "green"}
_STATUS_STYLE = {DONE: "green", IN_PROGRESS: "yellow", NOT_STARTED: "red", NOT_REPORTED: "dim"}


class _Console(Console):
    """A console for data: no markup read from it, control characters shown as escapes."""

    def render_str(self, text: str, **kwargs) -> Text:  # every str printed, in a table cell or a tree
        return super().render_str(visible(text, newlines=True), **kwargs)


class _Shown(Text):
    """rich Text for data: control characters shown as escapes, in the text and in what is appended."""

    def __init__(self, text: str = "", style: str = "", **kwargs) -> None:
        super().__init__(visible(text, newlines=True), style=style, **kwargs)

    def append(self, text, style=None) -> Text:  # type: ignore[override]
        return super().append(visible(text, newlines=True) if isinstance(text, str) else text, style)


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


def fmt_total(t: IndicatorTotal) -> str:
    """`名称 值单位（目标 X，落后序时）`; a rate with nothing to divide by shows "/"."""
    ind = t.indicator
    text = f"{ind.name} {number_text(t.value, ind.unit)}"
    if ind.kind != "rate" and t.value is not None:
        text += ind.unit
    notes = []
    if ind.target is not None:
        notes.append(f"目标 {ind.target}{'%' if ind.kind == 'rate' else ind.unit}")
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
        return f"逾期 {-days_left} 天"
    if days_left == 0:
        return "今天到期"
    return f"剩 {days_left} 天"


def _warning(progress: MeasureProgress) -> Text:
    return _Shown(WARNING_NAMES[progress.warning], style=_STYLE[progress.warning])


def _contacts(contacts: Optional[dict]) -> tuple[str, str]:
    if not contacts:
        return "（无记录）", ""
    return tuple(f"{contacts[r]['name']} {contacts[r]['phone']}" for r in ("a", "b"))  # type: ignore[return-value]


def header(campaign: Campaign, picture: MonthPicture) -> Text:
    info = campaign.info
    text = _Shown()
    text.append(f"{info.name}（{info.document_number}）\n", style="bold")
    text.append(f"{month_words(picture.month, ' ')}进展情况  截至 {picture.as_of.isoformat()}")
    return text


def summary_line(picture: MonthPicture) -> Text:
    w = picture.warning_counts()
    s = picture.submission_counts()
    text = _Shown("预警：")
    for key in (RED, YELLOW, GREEN):
        text.append(f"{WARNING_NAMES[key]} {w[key]}", style=_STYLE[key])
        text.append("  ")
    text.append(f"  报送：按时 {s['按时']}  迟报 {s['迟报']}  未报 {s['未报']}")
    if s[NOT_DUE]:
        text.append(f"  未到报送日 {s[NOT_DUE]}")
    return text


def submissions_table(console: Console, picture: MonthPicture) -> Table:
    table = Table(title="报送情况", box=_box(console), title_justify="left", show_lines=False)
    table.add_column("单位", no_wrap=True)
    table.add_column("报送日期", no_wrap=True)
    table.add_column("状态", no_wrap=True)
    table.add_column("A 角")
    table.add_column("B 角")
    for s in picture.submissions:
        state = s.state + (f" {s.days_late} 天" if s.state == LATE else "")
        style = {LATE: "yellow", MISSING: "red"}.get(s.state, "")
        a, b = _contacts(s.contacts) if s.state in (LATE, MISSING) else ("", "")
        table.add_row(s.unit.name, s.submitted.isoformat() if s.submitted else "—", _Shown(state, style=style), a, b)
    return table


def _headline(p: MeasureProgress) -> list[IndicatorTotal]:
    return [t for t in p.indicators if t.indicator.headline or t.indicator.target is not None]


def progress_table(console: Console, picture: MonthPicture) -> Table:
    """One row per measure; below ~110 columns the key figures move out to their own list."""
    ascii_only = console.no_color
    wide = console.width >= 110
    table = Table(title="任务进展", box=_box(console), title_justify="left")
    table.add_column("序号", justify="right", no_wrap=True)
    table.add_column("措施", min_width=10, overflow="fold")
    table.add_column("完成时限", no_wrap=True)
    table.add_column("已完成单位", no_wrap=True)
    table.add_column("推进/未启/未报", no_wrap=True)
    if wide:
        table.add_column("关键指标（合计）", min_width=16, overflow="fold")
    table.add_column("预警", no_wrap=True)
    for p in picture.measures:
        c = p.counts
        row = [
            str(p.measure.number),
            p.measure.short_title,
            f"{p.deadline.isoformat()}\n{days_text(p.days_left, p.done)}",
            f"{bar(c[DONE], p.applicable, 6, ascii_only)} {c[DONE]}/{p.applicable}",
            f"{c[IN_PROGRESS]}/{c[NOT_STARTED]}/{c[NOT_REPORTED]}",
        ]
        if wide:
            row.append("\n".join(fmt_total(t) for t in _headline(p)) or "—")
        table.add_row(*row, _warning(p))
    return table


def headline_block(picture: MonthPicture) -> Text:
    text = _Shown("关键指标（合计）\n", style="bold")
    for p in picture.measures:
        for t in _headline(p):
            text.append(f"措施 {p.measure.number}  {fmt_total(t)}\n")
    text.rstrip()
    return text


def warnings_block(picture: MonthPicture) -> Optional[Text]:
    flagged = [p for p in picture.measures if p.warning != GREEN]
    if not flagged:
        return None
    text = _Shown("预警说明\n", style="bold")
    for p in sorted(flagged, key=lambda p: (p.warning != RED, p.deadline, p.measure.number)):
        text.append(f"{WARNING_NAMES[p.warning]} ", style=_STYLE[p.warning])
        text.append(f"措施 {p.measure.number} {p.measure.short_title}：{'；'.join(p.reasons)}\n")
    text.rstrip()
    return text


def render_status(console: Console, campaign: Campaign, picture: MonthPicture, events: int = 0) -> None:
    console.print(header(campaign, picture))
    console.print(summary_line(picture))
    if events:
        console.print(f"本月重要情况 {events} 件，详见 yejin events --month {picture.month}")
    console.print()
    console.print(submissions_table(console, picture))
    console.print()
    console.print(progress_table(console, picture))
    if console.width < 110:
        console.print(headline_block(picture))
    block = warnings_block(picture)
    if block:
        console.print()
        console.print(block)


def render_unit(console: Console, campaign: Campaign, picture: MonthPicture, unit: Unit) -> None:
    fig = picture.figures[unit.id]
    submission = next(s for s in picture.submissions if s.unit.id == unit.id)
    console.print(header(campaign, picture))
    line = f"{unit.name}：{submission.state}"
    if submission.submitted:
        line += (
            f"（{submission.submitted.isoformat()} 报送"
            + (f"，迟 {submission.days_late} 天" if submission.days_late else "")
            + "）"
        )
    if submission.contacts:
        a, b = _contacts(submission.contacts)
        line += f"  A 角 {a}  B 角 {b}"
    console.print(line)
    if fig.report is None:
        last = fig.previous.month if fig.previous else None
        console.print(f"本月未报；状态栏括号内为最近一次报告（{last}）的状态" if last else "本年度尚无报告")
    elif fig.previous is not None:
        console.print(f"括号内的本月数 = 本月累计 − {fig.previous.month} 报告的累计")
    table = Table(box=_box(console), show_lines=True, expand=True)
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
            text = f"{ind.name} {number_text(t.value, ind.unit)}"
            if ind.kind != "rate":
                text += f"{ind.unit}（+{number_text(t.this_month)}）"
            figures.append(text)
        late = progress.days_left < 0 and not state.done
        shown = state.status
        if state.status == "未报" and state.last_status:
            shown += f"\n（{state.last_status}）"
        if late:
            overdue.append(
                f"措施 {m.number} {m.short_title}：已超过完成时限 {-progress.days_left} 天，"
                f"状态 {state.last_status or state.status}"
            )
        table.add_row(
            str(m.number),
            m.short_title,
            m.deadline_date.isoformat() + ("\n逾期" if late else ""),
            _Shown(shown, style=_STATUS_STYLE[state.status]),
            "\n".join(figures) or "—",
            (entry.progress if entry else "") or "—",
        )
    console.print(table)
    if overdue:
        console.print(_Shown("逾期未完成：\n" + "\n".join(overdue), style="red"))


def render_deadlines(console: Console, picture: MonthPicture) -> None:
    console.print(f"完成时限一览  截至 {picture.as_of.isoformat()}（{picture.within} 天内到期或落后序时为黄灯）")
    table = Table(box=_box(console))
    table.add_column("完成时限", no_wrap=True)
    table.add_column("序号", justify="right", no_wrap=True)
    table.add_column("措施", min_width=8, overflow="fold")
    table.add_column("期限", no_wrap=True)
    table.add_column("预警", no_wrap=True)
    table.add_column("未完成单位（最近状态/月份）", ratio=1, overflow="fold")
    for p in sorted(picture.measures, key=lambda p: (p.deadline, p.measure.number)):
        pending = ""
        if p.warning != GREEN:
            pending = "、".join(
                f"{u.unit.short_name or u.unit.name}（{u.last_status or '未报'}/{u.last_month or '—'}）"
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


def render_tasks(console: Console, campaign: Campaign) -> None:
    info = campaign.info
    tree = Tree(_Shown(f"{info.name} {info.year} 年任务分解清单（{info.document_number}）", style="bold"))
    for task in campaign.tasks:
        branch = tree.add(_Shown(f"任务 {task.number}  {task.title}", style="bold"))
        for m in task.measures:
            node = branch.add(f"{m.number}. {m.text}")
            node.add(f"目标要求：{m.target}")
            node.add(
                f"责任单位：{m.responsible}（报送：{'、'.join(u.short_name or u.name for u in campaign.applicable_units(m))}）"
            )
            node.add(f"完成时限：{m.deadline}（{m.deadline_date.isoformat()}）")
            if m.indicators:
                node.add("统计指标：" + "、".join(f"{i.name}（{i.unit}）" for i in m.indicators))
    console.print(tree)


def render_events(console: Console, campaign: Campaign, events: list, month: Optional[str]) -> None:
    title = f"重要情况（{month}）" if month else "重要情况"
    if not events:
        console.print(f"{title}：无")
        return
    table = Table(title=title, box=_box(console), title_justify="left")
    table.add_column("日期", no_wrap=True)
    table.add_column("单位", no_wrap=True)
    table.add_column("类别", no_wrap=True)
    table.add_column("标题", overflow="fold")
    table.add_column("涉及措施", no_wrap=True)
    table.add_column("摘要", overflow="fold", ratio=1)
    for e in events:
        unit = campaign.unit_by_id[e.unit_id]
        table.add_row(
            e.event.date.isoformat(),
            unit.short_name or unit.name,
            e.event.category,
            e.event.title,
            "、".join(str(n) for n in e.event.measures) or "—",
            e.event.summary,
        )
    console.print(table)
