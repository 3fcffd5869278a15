"""Rules that need more than one value or more than one file.

Each check is a small function returning a list of Problems; nothing is raised
or printed.  Codes are listed in problems.CODES (and in the README).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter, defaultdict
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

from yejin.campaign import counties as registry
from yejin.campaign import wording as terms
from yejin.campaign.campaign import Campaign, unit_names
from yejin.checking import hints
from yejin.problems import Problem
from yejin.reading.yaml_loader import Document
from yejin.words import DONE, NOT_STARTED, YES_NO, YES_NO_HINT, date_words, month_words, zh

if TYPE_CHECKING:  # annotations only
    from yejin.campaign.models import MeasureReport
    from yejin.checking.dataset import LoadedEvent, LoadedReport


def _at(
    doc: Document,
    key: tuple,
    code: str,
    message: str,
    hint: str = "",
    prefer_key: bool = False,
    related: tuple[str, ...] = (),
    level: str = "error",
) -> Problem:
    line, col = doc.position(key, prefer_key=prefer_key)
    return Problem(doc.path, line, col, code, message, hint, level, related=related)


def _in_place(path: str, unit_id: str | None, depth: int = 1) -> bool:
    """Whether a file stands in its unit's folder (reports/<unit>/…; depth 2 for events/)."""
    parents = Path(path).parents
    return len(parents) >= depth and parents[depth - 1].name == unit_id


def _unknown_unit(campaign: Campaign, doc: Document, name) -> Problem:
    guess = campaign.dormant_county(name) or hints.unit_hint(
        name, {n: campaign.unit_by_id[i].name for n, i in campaign.names.items()}
    )
    known = "、".join(u.short_name or u.name for u in campaign.units)
    return _at(
        doc,
        ("unit",),
        "Y109",
        f"单位“{name}”无法识别",
        guess
        + f"可以写正式名称、简称、英文标识或行政区划代码，例如 太原市 / 太原 / taiyuan / 140100。已知单位：{known}",
    )


# --- tasks.yaml -------------------------------------------------------------------------------


def check_tasks(campaign: Campaign, doc: Document) -> list[Problem]:
    problems: list[Problem] = []
    spec = campaign.spec
    seen_names: dict[str, str] = {}
    ids = {u.id for u in spec.units}
    for i, unit in enumerate(spec.units):
        for name in unit_names(unit):
            other = seen_names.setdefault(name, unit.id)
            if other != unit.id:
                problems.append(_at(doc, ("units", i), "Y210", f"单位名称或代码“{name}”与{other}重复"))
        if unit.parent is not None and unit.parent not in ids:
            problems.append(_at(doc, ("units", i, "parent"), "Y210", f"上级单位“{unit.parent}”不存在"))
        if unit.parent == unit.id:
            problems.append(_at(doc, ("units", i, "parent"), "Y210", "单位不能是自己的上级"))
        problems += _check_counties(doc, i, unit)
    totals = {ind.key: ind for ind in spec.totals}
    task_numbers = Counter(t.number for t in spec.tasks)
    measure_numbers = Counter(m.number for t in spec.tasks for m in t.measures)
    for ti, task in enumerate(spec.tasks):
        if task_numbers[task.number] > 1:
            problems.append(_at(doc, ("tasks", ti, "number"), "Y210", f"任务序号{task.number}重复"))
        for mi, measure in enumerate(task.measures):
            where = ("tasks", ti, "measures", mi)
            if measure_numbers[measure.number] > 1:
                problems.append(_at(doc, where + ("number",), "Y210", f"措施序号{measure.number}重复"))
            problems += _check_indicator_list(
                doc, where + ("indicators",), measure.indicators, f"措施{measure.number}", totals
            )
    problems += _check_indicator_list(doc, ("enforcement",), spec.enforcement, "执法情况（enforcement）", totals)
    problems += _check_indicator_list(doc, ("totals",), spec.totals, "全省合计（totals）", {})
    for ii, ind in enumerate(spec.totals):
        if ind.kind != "count" and ind.kind != "amount":
            problems.append(_at(doc, ("totals", ii, "kind"), "Y210", f"全省合计指标 {ind.key} 只能是 count 或 amount"))
    return problems


