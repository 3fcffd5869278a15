"""`yejin workbook`: a unit's fill-in form (填报表) for a month, to fill in Excel or WPS.

One sheet 月报, pre-filled as `new-report` pre-fills a report (scaffold.draft_report: the statuses,
cumulative figures and contacts of the unit's latest report), with 上月累计 beside each figure;
drop-downs and checks while typing, Chinese prompts; protected without a password so only the
input cells can change.  Every input cell has a workbook-level defined name
(campaign/form_fields.py, the contract with `yejin import`); a hidden sheet records the campaign,
the form's version and layout, the unit and the month.  Saved like export: same data, same bytes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties

from yejin.campaign import form_fields as ff
from yejin.campaign import wording as terms
from yejin.campaign.counties import KEY_COUNTIES, KEY_COUNTIES_NAME
from yejin.campaign.rules import MAX_FIGURE
from yejin.outputs.files import write_atomic
from yejin.outputs.scaffold import draft_report, previous_report
from yejin.outputs.xlsx import (
    AMOUNT_FMT,
    BODY,
    CENTER,
    COUNT_FMT,
    HEAD,
    LEFT,
    LEFT_TOP,
    LIGHT,
    MARGIN_BOTTOM_INCH,
    MARGIN_LR_INCH,
    MARGIN_TOP_INCH,
    MUTED,
    NOTE,
    NUM,
    PAGE_FOOTER,
    Style,
    col_px,
    height,
    lines,
    merge,
    put,
    row_height,
    save,
    set_height,
    set_widths,
)
from yejin.words import NO, STATUSES, YES, YES_NO, month_words, short_month, zh

if TYPE_CHECKING:
    from yejin.campaign.campaign import Campaign
    from yejin.campaign.models import Measure, Unit
    from yejin.checking.dataset import Dataset
    from yejin.outputs.report_writer import ReportDraft

SHEET, META_SHEET = ff.SHEET, ff.META_SHEET

FORM_TITLE = Font(name="方正小标宋简体", size=16, charset=134)
FORM_SUBTITLE = Font(name="楷体_GB2312", size=12, charset=134)
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # light yellow: type here
WIDTHS = {1: 6, 2: 24, 3: 8, 4: 12, 5: 15, 6: 22}  # A–F; A4 portrait holds ~ 700 px
LAST = max(WIDTHS)
SCALE = 85  # per cent: columns A–F fit A4's width in LibreOffice (at 90 column F goes onto a page of its own)
PORTRAIT_PT_HIGH = (297 / 25.4 - MARGIN_TOP_INCH - MARGIN_BOTTOM_INCH) * 72  # A4 portrait, printable

LABEL = Style(font=HEAD, align=CENTER)
FIXED = Style(font=BODY, align=LEFT, fill=LIGHT)
INPUT_TEXT = Style(font=BODY, align=LEFT_TOP, fill=INPUT_FILL, fmt="@")  # "@": a phone keeps its 0
INPUT_LINE = Style(font=BODY, align=LEFT, fill=INPUT_FILL, fmt="@")
INPUT_STATUS = Style(font=BODY, align=CENTER, fill=INPUT_FILL)
INPUT_DATE = Style(font=NUM, align=CENTER, fill=INPUT_FILL, fmt="yyyy-mm-dd")
INPUT_COUNT = Style(font=NUM, align=CENTER, fill=INPUT_FILL, fmt=COUNT_FMT)
INPUT_AMOUNT = Style(font=NUM, align=CENTER, fill=INPUT_FILL, fmt=AMOUNT_FMT)
PREVIOUS = Style(font=NUM, align=CENTER, fill=LIGHT)
HINT = Style(font=MUTED, align=LEFT)
SECTION = Style(font=HEAD, align=LEFT, fill=LIGHT)
NOTICE = Style(font=Font(name="仿宋_GB2312", size=10, charset=134, color="595959"), align=LEFT)

INPUT_STYLES = {
    ff.DATE: INPUT_DATE,
    ff.LINE: INPUT_LINE,
    ff.PHONE: INPUT_LINE,
    ff.TEXT: INPUT_TEXT,
    ff.STATUS: INPUT_STATUS,
    ff.COUNT: INPUT_COUNT,
    ff.AMOUNT: INPUT_AMOUNT,
    ff.YESNO: INPUT_STATUS,
}
UNLOCKED = Protection(locked=False)
BODY_PT = 10.5


def default_name(unit: Unit, month: str) -> str:
    """太原-2022-07.xlsx"""
    return f"{unit.short_name or unit.name}-{month}.xlsx"


def form_time(month: str) -> dt.datetime:
    """The workbook's creation and modification time: the month's first day (same data, same bytes)."""
    return dt.datetime.combine(terms.month_start(month), dt.time())


def write_form(data: Dataset, unit: Unit, month: str, path: Path, force: bool = False) -> Path:
    """Build the form and write it atomically; FileExistsError when path exists and not force."""
    wb = build_form(data, unit, month)
    return write_atomic(path, lambda tmp: save(wb, tmp, form_time(month)), force=force)


def build_form(data: Dataset, unit: Unit, month: str, submitted: dt.date | None = None) -> Workbook:
    """The form for one unit and month, for xlsx.save().  submitted: a 报送日期 to pre-fill (blank otherwise:
    the import takes the day of import, as new-report does)."""
    campaign = data.campaign
    terms.parse_month(month)
    draft = draft_report(data, unit, month, submitted or dt.date.today())
    if submitted is None:
        draft.submitted = ""
    fields = ff.form_fields(campaign, unit)
    wb = Workbook()
    when = form_time(month)
    wb.properties.created = wb.properties.modified = when
    wb.properties.creator = "yejin"
    wb.properties.title = f"{unit.name}{month_words(month)}月报填报表"
    ws = wb.active
    ws.title = SHEET
    before = previous_report(data, unit.id, month)
    _Form(wb, ws, campaign, unit, month, draft, before.month if before else None).write()
    _meta(wb, campaign, unit, month, fields)
    return wb


@dataclass
class _Form:
    wb: Workbook
    ws: Any
    campaign: Campaign
    unit: Unit
    month: str
    draft: ReportDraft
    before: str | None  # the month of the unit's latest earlier report (the pre-filled figures'), if any
    row: int = 1
    blocks: list = field(default_factory=list)  # first row of each block kept on one page (a measure, the end)

    def write(self) -> None:
        ws, campaign = self.ws, self.campaign
        set_widths(ws, WIDTHS)
        self.banner(f"{campaign.info.name}月报填报表", Style(font=FORM_TITLE, align=CENTER, border=None), 30)
        self.banner(
            f"{self.unit.name}　{month_words(self.month)}（{campaign.info.document_number}）",
            Style(font=FORM_SUBTITLE, align=CENTER, border=None),
            22,
        )
        self.banner(
            "填写说明：只在浅黄色单元格中填写，其他单元格已锁定。指标填截至当月底的全年累计数（不是当月新增数），"
            "只填阿拉伯数字、不带单位，不少于上月累计；是否类从下拉列表中选“是”或“否”；比率由 yejin 计算，不必填写；状态从下拉列表中选择；"
            "电话写成“0351-6819551”或“13912345678”。填好后保存为 .xlsx 文件发回（不要改文件格式），"
            "由 yejin import 导入并校验。",
            Style(font=NOTE, align=LEFT, border=None),
        )
        self.head()
        self.enforcement()
        for measure in campaign.applicable_measures(self.unit):
            self.blocks.append(self.row)
            self.measure(measure)
        self.blocks.append(self.row)
        self.section("存在问题和下步打算")
        for f in ff.tail_fields():
            value = getattr(self.draft, f.loc[0]) or None
            self.text_row(f.label, f, value, 4)
        ws.protection.sheet = True  # no password: the department can unprotect (审阅 → 撤销工作表保护)
        ws.protection.formatRows = False  # a long progress text may need a taller row
        ws.protection.formatColumns = False
        print_setup(ws)
        self.page_breaks()
        ws.sheet_view.zoomScale = 100

    def page_breaks(self) -> None:
        """A break before each block that would run over the page's end (the form fits A4 width at 100%)."""
        room = PORTRAIT_PT_HIGH * 100 / SCALE * 0.96  # LibreOffice's and Excel's row heights differ a little
        edges = [*self.blocks, self.row]
        heights = {r: row_height(self.ws, r) or 15.0 for r in range(1, self.row)}
        used = sum(heights[r] for r in range(1, edges[0]))
        for first, end in zip(edges, edges[1:]):
            block = sum(heights[r] for r in range(first, end))
            if used + block > room and used > 0:
                self.ws.row_breaks.append(Break(id=first - 1))
                used = 0.0
            used += block

    # --- rows -------------------------------------------------------------------------------

    def banner(self, text: str, style: Style, points: float | None = None) -> None:
        merge(self.ws, self.row, 1, self.row, LAST, text, style)
        if points is None:
            width = sum(col_px(w) for w in WIDTHS.values())
            points = height(lines(text, width, style.font.size), style.font.size)
        set_height(self.ws, self.row, points)
        self.row += 1

    def section(self, text: str) -> None:
        merge(self.ws, self.row, 1, self.row, LAST, text, SECTION)
        set_height(self.ws, self.row, 20)
        self.row += 1

    def head(self) -> None:
        d = self.draft
        r = self.row
        merge(self.ws, r, 1, r, 2, "报送单位", LABEL)
        self.name("unit", merge(self.ws, r, 3, r, 4, self.unit.name, FIXED), r, 3)
        put(self.ws, r, 5, "月份", LABEL)
        self.name("month", put(self.ws, r, 6, self.month, FIXED), r, 6)
        r += 1
        merge(self.ws, r, 1, r, 2, "报送日期", LABEL)
        submitted = dt.date.fromisoformat(d.submitted) if d.submitted else None
        self.input(ff.head_fields()[2], r, 3, submitted, last_col=4)
        merge(self.ws, r, 5, r, 6, "写成2022-07-28；空着则按导入当天", HINT)
        fields = {f.name: f for f in ff.head_fields()}
        for role, who in (("a", "A 角"), ("b", "B 角")):
            r += 1
            person = d.contacts.get(role, {})
            merge(self.ws, r, 1, r, 2, f"信息报送{who}", LABEL)
            self.input(fields[f"contact_{role}_name"], r, 3, person.get("name") or None, last_col=4)
            put(self.ws, r, 5, "电话", LABEL)
            self.input(fields[f"contact_{role}_phone"], r, 6, person.get("phone") or None)
        for row in range(self.row, r + 1):
            set_height(self.ws, row, 22)
        self.row = r + 1

    def measure(self, measure: Measure) -> None:
        ws, n = self.ws, measure.number
        entry = self.draft.measures[n]
        fields = {f.name: f for f in ff.measure_fields(measure)}
        self.section(
            zh(
                f"措施{n}　{measure.short_title}　（完成时限：",
                str(measure.deadline),
                f"；责任单位：{measure.responsible}）",
            )
        )
        self.banner(zh("工作措施：", measure.text), NOTICE)
        if measure.note:
            self.banner(zh("说明：", measure.note), NOTICE)
        r = self.row
        merge(ws, r, 1, r, 2, "状态", LABEL)
        self.input(fields[f"m{n}_status"], r, 3, entry.status, last_col=4)
        merge(ws, r, 5, r, 6, f"{self.earlier()}状态：{entry.status}" if self.before else "从下拉列表中选择", HINT)
        set_height(ws, r, 22)
        self.row += 1
        self.text_row("进展情况", fields[f"m{n}_progress"], entry.progress or None, 4)
        self.indicators(measure.indicators, measure.indicator_map, fields, f"m{n}_", entry.indicators)
        if ff.has_cases(measure):
            self.cases(measure, fields)

    def enforcement(self) -> None:
        """执法情况: the campaign's enforcement figures, once per report (not per measure)."""
        campaign = self.campaign
        if not ff.entered(campaign.enforcement):
            return
        self.blocks.append(self.row)
        self.section("执法情况（全部措施合计，每月填一次；同一案件只计一次）")
        fields = {f.name: f for f in ff.enforcement_fields(campaign)}
        self.indicators(campaign.enforcement, campaign.enforcement_map, fields, "enf_", self.draft.enforcement)

    def indicators(self, indicators: list, by_key: dict, fields: dict, prefix: str, values: dict) -> None:
        """The indicator table: name, unit, the earlier figure (locked), this month's (input), a note;
        a rate says how yejin computes it."""
        ws = self.ws
        if ff.entered(indicators):
            r = self.row
            earlier = f"{self.earlier()}累计"
            for col, text in ((1, "指标"), (3, "单位"), (4, earlier), (5, "本月累计"), (6, "说明")):
                if col == 1:
                    merge(ws, r, 1, r, 2, text, LABEL)
                else:
                    put(ws, r, col, text, LABEL)
            set_height(ws, r, 20)
            self.row += 1
        for ind in indicators:
            r = self.row
            merge(ws, r, 1, r, 2, ind.name, Style(font=BODY, align=LEFT))
            yes_no = ind.kind == "yesno"
            put(ws, r, 3, f"{YES}/{NO}" if yes_no else ind.unit, Style(font=BODY))
            if ind.kind == "rate":
                den = self.denominator_name(ind, by_key)
                why = f"由 yejin 计算（{by_key[ind.numerator].name} ÷ {den}），不填写"
                if den is None:  # a rate over the city's 重点县区, and none listed for this unit
                    why = f"本单位未列出重点县区，不计算{ind.name}，不填写"
                merge(ws, r, 4, r, LAST, why, HINT)
            else:
                field = fields[f"{prefix}{ind.key}"]
                before = values.get(ind.key, NO if yes_no else 0)
                fmt = {"count": COUNT_FMT, "amount": AMOUNT_FMT}.get(ind.kind)
                put(ws, r, 4, before, PREVIOUS.but(fmt=fmt))
                self.input(field, r, 5, before, minimum=None if yes_no else before)
                if yes_no:
                    note = f"下拉选择“{YES}”或“{NO}”"
                else:
                    note = ("整数" if ind.kind == "count" else "可有小数") + f"，不少于{self.earlier()}累计"
                put(ws, r, 6, note, HINT)
            name_px = col_px(WIDTHS[1]) + col_px(WIDTHS[2])
            set_height(ws, r, max(20.0, height(lines(ind.name, name_px, BODY_PT), BODY_PT)))
            self.row += 1

    def cases(self, measure: Measure, fields: dict) -> None:
        n = measure.number
        self.section(f"措施{n}　典型案例（本月报送的；没有就空着）")
        entries = self.draft.measures[n].cases
        for k in range(1, ff.CASE_ROWS + 1):
            first = self.row
            case = entries[k - 1] if k <= len(entries) else {}
            for name, title, _kind, required in ff.case_fields():
                self.text_row(
                    title + ("" if required else "（选填）"),
                    fields[f"m{n}_case{k}_{name}"],
                    case.get(name),
                    3 if name == "summary" else 1,
                    label_col=2,
                )
            merge(self.ws, first, 1, self.row - 1, 1, f"案例{k}", LABEL)

    def text_row(self, label: str, field: ff.FormField, value: Any, n_lines: int, label_col: int = 1) -> None:
        r = self.row
        if label_col == 1:
            merge(self.ws, r, 1, r, 2, label, LABEL)
            first = 3
        else:
            put(self.ws, r, 2, label, LABEL)
            first = 3
        self.input(field, r, first, value, last_col=LAST)
        set_height(self.ws, r, max(20.0, height(n_lines, BODY_PT)))
        self.row += 1

    # --- cells ------------------------------------------------------------------------------

    def denominator_name(self, ind, by_key: dict) -> str | None:
        """A rate's denominator as the form explains it; key_counties is no indicator but the 重点县区
        tasks.yaml lists for the unit (重点县区数3个), None when it lists none (the province department)."""
        if ind.denominator != KEY_COUNTIES:
            return by_key[ind.denominator].name
        listed = len(self.campaign.key_counties(self.unit))
        return f"{KEY_COUNTIES_NAME}{listed}个" if listed else None

    def earlier(self) -> str:
        """上月, or the month of the latest earlier report when the unit skipped one: 5月."""
        if self.before is None or self.before == terms.previous_month(self.month):
            return "上月"
        return short_month(self.before)

    def input(self, field: ff.FormField, row: int, col: int, value: Any, last_col: int | None = None, minimum=0):
        """An unlocked input cell (merged to last_col), its defined name and its check while typing."""
        style = INPUT_STYLES[field.kind] if field.kind in INPUT_STYLES else INPUT_LINE
        if field.kind == ff.AMOUNT and not field.unit:  # a case's 罚款金额: no previous month
            minimum = 0
        if last_col and last_col > col:
            cell = merge(self.ws, row, col, row, last_col, value, style)
            for c in range(col, last_col + 1):
                self.ws.cell(row=row, column=c).protection = UNLOCKED
        else:
            cell = put(self.ws, row, col, value, style)
            cell.protection = UNLOCKED
        self.name(field.name, cell, row, col)
        check = validation(field, minimum, self.month, self.campaign)
        if check is not None:
            check.add(f"{get_column_letter(col)}{row}")
            self.ws.add_data_validation(check)

    def name(self, name: str, cell: Any, row: int, col: int) -> None:
        ref = f"'{SHEET}'!${get_column_letter(col)}${row}"
        self.wb.defined_names[name] = DefinedName(name, attr_text=ref)


