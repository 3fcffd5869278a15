"""Whole-program fuzzing: random valid data folders through every command, then one broken file.

A strategy builds a small data folder as city staff would fill it over a few months: a subset of
the units in data/tasks.yaml (太原 reporting 全市 figures: conftest.CITY_TASKS), 1–4 months of the campaign each, every measure the unit reports with a
random status, cumulative figures that grow (amounts in fen, parts of a rate never above the whole),
progress text with the characters that trip YAML and Excel (control characters other than line breaks
and tabs are refused: Y111).  Files are written with yejin's own report writer (as `new-report` does).

For a valid folder:
  * `validate` passes (a status going back from 已完成 is only a reminder);
  * `status --json` totals equal the sums over the files, computed here from yaml.safe_load by the
    统计口径 of README: each unit's latest figure up to the month (carried when older), 本月 = the
    month's figure − the unit's latest earlier one, rates from the parts of each unit's latest report
    that gives both; status counts from each unit's latest status;
  * the 合计 row of `export` equals the status totals (columns found through the header rows);
  * `new-report` for the following month writes a draft that passes `validate` and carries the contacts on.
Then one file is broken (a required key deleted, a count turned into text, a key duplicated,
a control character escaped into a text, GBK bytes, the file cut off mid-line): `validate` exits 1 with a
problem located in that file; `status`, `export`, `bulletin` and the rest still run on the other files and
name the broken one (报告有误，未计入), and with --strict they exit 1 without showing anything made from the data.

CI runs a few examples (the whole module stays well under a minute); for a deeper run:
    pytest tests/test_program_fuzz.py --hypothesis-profile=long
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml
from hypothesis import given, note
from hypothesis import strategies as st
from openpyxl import load_workbook

from conftest import CITY_TASKS, SHIPPED_DATA, assert_no_crash, run_cli
from hardening_helpers import budget
from yejin.campaign.counties import KEY_COUNTIES
from yejin.checking.dataset import load_tasks
from yejin.outputs.report_writer import MeasureDraft, ReportDraft, render_report
from yejin.words import NOT_STARTED, STATUSES

CAMPAIGN = load_tasks(CITY_TASKS.parent)[0]  # cities reporting 全市 figures (counties: tests/picture/test_rollup.py)
assert CAMPAIGN is not None
UNITS = CAMPAIGN.units
YEAR = CAMPAIGN.info.year

NAMES = ["张三", "李四", "王五", "赵六", "欧阳晓燕", "no", "Null"]
PHONES = ["0351-6819551", "0352-5550187", "13912345678", "13900031621", "0358-55501840"]
TEXTS = [
    "",
    "截至本月底，累计检查企业 12 家。",
    '完成"双随机"检查：发现问题 3 项',
    "=SUM(A1:A3)",
    "no",
    "10:30",
    "2022.10",
    "进展：\n一、已完成排查\n二、正在整改",
    "  前后有空格  ",
    "#不是注释",
    "- 列表样式",
    "“中文引号”",
    "第一行\n  缩进的第二行\n\n空行之后",
    "含\t制表符",
    "很长" * 20_000,
]


@dataclass
class Folder:
    """What was written: per file, the unit, month and the values (as the writer got them)."""

    root: Path
    files: dict[Path, tuple[str, str]] = field(default_factory=dict)  # path -> (unit id, month)

    def months(self) -> list[str]:
        return sorted({m for _, m in self.files.values()})


@st.composite
def unit_histories(draw, unit) -> list[ReportDraft]:
    """One unit's reports over 1–4 months of the campaign, in order, figures only ever growing."""
    first = int(CAMPAIGN.first_month[5:])
    months = sorted(draw(st.sets(st.integers(first, 12), min_size=1, max_size=4)))
    measures = CAMPAIGN.applicable_measures(unit)
    totals: dict[tuple[int, str], int] = {}  # cumulative, in the unit's smallest step (amounts in fen)
    contacts = {
        role: {"name": draw(st.sampled_from(NAMES)), "phone": draw(st.sampled_from(PHONES))} for role in ("a", "b")
    }
    drafts = []
    for month in months:
        entries: dict[int, MeasureDraft] = {}
        for measure in measures:  # every measure the unit reports (Y215)
            values: dict[str, int | float | str] = {}
            for ind in measure.indicators:
                if ind.kind == "rate":
                    continue
                if ind.kind == "yesno":  # an answer, free to change either way
                    values[ind.key] = draw(st.sampled_from(["是", "否"]))
                    continue
                key = (measure.number, ind.key)
                totals[key] = totals.get(key, 0) + draw(st.integers(0, 40 if ind.kind == "count" else 5000))
            for ind in measure.indicators:  # a rate's numerator never above its denominator
                if ind.kind == "rate":
                    num, den = (measure.number, ind.numerator), (measure.number, ind.denominator)
                    if ind.denominator == KEY_COUNTIES:  # the 重点县区 tasks.yaml lists for the city (none: 0)
                        totals[num] = min(totals[num], len(CAMPAIGN.key_counties(unit)))
                    else:
                        totals[num] = min(totals[num], totals[den])
            for ind in measure.indicators:
                if ind.kind not in ("rate", "yesno"):
                    raw = totals[(measure.number, ind.key)]
                    values[ind.key] = raw / 100 if ind.kind == "amount" else raw
            status = draw(st.sampled_from(STATUSES))
            texts = TEXTS if status == NOT_STARTED else [t for t in TEXTS if t.strip()]  # Y216
            entries[measure.number] = MeasureDraft(
                status=status, progress=draw(st.sampled_from(texts)), indicators=values
            )
        submitted = dt.date(YEAR, month, 1) + dt.timedelta(
            days=draw(st.integers(0, 40))
        )  # to the 10th of the next month
        drafts.append(
            ReportDraft(
                unit=unit,
                month=f"{YEAR}-{month:02d}",
                submitted=submitted.isoformat(),
                contacts=contacts,
                measures=entries,
                problems=draw(st.sampled_from(TEXTS)),
                next_steps=draw(st.sampled_from(TEXTS)),
            )
        )
        if draw(st.booleans()):  # people change
            contacts = {**contacts, "b": {"name": draw(st.sampled_from(NAMES)), "phone": draw(st.sampled_from(PHONES))}}
    return drafts