def _check_indicator_list(doc: Document, where: tuple, indicators: list, owner: str, totals: dict) -> list[Problem]:
    """Keys unique within the list; a rate's parts in the list and not rates; adds_to names a total."""
    problems: list[Problem] = []
    keys = Counter(ind.key for ind in indicators)
    by_key = {ind.key: ind for ind in indicators}
    for ii, ind in enumerate(indicators):
        at = where + (ii,)
        if keys[ind.key] > 1:
            problems.append(_at(doc, at + ("key",), "Y210", f"指标键 {ind.key} 在{owner}中重复"))
        for part in (ind.numerator, ind.denominator):
            if part is None or (part == registry.KEY_COUNTIES and part == ind.denominator):
                continue
            other = by_key.get(part)
            if other is None or other.kind == "rate":
                problems.append(_at(doc, at, "Y210", f"比率 {ind.key} 引用的指标 {part} 不存在或本身是比率"))
        if ind.adds_to is not None:
            total = totals.get(ind.adds_to)
            if total is None:
                known = "、".join(totals) or "无"
                problems.append(
                    _at(
                        doc,
                        at + ("adds_to",),
                        "Y210",
                        f"adds_to 指向的全省合计指标 {ind.adds_to} 不存在（totals 中有：{known}）",
                    )
                )
            elif total.unit != ind.unit or ind.kind not in ("count", "amount"):
                problems.append(
                    _at(
                        doc,
                        at + ("adds_to",),
                        "Y210",
                        f"{ind.key} 计入 {ind.adds_to}：两者须是同一计量单位的计数或金额",
                    )
                )
    return problems


def _check_counties(doc: Document, i: int, unit) -> list[Problem]:
    """Counties come from the registry through their city's `counties:`; every name there must be one of its counties."""
    if unit.level == registry.LEVEL:
        return [
            _at(
                doc,
                ("units", i, "level"),
                "Y210",
                f"县（区）不在 units 中逐个列出（{unit.name}）",
                "在所属设区市下写 counties: {report: true}，该市全部县（区）即单独报送（名单随 yejin 提供）",
            )
        ]
    if unit.counties is None:
        return []
    mine = registry.of_city(unit)
    if unit.level != "市" or not mine:
        return [_at(doc, ("units", i, "counties"), "Y210", f"{unit.name}不是山西省的设区市，没有县（区）可列")]
    out = []
    names = "、".join(d.name for d in mine)
    for field, listed in (("key", unit.counties.key), ("owners", list(unit.counties.owners))):
        for j, name in enumerate(listed):
            if registry.find(mine, name) is None:
                at = ("units", i, "counties", field, j if field == "key" else name)
                out.append(
                    _at(doc, at, "Y210", f"“{name}”不是{unit.name}的县（区）", f"{unit.name}的县（区）：{names}")
                )
    return out


# --- reports ----------------------------------------------------------------------------------


def check_reports(
    campaign: Campaign, reports: list[LoadedReport], reports_dir: Path, today: dt.date | None = None
) -> list[Problem]:
    problems: list[Problem] = []
    for loaded in reports:
        problems += check_one_report(campaign, loaded, reports_dir, today or dt.date.today())
    problems += check_duplicates(reports)
    problems += check_cumulative(campaign, reports)
    return problems