def print_setup(ws: Any) -> None:
    """A4 portrait at a fixed scale (Excel keeps manual page breaks only then, not when fitting to pages),
    margins as the other outputs', page numbers."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)
    ws.page_setup.scale = SCALE
    ws.page_margins.left = ws.page_margins.right = MARGIN_LR_INCH
    ws.page_margins.top, ws.page_margins.bottom = MARGIN_TOP_INCH, MARGIN_BOTTOM_INCH
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = PAGE_FOOTER
    ws.oddFooter.center.size = 10
    ws.oddFooter.center.font = "宋体"


def _serial(day: dt.date) -> int:
    return (day - dt.date(1899, 12, 30)).days


def validation(field: ff.FormField, minimum: Any, month: str, campaign: Campaign) -> DataValidation | None:
    """What Excel and WPS check while typing, with Chinese prompts and error messages."""
    what = field.label
    if field.kind == ff.STATUS:
        check = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=False)
        prompt, error = "从下拉列表中选择", f"状态只能是 {'、'.join(STATUSES)} 之一，请从下拉列表中选择"
    elif field.kind == ff.YESNO:
        check = DataValidation(type="list", formula1='"' + ",".join(YES_NO) + '"', allow_blank=False)
        prompt, error = "从下拉列表中选择", f"只能填“{YES}”或“{NO}”，请从下拉列表中选择"
    elif field.kind in (ff.COUNT, ff.AMOUNT):
        whole = field.kind == ff.COUNT
        check = DataValidation(
            type="whole" if whole else "decimal", operator="between", formula1=str(minimum), formula2=str(MAX_FIGURE)
        )
        low = f"不少于上月累计{minimum}" if minimum else "不小于0"
        kind = "整数" if whole else "数字（可有小数）"
        unit = f"，单位{field.unit}" if field.unit else ""
        prompt = f"截至当月底的全年累计数{unit}；只填{kind}，不带单位" if field.unit else f"只填{kind}，不带单位"
        error = f"请填写{kind}，{low}，不带单位"
    elif field.kind == ff.DATE:
        first = terms.month_start(month)
        last = dt.date(campaign.info.year, 12, 31)
        check = DataValidation(
            type="date", operator="between", formula1=str(_serial(first)), formula2=str(_serial(last))
        )
        prompt = "实际报送的日子，写成2022-07-28"
        error = f"请填写{first.isoformat()}至{last.isoformat()}之间的日期，写成{first.isoformat()}"
    elif field.kind == ff.PHONE:
        check = DataValidation(type="textLength", operator="between", formula1="7", formula2="20")
        prompt, error = "固定电话写成0351-6819551，手机写成13912345678", "电话号码应为7至20位，如0351-6819551"
    elif field.kind == ff.TEXT and field.loc[-1] == "progress":
        check = DataValidation(allow_blank=True)
        prompt, error = "写明本月做了什么、累计完成多少（可换行：Alt+Enter）", ""
    else:
        return None
    check.showInputMessage = True
    check.promptTitle = what[:32]
    check.prompt = prompt[:255]
    if error:
        check.showErrorMessage = True
        check.errorStyle = "stop"
        check.errorTitle = "输入有误"
        check.error = error[:255]
    return check


def _meta(wb: Workbook, campaign: Campaign, unit: Unit, month: str, fields: list[ff.FormField]) -> None:
    ws = wb.create_sheet(META_SHEET)
    values = {
        "campaign": campaign.info.document_number,
        "template": ff.FORM_VERSION,
        "layout": ff.layout_digest(fields),
        "unit": unit.id,
        "month": month,
    }
    for r, key in enumerate(ff.META_KEYS, start=1):
        value = values[key]
        put(ws, r, 1, key, Style(border=None))
        put(ws, r, 2, value, Style(border=None))
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