@st.composite
def data_folders(draw) -> list[ReportDraft]:
    units = draw(st.lists(st.sampled_from(UNITS), min_size=1, max_size=4, unique_by=lambda u: u.id))
    return [draft for unit in units for draft in draw(unit_histories(unit))]


@contextmanager
def written(drafts: list[ReportDraft]):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "data"
        (root / "reports").mkdir(parents=True)
        shutil.copy(CITY_TASKS, root / "tasks.yaml")
        shutil.copy(SHIPPED_DATA / "bulletin-template.md", root / "bulletin-template.md")
        folder = Folder(root)
        for draft in drafts:
            path = root / "reports" / draft.unit.id / f"{draft.month}.yaml"
            path.parent.mkdir(exist_ok=True)
            path.write_text(render_report(CAMPAIGN, draft), encoding="utf-8")
            folder.files[path] = (draft.unit.id, draft.month)
            back = yaml.safe_load(path.read_text(encoding="utf-8"))  # the writer keeps every text as given
            for number, entry in draft.measures.items():
                assert kept(back["measures"][number]["progress"], entry.progress), (number, entry.progress)
            assert kept(back["problems"], draft.problems) and kept(back["next_steps"], draft.next_steps)
        yield folder


def kept(read: str, written: str) -> bool:
    """Quoted text comes back exactly; a multi-line block (|) without the outer blank space, plus its newline."""
    return read == written or read == written.strip() + "\n"


def yejin(folder: Folder, *args: str):
    result = run_cli("--data", str(folder.root), *args)
    assert_no_crash(result)
    return result


# --- the sums, computed from the files on their own -------------------------------------------