def check_one_report(campaign: Campaign, loaded: LoadedReport, reports_dir: Path, today: dt.date) -> list[Problem]:
    doc, report = loaded.doc, loaded.report
    problems: list[Problem] = []
    unit = campaign.resolve_unit(report.unit)
    if unit is None:
        problems.append(_unknown_unit(campaign, doc, report.unit))
        return problems
    loaded.unit_id = unit.id
    folder = Path(doc.path).parent.name
    stem = Path(doc.path).stem
    if folder != unit.id:
        problems.append(
            _at(
                doc,
                ("unit",),
                "Y202",
                zh(f"文件在 {folder}/ 文件夹里，但填写的单位是{unit.name}（{unit.id}）"),
                f"请把文件移到 reports/{unit.id}/，或改正单位",
            )
        )
    if stem != report.month:
        problems.append(
            _at(
                doc,
                ("month",),
                "Y202",
                f"文件名是{stem}.yaml，但填写的月份是{report.month}",
                f"请把文件改名为{report.month}.yaml，或改正月份",
            )
        )
    outside = campaign.month_problem(report.month)
    if outside:
        problems.append(_at(doc, ("month",), "Y209", outside))
    if report.submitted is not None and report.submitted > today:  # None: dropped (PartialReport)
        problems.append(
            _at(
                doc,
                ("submitted",),
                "Y213",
                f"报送日期{report.submitted}晚于今天（{date_words(today)}）",
                "报送日期写实际报送的日子；请检查年份和月份是否写错",
            )
        )
    if report.submitted is not None and report.submitted < terms.month_start(report.month):
        problems.append(
            _at(
                doc,
                ("submitted",),
                "Y206",
                f"报送日期{report.submitted}早于所报月份{report.month}的第一天",
                "报送日期写实际报送的日子，月份写所报告的月份",
            )
        )
    for number, entry in report.measures.items():
        problems += _check_measure_entry(campaign, doc, unit, number, entry)
    problems += _check_figures(
        doc, ("enforcement",), campaign.enforcement_map, report.enforcement, "执法情况", _measure_keys(campaign)
    )
    problems += check_complete(campaign, loaded, unit)
    return problems


def _measure_keys(campaign: Campaign) -> dict:
    return {i.key: i for m in campaign.measures.values() for i in m.indicators}


DRAFT_HINT = "填写完毕、核对累计数后删去 draft: true 这一行"
CONTACT_HINT = "请填写信息报送人的姓名和电话（写在英文双引号里）"


def check_complete(campaign: Campaign, loaded: LoadedReport, unit) -> list[Problem]:
    """Y214–Y216: every measure the unit reports is in its report, with progress once work has begun.

    In a draft (`draft: true`, as new-report writes it) each gap is a reminder instead (Y218 未填写,
    with its line), and so is every blank contact; the draft itself is not counted (Y218).
    A report that failed its model (PartialReport) lacks the values dropped for their errors: a gap
    counts only where the file itself has it, so no error is reported twice."""
    from yejin.campaign.models import PartialReport

    doc, report = loaded.doc, loaded.report
    out: list[Problem] = []
    raw = doc.data if isinstance(report, PartialReport) and isinstance(doc.data, dict) else {}
    raw_measures = raw.get("measures") if isinstance(raw.get("measures"), dict) else {}
    # a measure entry dropped for its error (a key typed ５, say): which measure it meant is unknown
    dropped = any(k not in report.measures for k in raw_measures)

    def gap(key: tuple, code: str, message: str, hint: str, prefer_key: bool = False) -> None:
        if report.draft:
            out.append(_at(doc, key, "Y218", f"草稿中未填写：{message}", hint, prefer_key, level="warning"))
        else:
            out.append(_at(doc, key, code, message, hint, prefer_key))

    if report.draft:
        out.append(_at(doc, ("draft",), "Y218", "这是草稿（draft: true），不计入汇总", DRAFT_HINT, level="warning"))
    due = campaign.applicable_measures(unit)
    numbers = "、".join(str(m.number) for m in due)
    if not report.measures and not raw_measures:
        gap(
            ("measures",),
            "Y214",
            "月报没有填写各项措施（measures）",
            f"月报要列出本单位负责的每一条措施（{unit.name}：措施{numbers}）；yejin new-report 生成的月报已全部列出",
            prefer_key=True,
        )
    elif not dropped and (missing := [m for m in due if m.number not in report.measures]):
        gap(
            ("measures",),
            "Y215",
            "缺少本单位应报送的措施" + "、".join(f"{m.number}（{m.short_title}）" for m in missing),
            f"尚未开展的措施也要列出，状态写“{NOT_STARTED}”（{unit.name}应报送措施{numbers}）",
            prefer_key=True,
        )
    for number, entry in report.measures.items():
        raw_entry = raw_measures.get(number)
        lost = isinstance(raw_entry, dict) and "progress" in raw_entry and "progress" not in entry.model_fields_set
        if entry.status != NOT_STARTED and not entry.progress.strip() and not lost:  # (lost: dropped, its error said)
            gap(
                ("measures", number, "progress") if "progress" in entry.model_fields_set else ("measures", number),
                "Y216",
                f"措施{number}的状态是“{entry.status}”，进展情况为空",
                f"写明本月做了什么、累计完成多少；尚未开展的措施状态写“{NOT_STARTED}”",
                prefer_key=True,
            )
    if report.draft and report.contacts is not None:
        for role, person in (("a", report.contacts.a), ("b", report.contacts.b)):
            for field_, what in (("name", "姓名"), ("phone", "电话")):
                if not getattr(person, field_).strip():
                    gap(("contacts", role, field_), "Y110", f"{role.upper()} 角{what}", CONTACT_HINT)
    return out


