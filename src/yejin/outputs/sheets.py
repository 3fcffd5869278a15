"""The export's other sheets: 任务进展 (status matrix), 进展情况 (narratives), 典型案例 (措施 7),
报送情况 (submissions and contacts) and 图表 (charts with their data beside them).

Numbers and states come from the month's picture (aggregate.build_picture); see workbook.py.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Optional

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.worksheet.pagebreak import Break

from yejin.outputs.xlsx import (
    AMOUNT_FMT,
    BOLD,
    CARRIED,
    CARRIED_FONT,
    CELL,
    CENTER,
    CENTER_TOP,
    GREY,
    HEAD,
    HEAD_BIG,
    HEADER,
    LEFT,
    LEFT_TOP,
    LIGHT,
    MUTED,
    NOTE,
    NUM,
    NUMBER,
    PERCENT_FMT,
    PLAIN,
    RED,
    RIGHT,
    RIGHT_TOP,
    STATUS_FILLS,
    SUBMISSION_FILLS,
    SUBTITLE,
    TEXT,
    THIN_TOP_MEDIUM,
    TITLE,
    WARN,
    WARNING_FILLS,
    Cleaner,
    Style,
    col_px,
    height,
    lines,
    merge,
    put,
    put_row,
    set_height,
    set_print_area,
    set_widths,
    setup_print,
    span_px,
    text_entry,
    text_width,
)
from yejin.picture.aggregate import MonthPicture, measures_by_unit, unit_completion
from yejin.words import (
    DEPARTMENT,
    DRAFT,
    EXCLUDED,
    NO_REPORT,
    NOT_DUE,
    WARNING_NAMES,
    carried_words,
    date_words,
    month_words,
    short_month,
    zh,
)

if TYPE_CHECKING:
    from yejin.campaign.campaign import Campaign


# --- wording shared with workbook.py ------------------------------------------------------------


def period_line(picture: MonthPicture, submissions: bool = False) -> str:
    """（2022年6月，数据截至2022年6月30日[，报送情况统计至2022年7月5日]）"""
    text = f"（{month_words(picture.month)}，数据截至{date_words(picture.period_end)}"
    return text + (f"，报送情况统计至{date_words(picture.as_of)}）" if submissions else "）")


def sheet_title(ws, width: int, title: str, sub: str, cleaner: Cleaner) -> None:
    """Rows 1–2 over columns 1..width (the sheet's printed width): the table's title, in the notice's words
    (the same on every sheet), and what the sheet shows with its period."""
    merge(ws, 1, 1, 1, width, title, Style(font=TITLE, border=None), cleaner)
    merge(ws, 2, 1, 2, width, sub, Style(font=SUBTITLE, border=None), cleaner)
    set_height(ws, 1, height(lines(title, span_px(ws, 1, width), TITLE.size), TITLE.size, 1.3))
    set_height(ws, 2, height(lines(sub, span_px(ws, 1, width), SUBTITLE.size), SUBTITLE.size))


def number(value: Optional[Decimal]):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


# --- 任务进展 ----------------------------------------------------------------------------------


def matrix(ws, campaign: "Campaign", picture: MonthPicture, cleaner: Cleaner) -> None:
    units = picture.units
    first_unit = 5
    done_col, warn_col = first_unit + len(units), first_unit + len(units) + 1
    measures = list(campaign.measures.values())
    widths = {
        1: 5.0,
        2: max(text_width(m.short_title, 10.5) for m in measures) + 2,
        3: max(text_width(m.responsible, 10.5) for m in measures) + 2,
        4: max(text_width(zh(str(m.deadline)), 10.5) for m in measures) + 2,
        done_col: 8.0,
        warn_col: 7.0,
    }
    widths.update({first_unit + i: max(7.5, text_width(u.short_name or u.name, 10.5)) for i, u in enumerate(units)})
    set_widths(ws, widths)
    sheet_title(ws, warn_col, campaign.info.table_title, "各项措施进展情况" + period_line(picture), cleaner)
    header = ["序号", "工作措施", "责任单位", "完成时限"] + [u.short_name or u.name for u in units] + ["已完成", "预警"]
    for col, text in enumerate(header, 1):
        put(ws, 3, col, text, HEADER, cleaner)
    set_height(ws, 3, height(max(lines(t, col_px(widths[c]), 10.5) for c, t in enumerate(header, 1)), 10.5))
    row = 4
    status_styles = {status: CELL.but(fill=fill) for status, fill in STATUS_FILLS.items()}
    carried_styles = {status: CELL.but(fill=fill, font=CARRIED_FONT) for status, fill in STATUS_FILLS.items()}
    not_carried = CELL.but(font=MUTED)
    known_lines: dict[tuple[str, int], int] = {}  # a few states in thousands of unit columns

    def lines_in(text: str, col: int) -> int:
        n = known_lines.get((text, col))
        if n is None:
            n = known_lines[text, col] = lines(text, col_px(widths[col]), 10.5)
        return n

    for p in picture.measures:
        m = p.measure
        states = {s.unit.id: s for s in p.units}
        overdue = p.days_left < 0 and not p.done
        deadline = zh(str(m.deadline)) + (f"\n逾期{-p.days_left}天" if overdue else "")
        cells = [
            (1, m.number, CELL),
            (2, m.short_title, CELL.but(align=LEFT)),
            (3, m.responsible, CELL),
            (4, deadline, CELL.but(fill=RED if overdue else None)),
        ]
        for i, unit in enumerate(units):
            state = states.get(unit.id)
            if state is None:
                cells.append((first_unit + i, "—", not_carried))
            elif state.carried_from:  # 沿用: the status of an earlier month's report, in blue italics
                text = f"{state.status}\n（{short_month(state.carried_from)}）"
                cells.append((first_unit + i, text, carried_styles[state.status]))
            else:
                cells.append((first_unit + i, state.status, status_styles[state.status]))
        cells.append((done_col, f"{p.counts['已完成']}/{p.applicable}", CELL))
        cells.append((warn_col, WARNING_NAMES[p.warning], CELL.but(fill=WARNING_FILLS[p.warning])))
        for col, value, style in cells:
            put(ws, row, col, value, style, cleaner)
        set_height(ws, row, height(max(lines_in(str(v), c) for c, v, _ in cells), 10.5))
        row += 1
    row += 1
    merge(ws, row, 1, row, first_unit - 1, "图例：", PLAIN.but(font=HEAD, align=RIGHT))
    legend = [
        ("已完成", STATUS_FILLS["已完成"], None),
        ("推进中", STATUS_FILLS["推进中"], None),
        ("未启动", STATUS_FILLS["未启动"], None),
        ("未报", GREY, None),
        ("—", None, None),
        ("逾期", RED, None),
        ("推进中\n（5月）", STATUS_FILLS["推进中"], CARRIED_FONT),
    ]
    for i, (text, fill, font) in enumerate(legend):
        put(ws, row, first_unit + i, text, CELL.but(fill=fill, font=font or CELL.font))
    set_height(ws, row, height(2, 10.5))
    legend_text = (
        "“—”：该单位不承担此项措施；“未报”：本年度尚无报告；“逾期”：已过完成时限仍有单位未完成（完成时限格标红）；"
        "蓝色斜体带月份的：该单位本月未报，状态沿用该月报告；"
        "“已完成”列为状态“已完成”（含沿用）的单位数/承担单位数；预警：红灯为逾期未完成，"
        "黄灯为临近完成时限未完成或低于序时进度，待报为责任单位本月均未报告（不判断序时进度）。"
    )
    merge(ws, row + 1, 1, row + 1, warn_col, legend_text, PLAIN.but(font=NOTE), cleaner)
    set_height(ws, row + 1, height(lines(legend_text, span_px(ws, 1, warn_col), 11), 11))
    row += 2
    for p in picture.measures:
        if p.reasons:
            text = f"{WARNING_NAMES[p.warning]}　{p.measure.number}. {p.measure.short_title}：{'；'.join(p.reasons)}"
            merge(ws, row, 1, row, warn_col, text, PLAIN.but(font=NOTE), cleaner)
            row += 1
    for m in measures:  # 说明 (tasks.yaml `note`, not the notice's words): e.g. a standard since replaced
        if m.note:
            merge(
                ws,
                row,
                1,
                row,
                warn_col,
                zh(f"说明　{m.number}. {m.short_title}：", m.note),
                PLAIN.but(font=NOTE),
                cleaner,
            )
            row += 1
    setup_print(ws, "1:3", freeze="E4")
    set_print_area(ws, warn_col)


# --- 进展情况 ----------------------------------------------------------------------------------


def narratives(ws, campaign: "Campaign", picture: MonthPicture, cleaner: Cleaner) -> None:
    """Unit by unit: the unit's name as a section row, then one row per measure it carries, then 存在问题
    and 下步打算; a unit that did not report has one row saying so."""
    widths = {1: 26.0, 2: 8.0, 3: 100.0}
    set_widths(ws, widths)
    sheet_title(ws, 3, campaign.info.table_title, "各单位工作进展情况" + period_line(picture), cleaner)
    for col, text in enumerate(("工作措施", "状态", "进展情况"), 1):
        put(ws, 3, col, text, HEADER)
    set_height(ws, 3, 22)
    setup_print(ws, "1:3", freeze="A4")

    body = Style(font=TEXT, align=LEFT_TOP)
    section = CELL.but(font=HEAD_BIG, align=LEFT, fill=LIGHT, border=THIN_TOP_MEDIUM)
    states: dict[str, Style] = {}  # the state column is coloured by the state
    short_lines: dict[str, int] = {}
    fixed: dict[tuple[str, int], tuple] = {}  # measure names, states: a few texts, many rows

    def fixed_text(text: str, style: Style) -> tuple:
        made = fixed.get((text, id(style)))
        if made is None:
            made = fixed[text, id(style)] = text_entry(ws, text, style)
        return made

    row = 4

    def line(what: str, status: str, text: str, where: Optional[str]) -> None:
        nonlocal row
        state = states.get(status)
        if state is None:
            state = states[status] = body.but(align=CENTER, fill=STATUS_FILLS.get(status))
        put_row(ws, row, {1: fixed_text(what, body), 2: fixed_text(status, state)})
        shown = put(ws, row, 3, text, body, cleaner, where).value
        n = lines(shown, col_px(widths[3]), 12)
        known = short_lines.get(what)  # the same few names on thousands of rows
        if known is None:
            known = short_lines[what] = lines(what, col_px(widths[1]), 12)
        set_height(ws, row, height(max(n, known), 12))
        row += 1

    by_unit = measures_by_unit(picture)
    subs = {s.unit.id: s for s in picture.submissions}
    for unit in picture.units:
        merge(ws, row, 1, row, 3, unit.name, section, cleaner)
        set_height(ws, row, 22)
        row += 1
        report = picture.figures[unit.id].report
        if report is None:
            s = subs[unit.id]
            why = [w for w, on in ((NOT_DUE, s.state == NOT_DUE), (f"{DRAFT}未计入", s.draft)) if on]
            text = "本月未报送" + (f"（{'，'.join(why)}）" if why else "") + "。"
            if s.carried_from:
                text += (
                    f"统计中沿用其{short_month(s.carried_from)}报告的状态和累计数（{carried_words(s.carried_from)}）。"
                )
            elif s.never:
                text += f"本年度{NO_REPORT}。"
            if s.excluded:
                text += zh(f"{EXCLUDED}：{s.excluded.problem.location()}：{s.excluded.problem.message}")
            line("—", "未报", text, f"{unit.name} 报送情况")
            continue
        for p, state in by_unit.get(unit.id, []):
            entry = report.measures.get(p.measure.number)
            text = (zh(entry.progress) if entry.progress.strip() else "（未填写）") if entry else "（本月报告未含此项）"
            line(
                f"{p.measure.number}. {p.measure.short_title}",
                state.status,
                text,
                f"{unit.name} 措施{p.measure.number}　进展情况",
            )
        line("存在问题", "", zh(report.problems or "（未填写）"), f"{unit.name} 存在问题")
        line("下步打算", "", zh(report.next_steps or "（未填写）"), f"{unit.name} 下步打算")
    set_print_area(ws, 3)


def cases(ws, campaign: "Campaign", picture: MonthPicture, cleaner: Cleaner) -> None:
    """典型执法案例: the cases sent with the measures that collect them (措施 7), one row each."""
    with_cases = [m for m in campaign.measures.values() if "typical_cases" in m.indicator_map]
    header = ("序号", "单位", "措施", "案例标题", "企业名称", "执法单位", "案情简介", "处罚依据", "罚款金额\n（万元）")
    widths = {
        1: 5.0,
        2: max(text_width(u.name, 12) for u in picture.units),
        3: 6.0,
        4: 24.0,
        5: 22.0,
        6: 18.0,
        7: 52.0,
        8: 30.0,
        9: 11.0,
    }
    set_widths(ws, widths)
    numbers = "、".join(str(m.number) for m in with_cases)
    sheet_title(
        ws,
        len(header),
        campaign.info.table_title,
        f"典型执法案例（{month_words(picture.month)}报送{f'，措施{numbers}' if numbers else ''}）",
        cleaner,
    )
    for col, text in enumerate(header, 1):
        put(ws, 3, col, text, HEADER)
    set_height(ws, 3, height(2, 10.5))
    body = Style(font=TEXT, align=LEFT_TOP)
    centred = body.but(align=CENTER_TOP)
    amount = body.but(font=NUM, align=RIGHT_TOP, fmt=AMOUNT_FMT)
    row = 4
    for unit in picture.units:
        report = picture.figures[unit.id].report
        for measure in with_cases:
            entry = report.measures.get(measure.number) if report else None
            for case in entry.cases if entry else []:
                where = f"{unit.name} 典型案例{row - 3}"
                values = (
                    row - 3,
                    unit.name,
                    measure.number,
                    zh(case.title),
                    zh(case.enterprise),
                    case.authority and zh(case.authority),
                    zh(case.summary),
                    case.basis and zh(case.basis),
                    case.fine,
                )
                shown = []
                for col, value in enumerate(values, 1):
                    style = centred if col in (1, 3) else amount if col == 9 else body
                    shown.append(put(ws, row, col, value, style, cleaner, where).value)
                n = max(lines(str(text or ""), col_px(widths[col]), 12) for col, text in enumerate(shown, 1))
                set_height(ws, row, height(n, 12))
                row += 1
    if row == 4:
        merge(ws, row, 1, row, len(header), "本月没有报送典型执法案例。", body)
    setup_print(ws, "1:3", freeze="A4")
    set_print_area(ws, len(header))


# --- 报送情况 ----------------------------------------------------------------------------------


def submissions(ws, campaign: "Campaign", picture: MonthPicture, cleaner: Cleaner) -> None:
    """The cities, numbered, with their 合计; the department in a row of its own below, out of the counts;
    then the files left out for an error."""
    header = [
        "序号",
        "单位",
        "应报日期",
        "报送日期",
        "报送情况",
        "迟报天数",
        "数据",
        "A 角",
        "A 角电话",
        "B 角",
        "B 角电话",
    ]
    widths = {
        1: 5.0,
        2: max(text_width(u.name, 10.5) for u in picture.units),
        3: 12.0,
        4: 12.0,
        5: max([10.0] + [text_width(s.text, 10.5) + 1 for s in picture.submissions]),  # 未到报送日（报告有误）
        6: 9.0,
        7: 14.0,
        8: 10.0,
        9: 15.0,
        10: 10.0,
        11: 15.0,
    }
    set_widths(ws, widths)
    sheet_title(
        ws, len(header), campaign.info.table_title, "各单位报送情况" + period_line(picture, submissions=True), cleaner
    )
    for col, text in enumerate(header, 1):
        put(ws, 3, col, text, HEADER)
    set_height(ws, 3, 22)
    date = CELL.but(fmt="yyyy-mm-dd")

    def unit_row(row: int, number, s) -> None:
        contacts = s.contacts or {}
        a, b = contacts.get("a") or {}, contacts.get("b") or {}
        data = carried_words(s.carried_from) if s.carried_from else NO_REPORT if s.never else "本月报告"
        values = [
            (number, CELL),
            (s.unit.name, CELL.but(align=LEFT)),
            (s.due, date),
            (s.submitted, date),
            (s.text, CELL.but(fill=SUBMISSION_FILLS.get(s.state))),
            (s.days_late or None, CELL),
            (data, CELL.but(fill=CARRIED, font=CARRIED_FONT) if s.carried_from else CELL),
            (a.get("name"), CELL),
            (a.get("phone"), CELL),
            (b.get("name"), CELL),
            (b.get("phone"), CELL),
        ]
        for col, (value, style) in enumerate(values, 1):
            put(ws, row, col, value, style, cleaner, f"{s.unit.name} 联系人")
        set_height(ws, row, 20)

    cities = picture.city_submissions
    for i, s in enumerate(cities):
        unit_row(4 + i, i + 1, s)
    row = 4 + len(cities)
    counts = picture.submission_counts()
    summary = f"合计（{picture.rows_word}{len(cities)}个）：" + "，".join(f"{k}{v}个" for k, v in counts.items() if v)
    merge(ws, row, 1, row, len(header), summary, CELL.but(font=BOLD, align=LEFT))
    set_height(ws, row, 22)
    for s in picture.submissions:
        if s.department:
            row += 1
            unit_row(row, DEPARTMENT, s)
    notes = [
        f"合计只计{picture.rows_word}；{DEPARTMENT}单列，不计入合计。“数据”栏：本月未报的单位沿用其最近一次报告（浅蓝底）。",
        "联系人取自该单位最近一次报告；未报单位的联系人取自以前月份的报告。",
    ]
    notes += [
        zh(
            f"{EXCLUDED}：{campaign.unit_by_id[e.unit_id].name if e.unit_id else '单位不明'} "
            f"{e.problem.location()}：{e.problem.code} {e.problem.message}"
        )
        for e in picture.excluded
    ]
    for note in notes:
        row += 1
        style = PLAIN.but(font=WARN if note.startswith(EXCLUDED) else NOTE)
        merge(ws, row, 1, row, len(header), note, style, cleaner)
        set_height(ws, row, height(lines(note, span_px(ws, 1, len(header)), 10.5), 10.5))
    setup_print(ws, "1:3", freeze="A4")
    set_print_area(ws, len(header))


# --- 图表 --------------------------------------------------------------------------------------


def charts(ws, campaign: "Campaign", picture: MonthPicture, cleaner: Cleaner) -> None:
    set_widths(ws, {1: 30.0, 2: 10.0, 3: 10.0, 4: 12.0, 5: 10.0, 6: 2.0})
    sheet_title(ws, 16, campaign.info.table_title, "进展情况图表" + period_line(picture), cleaner)
    pct = CELL.but(fmt=PERCENT_FMT, align=NUMBER, font=NUM)

    # 1. each unit's share of the measures it reports that are done
    done = unit_completion(picture)
    top = 4
    merge(ws, top - 1, 1, top - 1, 4, "各单位措施完成情况", PLAIN.but(font=HEAD_BIG))
    set_height(ws, top - 1, 24)
    for col, text in enumerate(("单位", "承担措施数", "已完成", "完成比例"), 1):
        put(ws, top, col, text, HEADER)
    for i, unit in enumerate(picture.units, 1):
        finished, applicable = done.get(unit.id, (0, 0))
        put(ws, top + i, 1, unit.name, CELL.but(align=LEFT), cleaner)
        put(ws, top + i, 2, applicable, CELL.but(align=NUMBER, font=NUM))
        put(ws, top + i, 3, finished, CELL.but(align=NUMBER, font=NUM))
        put(ws, top + i, 4, finished / applicable if applicable else None, pct)
    end = top + len(picture.units)
    merge(ws, end + 1, 1, end + 1, 4, "已完成：截至本月最近一次报告为“已完成”的措施。", PLAIN.but(font=NOTE))
    chart = _bar("各单位措施完成比例", "0%")
    chart.add_data(Reference(ws, min_col=4, min_row=top, max_row=end), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=end))
    chart.y_axis.scaling.max = 1
    chart.legend = None
    ws.add_chart(chart, f"G{top}")

    # 2. indicators with a target: share of the target reached against the share of time elapsed
    top = max(end + 3, top + 21)
    ws.row_breaks.append(Break(id=top - 2))  # each table with its chart on a page of its own
    merge(ws, top - 1, 1, top - 1, 5, "有目标的指标", PLAIN.but(font=HEAD_BIG))
    for col, text in enumerate(("指标", "目标", "累计完成", "完成目标比例", "序时进度"), 1):
        put(ws, top, col, text, HEADER)
    row = top
    for p in picture.measures:
        for t in p.indicators:
            ind = t.indicator
            if ind.target is None:
                continue
            row += 1
            rate = ind.kind == "rate"
            fmt = "0.0%" if rate else f'#,##0"{ind.unit}"'
            put(ws, row, 1, f"{p.measure.number}. {ind.name}", CELL.but(align=LEFT), cleaner)
            put(ws, row, 2, ind.target / 100 if rate else ind.target, CELL.but(fmt=fmt, align=NUMBER, font=NUM))
            value = None if t.value is None else (float(t.value) / 100 if rate else number(t.value))
            put(ws, row, 3, "/" if value is None else value, CELL.but(fmt=fmt, align=NUMBER, font=NUM))
            put(ws, row, 4, t.achieved_share, pct)
            put(ws, row, 5, p.time_share, pct)
    if row > top:
        merge(
            ws,
            row + 1,
            1,
            row + 1,
            5,
            "序时进度：自通知印发之日至完成时限，已过去的时间所占比例。",
            PLAIN.but(font=NOTE),
        )
        chart = _bar("有目标的指标：完成目标比例与序时进度", "0%")
        chart.add_data(Reference(ws, min_col=4, max_col=5, min_row=top, max_row=row), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=row))
        chart.legend.position = "b"
        ws.add_chart(chart, f"G{top}")
    for r in range(4, row + 2):
        set_height(ws, r, 20)
    set_height(ws, top - 1, 24)
    setup_print(ws, "1:2")


def _bar(title: str, fmt: str) -> BarChart:
    chart = BarChart()
    chart.type = "bar"  # horizontal: long Chinese names read on the category axis
    chart.title = title
    chart.style = 10
    chart.width, chart.height = 17, 9.5
    chart.x_axis.scaling.orientation = "maxMin"  # first unit at the top, as in the tables
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.crosses = "max"  # value axis at the bottom despite the reversed categories
    chart.y_axis.number_format = fmt
    chart.y_axis.scaling.min = 0
    chart.y_axis.majorGridlines = None
    chart.dataLabels = DataLabelList(
        showVal=True, showCatName=False, showSerName=False, showLegendKey=False, showPercent=False, showBubbleSize=False
    )
    chart.dataLabels.numFmt = fmt
    chart.gapWidth = 60
    return chart