def expected_totals(folder: Folder, month: str) -> dict[tuple[int, str], dict]:
    """(measure, indicator) -> {value, this_month, numerator, denominator} as Decimals (None for "/"),
    by the 统计口径: each unit's latest figure up to the month."""
    loaded = {path: yaml.safe_load(path.read_text(encoding="utf-8")) for path in folder.files}
    by_unit: dict[str, list[tuple[str, dict]]] = {}
    for path, (unit_id, m) in folder.files.items():
        by_unit.setdefault(unit_id, []).append((m, loaded[path]))
    sums: dict[tuple[int, str], dict] = {}
    for measure in CAMPAIGN.measures.values():
        for ind in measure.indicators:
            if ind.kind == "yesno":  # the units whose latest answer is 是; no 本月
                sums[(measure.number, ind.key)] = {"value": Decimal(0), "this_month": None}
            elif ind.kind != "rate":
                sums[(measure.number, ind.key)] = {"value": Decimal(0), "this_month": Decimal(0)}
            else:
                sums[(measure.number, ind.key)] = {"numerator": Decimal(0), "denominator": Decimal(0)}
    for unit_id, series in by_unit.items():
        series = sorted((m, doc) for m, doc in series if m <= month)
        listed = len(CAMPAIGN.key_counties(CAMPAIGN.unit_by_id[unit_id]))  # 重点县区: key_counties
        figures: dict[tuple[int, str], list[tuple[str, Decimal]]] = {}  # (measure, key) -> [(month, value)]
        for m, doc in series:
            for number, entry in (doc.get("measures") or {}).items():
                for key, raw in (entry.get("indicators") or {}).items():
                    value = Decimal(int(raw == "是")) if isinstance(raw, str) else Decimal(repr(raw))
                    figures.setdefault((number, key), []).append((m, value))
        for (number, key), seen in figures.items():
            when, value = seen[-1]
            sums[(number, key)]["value"] += value
            if when == month and sums[(number, key)]["this_month"] is not None:
                sums[(number, key)]["this_month"] += value - (seen[-2][1] if len(seen) > 1 else 0)
        for measure in CAMPAIGN.measures.values():
            for ind in measure.indicators:
                if ind.kind != "rate":
                    continue
                dens = dict(figures.get((measure.number, ind.denominator), []))
                if ind.denominator == KEY_COUNTIES:  # given by tasks.yaml for every report of the numerator
                    given = figures.get((measure.number, ind.numerator), []) if listed else []
                    dens = {m: Decimal(listed) for m, _ in given}
                both = [(m, v, dens[m]) for m, v in figures.get((measure.number, ind.numerator), []) if m in dens]
                if both:
                    sums[(measure.number, ind.key)]["numerator"] += both[-1][1]
                    sums[(measure.number, ind.key)]["denominator"] += both[-1][2]
    for measure in CAMPAIGN.measures.values():
        for ind in measure.indicators:
            if ind.kind == "rate":
                parts = sums[(measure.number, ind.key)]
                num, den = parts["numerator"], parts["denominator"]
                parts["value"] = num * 100 / den if den else None
    return sums


def same(shown, expected: Decimal | None, places: int = 4) -> bool:
    if expected is None:
        return shown is None
    return shown is not None and abs(Decimal(repr(shown)) - expected) <= Decimal(10) ** -places


STATUS_CODES = {"已完成": "done", "推进中": "in_progress", "未启动": "not_started"}


def status_totals(folder: Folder, month: str) -> dict[tuple[int, str], dict]:
    """status --json for the month, after checking who reported and the status counts against the files."""
    result = yejin(folder, "status", "--month", month, "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert sum(doc["summary"]["submissions"].values()) == len(CAMPAIGN.cities)  # the department apart
    docs = {path: yaml.safe_load(path.read_text(encoding="utf-8")) for path in folder.files}
    current = {uid for path, (uid, m) in folder.files.items() if m == month}
    assert {s["unit_id"] for s in doc["submissions"] if s["submitted"]} == current
    for shown in doc["measures"]:
        measure = CAMPAIGN.measures[shown["number"]]
        counts = {"done": 0, "in_progress": 0, "not_started": 0, "not_reported": 0}
        for unit in CAMPAIGN.applicable_units(measure):
            mine = sorted((m, p) for p, (uid, m) in folder.files.items() if uid == unit.id and m <= month)
            latest = [docs[p]["measures"][measure.number] for _, p in mine if measure.number in docs[p]["measures"]]
            counts[STATUS_CODES[latest[-1]["status"]] if latest else "not_reported"] += 1
        assert shown["counts"] == counts, (measure.number, shown["counts"], counts)
    return {(m["number"], i["key"]): i for m in doc["measures"] for i in m["indicators"]}


def export_total_row(folder: Folder, month: str, out: Path) -> dict[tuple[int, str, str], object]:
    """统计表's 合计 row, keyed by (measure number, indicator name, 本月/累计) read from the header rows."""
    result = yejin(folder, "export", "--month", month, "-o", str(out))
    assert result.exit_code == 0, result.output
    cells = {}
    for ws in load_workbook(out).worksheets:  # the table's blocks: 统计表（任务1—2）…, one sheet each
        if not ws.title.startswith("统计表"):
            continue
        merged = {}
        for rng in ws.merged_cells.ranges:
            for row in range(rng.min_row, rng.max_row + 1):
                for col in range(rng.min_col, rng.max_col + 1):
                    merged[(row, col)] = ws.cell(rng.min_row, rng.min_col).value
        shown = lambda row, col, ws=ws, merged=merged: merged.get((row, col), ws.cell(row, col).value)  # noqa: E731
        total_row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "合计")
        for col in range(4, ws.max_column + 1):
            measure, name, part = shown(6, col), shown(7, col), ws.cell(8, col).value
            if not measure or part not in ("本月", "累计") or not str(measure)[0].isdigit():  # 执法情况: no measure
                continue
            number = int(str(measure).split(".")[0])
            cells[(number, str(name).replace("\n", "").rsplit("（", 1)[0], part)] = ws.cell(total_row, col).value
    return cells