def _check_measure_entry(campaign, doc, unit, number: int, entry: MeasureReport) -> list[Problem]:
    where = ("measures", number)
    measure = campaign.measures.get(number)
    if measure is None:
        return [
            _at(doc, where, "Y203", f"措施{number}不存在", f"措施序号为1–{max(campaign.measures)}", prefer_key=True)
        ]
    if not campaign.applies(unit, measure):
        return [
            _at(
                doc,
                where,
                "Y204",
                f"措施{number}（{measure.short_title}）的责任单位是“{measure.responsible}”，{unit.name}不报送此项",
                "请删去这一项",
                prefer_key=True,
            )
        ]
    known = measure.indicator_map
    problems = _check_figures(
        doc, where + ("indicators",), known, entry.indicators, f"措施{number}", campaign.enforcement_map
    )
    for ind in measure.indicators:
        if ind.kind != "rate" or ind.numerator not in known:  # a broken tasks.yaml is told of on its own (Y210)
            continue
        num, den = entry.indicators.get(ind.numerator), entry.indicators.get(ind.denominator)
        hint = ""
        if ind.denominator == registry.KEY_COUNTIES:  # no report gives it: the 重点县区 tasks.yaml lists for the city
            key = campaign.key_counties(unit)
            den = len(key) if key else None
            names = known[ind.numerator].name, f"本市列出的{registry.KEY_COUNTIES_NAME}"
            hint = f"本市的重点县区（tasks.yaml 中 counties.key）：{'、'.join(d.name for d in key)}" if key else ""
        elif ind.denominator in known:
            names = known[ind.numerator].name, known[ind.denominator].name
        else:
            continue
        if isinstance(num, (int, float)) and isinstance(den, (int, float)) and num > den:
            problems.append(
                _at(
                    doc,
                    where + ("indicators", ind.numerator),
                    "Y208",
                    f"{names[0]}{num}大于{names[1]}{den}（{ind.name}不能超过100%）",
                    hint,
                )
            )
    if entry.cases and "typical_cases" not in known:
        problems.append(_at(doc, where + ("cases",), "Y205", f"措施{number}不报送典型案例", prefer_key=True))
    return problems