@budget(ci_examples=8)
@given(drafts=data_folders(), pick=st.randoms(use_true_random=False))
def test_valid_folders_through_every_command(drafts: list[ReportDraft], pick) -> None:
    with written(drafts) as folder:
        result = yejin(folder, "validate")
        assert result.exit_code == 0, result.output
        month = pick.choice(folder.months())
        note(f"month {month}, files {sorted(str(p.relative_to(folder.root)) for p in folder.files)}")
        expected = expected_totals(folder, month)
        status = status_totals(folder, month)
        for key, want in expected.items():
            got = status[key]
            assert same(got["value"], want["value"]), (key, got, want)
            if "this_month" in want:
                assert same(got["this_month"], want["this_month"]), (key, got, want)
            else:
                assert same(got["numerator"], want["numerator"]) and same(got["denominator"], want["denominator"])
                assert got["value"] is None or got["value"] <= 100  # parts of one report: never above 100%
        row = export_total_row(folder, month, folder.root.parent / "table.xlsx")
        names = {(m.number, i.key): i.name for m in CAMPAIGN.measures.values() for i in m.indicators}
        for (number, key), got in status.items():
            if got["kind"] == "yesno":  # 累计 only: how many units answered 是
                assert row[(number, names[(number, key)], "累计")] == f"是{got['value']}个", (key, got)
                assert (number, names[(number, key)], "本月") not in row
            elif got["kind"] == "rate":
                cell = row[(number, names[(number, key)], "累计")]
                assert cell == "/" if got["value"] is None else abs(cell - got["value"]) <= 5e-5 + 1e-9, (
                    key,
                    cell,
                    got,
                )  # in %, JSON to 4 places
            else:
                for part, field_ in (("累计", "value"), ("本月", "this_month")):
                    cell = row[(number, names[(number, key)], part)]
                    assert abs(Decimal(repr(cell)) - Decimal(repr(got[field_]))) < Decimal("0.0001"), (
                        key,
                        part,
                        cell,
                        got,
                    )
        # next month's report for one unit: generated as a draft, valid on its own, contacts carried on
        unit_id, last = max(folder.files.values(), key=lambda um: (um[1], um[0]))
        if last.endswith("-12"):
            return  # the campaign year is over
        following = f"{YEAR}-{int(last[5:]) + 1:02d}"
        made = yejin(folder, "new-report", "--unit", unit_id, "--month", following, "--submitted", f"{following}-05")
        assert made.exit_code == 0, made.output
        new = folder.root / "reports" / unit_id / f"{following}.yaml"
        latest = folder.root / "reports" / unit_id / f"{last}.yaml"
        generated = yaml.safe_load(new.read_text(encoding="utf-8"))
        assert generated["draft"] is True
        assert generated["contacts"] == yaml.safe_load(latest.read_text(encoding="utf-8"))["contacts"]
        result = yejin(folder, "validate")
        assert result.exit_code == 0, result.output


# --- one broken file ---------------------------------------------------------------------------

MUTATIONS = [
    "delete-required-key",
    "count-to-text",
    "status-to-number",
    "duplicate-key",
    "control-character",
    "gbk-bytes",
    "truncate",
]