def _check_figures(
    doc: Document, where: tuple, known: dict, values: dict, owner: str, elsewhere: dict
) -> list[Problem]:
    """The figures of one measure (or of the report's enforcement block) against their indicators:
    known keys (Y205), no rates (computed), whole counts, 是/否 for a yes/no indicator and only there (Y103).
    `elsewhere`: the indicators that belong to the other place (执法情况 vs a measure), named in the hint."""
    problems: list[Problem] = []
    for key, value in values.items():
        at = where + (key,)
        ind = known.get(key)
        if ind is None:
            near = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
            if key in elsewhere:
                hint = (
                    f"{elsewhere[key].name}（{key}）填在月报的 enforcement（执法情况）下，每份月报只填一次，不分措施"
                    if where[0] == "measures"
                    else f"{key} 是措施的指标，填在 measures 下对应的措施里"
                )
            else:
                hint = (f"是否为 {near[0]}？" if near else "") + (
                    f"{owner}的指标：{'、'.join(k for k, i in known.items() if i.kind != 'rate')}"
                    if known
                    else f"{owner}没有统计指标，只报状态和进展"
                )
            problems.append(_at(doc, at, "Y205", f"指标 {key} 不属于{owner}", hint, prefer_key=True))
        elif ind.kind == "rate":
            problems.append(
                _at(
                    doc,
                    at,
                    "Y205",
                    f"{ind.name}（{key}）由 yejin 根据 {ind.numerator}/{ind.denominator} 计算，不要填写",
                    "请删去这一行",
                    prefer_key=True,
                )
            )
        elif ind.kind == "yesno" and value not in YES_NO:
            problems.append(_at(doc, at, "Y103", f"{ind.name}是“是否”类指标，不填数字，实际是{value}", YES_NO_HINT))
        elif ind.kind != "yesno" and isinstance(value, str):
            problems.append(
                _at(doc, at, "Y103", f"{ind.name}（{ind.unit}）应为数字，实际是“{value}”", "请填写截至当月底的累计数")
            )
        elif ind.kind == "count" and not isinstance(value, int):
            problems.append(_at(doc, at, "Y103", f"{ind.name}（{ind.unit}）应为整数，实际是{value}"))
    return problems


def check_duplicates(reports: list[LoadedReport]) -> list[Problem]:
    """One report per unit and month.  The one in the unit's own folder counts first: a copy someone put
    in another folder (which is Y202 there) is the duplicate, never the unit's own report."""
    problems: list[Problem] = []
    first: dict[tuple[str, str], LoadedReport] = {}
    for loaded in sorted(reports, key=lambda r: not _in_place(r.path, r.unit_id)):  # stable: else path order
        if loaded.unit_id is None:
            continue
        key = (loaded.unit_id, loaded.month)
        if key in first:
            problems.append(
                _at(
                    loaded.doc,
                    ("unit",),
                    "Y201",
                    f"{month_words(loaded.month)}已有该单位的报告：{first[key].path}",
                    "每个单位每月只报一份；请合并后删去其中一份",
                    related=(first[key].path,),
                )
            )
        else:
            first[key] = loaded
    return problems


def check_cumulative(campaign: Campaign, reports: list[LoadedReport]) -> list[Problem]:
    """Year-to-date figures never go down from the unit's latest earlier report that has the figure (Y207),
    and a measure reported 已完成 going back to 推进中 or 未启动 is a reminder (Y217).  Drafts are left out,
    and so are reports outside the unit's own folder: a report of the unit put elsewhere (Y202) cannot make
    the unit's own reports wrong."""
    problems: list[Problem] = []
    by_unit: dict[tuple[str, str], list[LoadedReport]] = defaultdict(list)  # (unit, year) -> reports
    for loaded in reports:
        if loaded.unit_id and _in_place(loaded.path, loaded.unit_id) and not loaded.report.draft:
            by_unit[loaded.unit_id, loaded.month[:4]].append(loaded)
    for series in by_unit.values():
        series.sort(key=lambda r: r.month)
        figures: dict[tuple, tuple[int | float, LoadedReport]] = {}  # path -> the latest earlier figure, its report
        states: dict[int, tuple[str, LoadedReport]] = {}  # the latest earlier status, its report
        for _, same_month in groupby(series, key=lambda r: r.month):
            new_figures: dict[tuple, tuple[int | float, LoadedReport]] = {}
            new_states: dict[int, tuple[str, LoadedReport]] = {}
            for after in same_month:  # (two reports of one month are Y201; each is compared with earlier months)
                blocks = [(("measures", n, "indicators"), e.indicators) for n, e in after.report.measures.items()]
                for where, values in blocks + [(("enforcement",), after.report.enforcement)]:
                    for key, value in values.items():
                        if not isinstance(value, (int, float)):  # 是/否 has no cumulative order
                            continue
                        previous, source = figures.get(where + (key,), (None, None))
                        if previous is not None and value < previous:
                            problems.append(
                                _at(
                                    after.doc,
                                    where + (key,),
                                    "Y207",
                                    f"累计数{value}比{month_words(source.month)}报送的{previous}少",
                                    "指标填写截至当月底的全年累计数，不应减少；如上月报错，请同时改正上月的报告",
                                    related=(source.doc.path,),
                                )
                            )
                        new_figures[where + (key,)] = (value, after)
                for number, entry in after.report.measures.items():
                    before, source = states.get(number, (None, None))
                    if before == DONE and entry.status != DONE:
                        problems.append(
                            _at(
                                after.doc,
                                ("measures", number, "status"),
                                "Y217",
                                f"措施{number}在{month_words(source.month)}的报告中已完成，本月为“{entry.status}”",
                                "如确实退回，请在进展情况中说明原因；如是笔误，请改为“已完成”",
                                related=(source.doc.path,),
                                level="warning",
                            )
                        )
                    new_states[number] = (entry.status, after)
            figures.update(new_figures)
            states.update(new_states)
    return problems