def mutate(text: str, kind: str, pick) -> bytes | None:
    lines = text.split("\n")
    if kind == "delete-required-key":
        candidates = [
            i for i, line in enumerate(lines) if line.startswith(("unit:", "month:", "submitted:", "    status:"))
        ]
        del lines[pick.choice(candidates)]
    elif kind == "count-to-text":
        candidates = [
            i
            for i, line in enumerate(lines)
            if line.startswith("      ") and ": " in line and line.split(": ")[1].split("  #")[0].isdigit()
        ]
        if not candidates:
            return None
        i = pick.choice(candidates)
        key, rest = lines[i].split(": ", 1)
        value, _, comment = rest.partition("  #")
        lines[i] = f"{key}: {pick.choice([value + '家', '１２', '1,234', '十二', '80%', repr(value)])}  #{comment}"
    elif kind == "status-to-number":
        candidates = [i for i, line in enumerate(lines) if line.startswith("    status:")]
        if not candidates:
            return None
        i = pick.choice(candidates)
        lines[i] = "    status: " + pick.choice(["1", "true", "[已完成]", "完成", "~"])
    elif kind == "duplicate-key":
        candidates = [
            i for i, line in enumerate(lines) if line.startswith(("unit:", "month:", "submitted:", "    status:"))
        ]
        i = pick.choice(candidates)
        lines.insert(i + 1, lines[i])
    elif kind == "control-character":  # an escape in a quoted name or text: ESC, BEL, CSI, RLO, CR
        # a quoted value, not a quote inside a comment (`cases: []  # …{title: "…"}`)
        candidates = [
            i for i, line in enumerate(lines) if ': "' in line.split("  #")[0] and not line.lstrip().startswith("#")
        ]
        i = pick.choice(candidates)
        lines[i] = lines[i].replace(': "', ': "' + pick.choice(["\\e[2J", "\\a", "\\x9b", "\\u202e", "\\r"]), 1)
    elif kind == "gbk-bytes":
        return text.encode("gb18030")
    else:  # cut off mid-line, somewhere before the contacts are complete
        end = text.index("\n  b: {") + len("\n  b: {")
        cut = pick.randrange(0, end)
        while cut > 0 and text[cut - 1] == "\n":
            cut -= 1  # mid-line, not at a line end
        return text[:cut].encode("utf-8")
    return "\n".join(lines).encode("utf-8")


@budget(ci_examples=12)
@given(drafts=data_folders(), kind=st.sampled_from(MUTATIONS), pick=st.randoms(use_true_random=False))
def test_one_broken_file_is_located_left_out_and_named(drafts: list[ReportDraft], kind: str, pick) -> None:
    with written(drafts) as folder:
        assert yejin(folder, "validate").exit_code == 0  # valid before (and any cache of it filled)
        target = pick.choice(sorted(folder.files))
        broken = mutate(target.read_text(encoding="utf-8"), kind, pick)
        if broken is None:
            return  # nothing of that kind in this file
        target.write_bytes(broken)
        note(f"{kind} in {target.relative_to(folder.root)}:\n{broken.decode('utf-8', 'replace')}")
        result = yejin(folder, "validate", "--format", "json")
        assert result.exit_code == 1, result.output
        problems = json.loads(result.stdout)["problems"]
        lines = broken.count(b"\n") + 1
        here = [p for p in problems if Path(p["path"]).resolve() == target.resolve()]
        assert here, problems
        assert any(1 <= p["line"] <= lines + 1 and p["column"] >= 1 for p in here), here
        alone = yejin(folder, "validate", "--format", "json", str(target))  # the file named on its own
        # (the reminders the file causes in other files, Y217 on a later month, are shown with it too)
        errors = [p for p in json.loads(alone.stdout)["problems"] if p["level"] == "error"]
        assert alone.exit_code == 1 and errors == [
            p
            for p in problems
            if p["level"] == "error"
            and (Path(p["path"]).resolve() == target.resolve() or p["path"].endswith("tasks.yaml"))
        ]
        month = folder.files[target][1]
        table = folder.root.parent / "table.xlsx"
        commands = (
            ["status", "--month", month],
            ["status", "--month", month, "--json"],
            ["deadlines", "--month", month],
            ["tasks"],
            ["codeowners"],
            ["export", "--month", month, "-o", str(table), "--force"],
            ["bulletin", "--month", month],
        )
        for args in commands:  # issue 14: the others are counted, the broken file is named
            shown = yejin(folder, *args)
            assert shown.exit_code == 0, (args, shown.output)
            if args != ["tasks"]:  # (the task list shows no report)
                assert "报告有误，未计入" in shown.output and target.name in shown.output, (args, shown.output)
        table.unlink()
        for args in commands:  # --strict: nothing made from data with an error
            shown = yejin(folder, *args, "--strict")
            assert shown.exit_code == 1, (args, shown.output)
            assert "数据未通过校验" in shown.output
            assert "合计" not in shown.output and "报送情况" not in shown.output and '"measures"' not in shown.output
        assert not table.exists()