# --- events (重要情况) --------------------------------------------------------------------------


def check_events(campaign: Campaign, events: list[LoadedEvent]) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[tuple, str] = {}

    def own_folder(loaded: LoadedEvent) -> bool:
        unit = campaign.resolve_unit(loaded.event.unit)
        return unit is not None and _in_place(loaded.doc.path, unit.id, depth=2)

    for loaded in sorted(events, key=lambda e: not own_folder(e)):  # the unit's own files first, as for reports
        doc, event = loaded.doc, loaded.event
        unit = campaign.resolve_unit(event.unit)
        if unit is None:
            problems.append(_unknown_unit(campaign, doc, event.unit))
            continue
        loaded.unit_id = unit.id
        unit_folder = Path(doc.path).parent.parent.name
        if unit_folder != unit.id:
            problems.append(
                _at(
                    doc,
                    ("unit",),
                    "Y202",
                    zh(f"文件在 {unit_folder}/events/ 里，但填写的单位是{unit.name}（{unit.id}）"),
                    f"请把文件移到 reports/{unit.id}/events/，或改正单位",
                )
            )
        if not Path(doc.path).name.startswith(event.date.isoformat()):
            problems.append(
                _at(
                    doc,
                    ("date",),
                    "Y202",
                    f"文件名应以日期{event.date.isoformat()}开头",
                    f"请改名为{event.date.isoformat()}-<英文短名>.yaml，或改正日期",
                )
            )
        outside = campaign.month_problem(event.date.strftime("%Y-%m"))
        if outside:
            problems.append(_at(doc, ("date",), "Y209", f"日期{event.date}：{outside}"))
        if event.draft:
            problems.append(
                _at(doc, ("draft",), "Y218", "这是草稿（draft: true），不计入汇总", DRAFT_HINT, level="warning")
            )
            blanks = [(("title",), "标题"), (("summary",), "情况摘要")] + [
                (("contacts", role, field_), f"{role.upper()} 角{what}")
                for role in ("a", "b")
                for field_, what in (("name", "姓名"), ("phone", "电话"))
            ]
            for key, what in blanks:
                value = event
                for part in key:
                    value = getattr(value, part, None)  # (None: dropped from an event that failed its model)
                if value is not None and not value.strip():
                    hint = CONTACT_HINT if key[0] == "contacts" else DRAFT_HINT
                    problems.append(_at(doc, key, "Y218", f"草稿中未填写：{what}", hint, level="warning"))
        for i, number in enumerate(event.measures):
            if number not in campaign.measures:
                problems.append(
                    _at(
                        doc,
                        loaded.measure_key(i),
                        "Y203",
                        f"措施{number}不存在",
                        f"措施序号为1–{max(campaign.measures)}",
                    )
                )
        if event.title is None:  # dropped: the title had an error of its own
            continue
        key = (unit.id, event.date, event.title.strip())
        if key in seen:
            problems.append(
                _at(
                    doc,
                    ("title",),
                    "Y212",
                    f"与{seen[key]}是同一单位同一天、标题相同的重要情况",
                    "同一情况只报一份；有新进展请在原文件中补充",
                    related=(seen[key],),
                )
            )
        else:
            seen[key] = doc.path
    return problems
