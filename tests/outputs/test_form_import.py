"""`yejin import`: a filled-in form back into reports/<unit>/<YYYY-MM>.yaml.

Round trips on the shipped data (every unit): the unedited July form gives exactly what new-report
writes; the June form filled in by defined names with the June report's values gives the June report
field for field; the same after LibreOffice opened and saved the workbook; a random valid report
(hypothesis) survives form → import.  Golden bad cells (tests/fixtures/forms/bad-cells.yaml) with
their exact 文件!工作表!单元格.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from conftest import SHIPPED_DATA, TESTS, assert_no_crash, make_data_dir, run_cli
from form_tools import fill
from hardening_helpers import budget
from render_tools import resave_xlsx
from yejin.campaign import form_fields as ff
from yejin.checking.dataset import load_dataset
from yejin.outputs.form import build_form, form_time
from yejin.outputs.form_import import import_form
from yejin.outputs.report_writer import MeasureDraft, ReportDraft, render_report
from yejin.outputs.scaffold import new_report_text
from yejin.outputs.xlsx import save
from yejin.reading.yaml_loader import load_bytes

FORMS = TESTS / "fixtures" / "forms"
DAY = dt.date(2022, 7, 28)


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory):
    data = load_dataset(SHIPPED_DATA, cache=False)
    assert data.ok, data.problems
    return data


def write_form(data, unit, month: str, folder: Path) -> Path:
    path = folder / f"{unit.id}-{month}.xlsx"
    save(build_form(data, unit, month), path, form_time(month))
    return path


def without_sample_flag(report) -> dict:
    dumped = report.model_dump()
    dumped.pop("sample_data")
    return dumped


def june_values(report) -> dict[str, Any]:
    """The June report as cell values by defined name: what a clerk types into the June form."""
    values: dict[str, Any] = {
        "submitted": report.submitted,
        "problems": report.problems or None,
        "next_steps": report.next_steps or None,
    }
    for role in ("a", "b"):
        person = getattr(report.contacts, role)
        values[f"contact_{role}_name"] = person.name
        values[f"contact_{role}_phone"] = person.phone
    for key, value in report.enforcement.items():
        values[f"enf_{key}"] = value
    for n, entry in report.measures.items():
        values[f"m{n}_status"] = entry.status
        values[f"m{n}_progress"] = entry.progress or None
        for key, value in entry.indicators.items():
            values[f"m{n}_{key}"] = value
        for k, case in enumerate(entry.cases, start=1):
            for name, value in case.model_dump().items():
                values[f"m{n}_case{k}_{name}"] = value
    return values


# --- round trips on the shipped data -------------------------------------------------------------


def test_the_unedited_july_form_of_every_unit_imports_as_new_report_writes(shipped, tmp_path: Path) -> None:
    for unit in shipped.campaign.units:
        path = write_form(shipped, unit, "2022-07", tmp_path)
        result = import_form(shipped, path, path.name, DAY)
        assert result.text == new_report_text(shipped, unit, "2022-07", DAY), unit.id
        assert result.draft and result.ok, [p.location() for p in result.problems]
        assert {p.level for p in result.problems} == {"warning"}  # only the draft's 未填写 reminders


def test_the_june_form_filled_by_defined_names_gives_the_june_report_field_for_field(shipped, tmp_path: Path) -> None:
    june = [r for r in shipped.valid_reports() if r.month == "2022-06"]
    assert len(june) == 21  # every unit but 吕梁 reported June, and 太原's 10 counties
    for loaded in june:
        unit = shipped.campaign.unit_by_id[loaded.unit_id]
        path = fill(write_form(shipped, unit, "2022-06", tmp_path), june_values(loaded.report))
        result = import_form(shipped, path, path.name, DAY)
        assert result.problems == [], [(p.location(), p.message) for p in result.problems]
        assert not result.draft
        assert without_sample_flag(result.report) == without_sample_flag(loaded.report), unit.id


def test_a_form_saved_again_by_libreoffice_imports_identically(shipped, tmp_path: Path) -> None:
    taiyuan = shipped.campaign.resolve_unit("太原")
    june = shipped.report_for("taiyuan", "2022-06")
    filled = fill(write_form(shipped, taiyuan, "2022-06", tmp_path), june_values(june))
    unedited = write_form(shipped, taiyuan, "2022-07", tmp_path)
    for original in (filled, unedited):
        resaved = resave_xlsx(original, tmp_path / "libreoffice")
        assert resaved.read_bytes() != original.read_bytes()  # LibreOffice really wrote its own file
        before = import_form(shipped, original, "a.xlsx", DAY)
        after = import_form(shipped, resaved, "a.xlsx", DAY)
        assert after.text == before.text
        assert after.problems == before.problems


# --- golden bad cells -----------------------------------------------------------------------------

LINE = re.compile(r"^  (.+?): (Y\d{3}) (?!\[提醒\])", re.MULTILINE)


def test_each_bad_cell_is_named_by_file_sheet_and_cell(workdir: Path) -> None:
    spec = yaml.safe_load((FORMS / "bad-cells.yaml").read_text(encoding="utf-8"))
    shutil.copytree(SHIPPED_DATA, workdir / "data")
    made = run_cli("--data", "data", "workbook", "--unit", spec["unit"], "--month", spec["month"])
    assert made.exit_code == 0, made.output
    form = Path(made.stdout.strip())
    assert form == Path("太原-2022-07.xlsx")
    fill(form, spec["cells"])
    result = run_cli("--data", "data", "import", str(form), "--submitted", "2022-07-28")
    assert_no_crash(result)
    assert result.exit_code == 1
    errors = sorted(f"{where}: {code}" for where, code in LINE.findall(result.stdout))
    assert errors == sorted(spec["problems"]), result.output
    for text in spec["messages"]:
        assert text in result.stdout, text
    assert "没有写入任何月报" in result.output
    assert not (workdir / "data" / "reports" / "taiyuan" / "2022-07.yaml").exists()


def test_json_and_github_formats_carry_the_cell(workdir: Path) -> None:
    shutil.copytree(SHIPPED_DATA, workdir / "data")
    run_cli("--data", "data", "workbook", "-u", "太原", "-m", "2022-07")
    fill(Path("太原-2022-07.xlsx"), {"m5_sources_inspected": "45家"})
    doc = json.loads(run_cli("--data", "data", "import", "太原-2022-07.xlsx", "-f", "json").stdout)
    bad = [p for p in doc["problems"] if p["level"] == "error"]
    assert bad == [
        {
            "path": "太原-2022-07.xlsx",
            "line": 51,
            "column": 5,
            "code": "Y103",
            "message": "指标值应为数字（不带单位、不带千位分隔符）",
            "hint": "数字后面不要带单位“家”，写成45（单位见注释）",
            "level": "error",
            "detail": "",
            "cell": "月报!E51",
            "label": "措施5\u3000执法检查重大危险源数",
        }
    ]
    github = run_cli("--data", "data", "import", "太原-2022-07.xlsx", "-f", "github").stdout
    assert (
        "::error file=太原-2022-07.xlsx,title=Y103::太原-2022-07.xlsx!月报!E51（措施5\u3000执法检查重大危险源数）: Y103 "
        in github
    )


# --- writing: --force, --partial --------------------------------------------------------------------


def test_an_existing_report_is_kept_unless_force_and_force_lists_the_changes(workdir: Path) -> None:
    shutil.copytree(SHIPPED_DATA, workdir / "data")
    report = workdir / "data" / "reports" / "taiyuan" / "2022-06.yaml"
    before = report.read_bytes()
    run_cli("--data", "data", "workbook", "-u", "太原", "-m", "2022-06")
    june = load_dataset(workdir / "data", cache=False).report_for("taiyuan", "2022-06")
    values = june_values(june) | {"m5_sources_inspected": 12, "m5_progress": "截至6月底，执法检查重大危险源 12 个。"}
    fill(Path("太原-2022-06.xlsx"), values)
    refused = run_cli("--data", "data", "import", "太原-2022-06.xlsx")
    assert refused.exit_code == 1
    assert "  太原-2022-06.xlsx: Y201 data/reports/taiyuan/2022-06.yaml 已存在，未覆盖" in refused.stdout
    assert report.read_bytes() == before
    forced = run_cli("--data", "data", "import", "太原-2022-06.xlsx", "--force")
    assert forced.exit_code == 0, forced.output
    assert "改动3处" in forced.output  # the figure, the progress text, and the sample-data flag dropped
    assert "measures.5.indicators.sources_inspected: 9 → 12" in forced.output
    assert "sample_data: True → False" in forced.output
    assert "sources_inspected: 12  # 执法检查重大危险源数（个）" in report.read_text(encoding="utf-8")


def test_nothing_is_written_when_one_file_is_bad_unless_partial(workdir: Path) -> None:
    shutil.copytree(SHIPPED_DATA, workdir / "data")
    run_cli("--data", "data", "workbook", "--all", "-m", "2022-07", "-o", "forms/")
    fill(Path("forms/大同-2022-07.xlsx"), {"m1_status": "进行中"})
    files = ["forms/太原-2022-07.xlsx", "forms/大同-2022-07.xlsx"]
    reports = workdir / "data" / "reports"
    strict = run_cli("--data", "data", "import", *files, "--submitted", "2022-07-28")
    assert strict.exit_code == 1
    assert "  forms/大同-2022-07.xlsx!月报!C16（措施1\u3000状态）: Y104 " in strict.stdout
    assert not (reports / "taiyuan" / "2022-07.yaml").exists()
    partial = run_cli("--data", "data", "import", *files, "--submitted", "2022-07-28", "--partial")
    assert partial.exit_code == 1
    assert (reports / "taiyuan" / "2022-07.yaml").exists()
    assert not (reports / "datong" / "2022-07.yaml").exists()
    assert "未导入（有错误）：forms/大同-2022-07.xlsx" in partial.output


def test_a_unit_without_a_reports_folder_yet(workdir: Path) -> None:
    shutil.copytree(SHIPPED_DATA, workdir / "data")
    shutil.rmtree(workdir / "data" / "reports" / "lvliang")  # 吕梁 has never reported
    run_cli("--data", "data", "workbook", "-u", "吕梁", "-m", "2022-07")
    result = run_cli("--data", "data", "import", "吕梁-2022-07.xlsx", "--submitted", "2022-07-28")
    assert result.exit_code == 0, result.output
    written = (workdir / "data" / "reports" / "lvliang" / "2022-07.yaml").read_text(encoding="utf-8")
    assert (
        'a: {name: "", phone: ""}' in written and written.count("status: 未启动") == 15
    )  # 18 measures but 省厅's 12, 13, 15


def test_two_forms_of_one_unit_and_month_in_one_import(workdir: Path) -> None:
    shutil.copytree(SHIPPED_DATA, workdir / "data")
    run_cli("--data", "data", "workbook", "-u", "太原", "-m", "2022-07")
    shutil.copyfile("太原-2022-07.xlsx", "copy.xlsx")
    result = run_cli("--data", "data", "import", "太原-2022-07.xlsx", "copy.xlsx")
    assert result.exit_code == 1
    assert "  copy.xlsx: Y201 与 太原-2022-07.xlsx 是同一单位同一月份的填报表" in result.stdout


# --- files that are not a form of this campaign --------------------------------------------------


def refused(workdir: Path, name: str, content: bytes | None = None) -> str:
    shutil.copytree(SHIPPED_DATA, workdir / "data", dirs_exist_ok=True)
    if content is not None:
        Path(name).write_bytes(content)
    result = run_cli("--data", "data", "import", name)
    assert_no_crash(result)
    assert result.exit_code == 1, result.output
    return result.stdout


def test_old_formats_password_and_damage_get_what_to_do(workdir: Path) -> None:
    cfb = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    assert "  old.xls: Y011 这是旧版 Excel（.xls）或 WPS（.et）格式的文件" in refused(workdir, "old.xls", cfb)
    assert "另存为" in refused(workdir, "wps.et", cfb)
    locked = cfb + "EncryptionInfo".encode("utf-16-le") + b"\0" * 100
    assert "  locked.xlsx: Y011 工作簿设置了打开密码，yejin 无法读取" in refused(workdir, "locked.xlsx", locked)
    assert "  sheet.ods: Y011 yejin 只读取 .xlsx 工作簿，不读取 .ods 文件" in refused(workdir, "sheet.ods", b"PK\3\4")
    assert "  junk.xlsx: Y011 文件不是 xlsx 工作簿（或已损坏）" in refused(workdir, "junk.xlsx", b"hello")
    broken = io_zip({"[Content_Types].xml": b"<not xml"})
    assert "  broken.xlsx: Y011 文件已损坏，无法作为 xlsx 工作簿读取" in refused(workdir, "broken.xlsx", broken)


def io_zip(entries: dict[str, bytes]) -> bytes:
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_a_workbook_not_made_by_yejin_or_for_another_version(workdir: Path) -> None:
    Workbook().save("plain.xlsx")
    assert "  plain.xlsx: Y011 这不是 yejin workbook 生成的填报表" in refused(workdir, "plain.xlsx")
    run_cli("--data", "data", "workbook", "-u", "太原", "-m", "2022-07")
    for key, value, said in (
        ("campaign", "晋应急发〔2021〕1号", "这份填报表是为另一项工作（晋应急发〔2021〕1号）制作的"),
        ("layout", "0000", "这份填报表（太原市\u30002022-07）是按另一版任务清单或模板制作的"),
        ("unit", "nowhere", "填报表中记录的单位或月份无法识别"),
    ):
        wb = load_workbook("太原-2022-07.xlsx")
        meta = wb[ff.META_SHEET]
        row = ff.META_KEYS.index(key) + 1
        meta.cell(row=row, column=2).value = value
        wb.save("changed.xlsx")
        assert f"  changed.xlsx: Y011 {said}" in refused(workdir, "changed.xlsx")


# --- hypothesis: any valid report survives the form ------------------------------------------------

TEXT = (
    st.text(alphabet=st.sampled_from("治理隐患企业检查整改完成ABCxyz0123 ，。（）“”-"), min_size=1, max_size=30)
    .map(str.strip)
    .filter(bool)
)
PARAGRAPH = st.lists(TEXT, min_size=1, max_size=3).map("\n".join)
PHONE = st.one_of(st.from_regex(r"\A0[0-9]{3}-[1-9][0-9]{6}\Z"), st.from_regex(r"\A1[3-9][0-9]{9}\Z"))
AMOUNT = st.integers(0, 10**6).map(lambda cents: cents / 100)
FIGURES = {"count": st.integers(0, 10**8), "amount": AMOUNT, "yesno": st.sampled_from(["是", "否"])}


@pytest.fixture(scope="module")
def empty_data(tmp_path_factory: pytest.TempPathFactory):
    """The real tasks.yaml and no reports (so no earlier month bounds the figures)."""
    root = make_data_dir(tmp_path_factory.mktemp("form-hypothesis"))
    return Quiet(load_dataset(root, cache=False))


class Quiet:
    """The dataset, without its repr in a falsifying example (the whole campaign)."""

    def __init__(self, data) -> None:
        self.data = data

    def __repr__(self) -> str:
        return "<data folder: tasks.yaml, no reports>"


@st.composite
def reports(draw, data) -> ReportDraft:
    unit = data.campaign.resolve_unit(draw(st.sampled_from(["太原", "省厅", "大同"])))
    measures = {}
    for measure in data.campaign.applicable_measures(unit):
        status = draw(st.sampled_from(["未启动", "推进中", "已完成"]))
        progress = draw(PARAGRAPH) if status != "未启动" else draw(st.one_of(st.just(""), PARAGRAPH))
        figures = {i.key: draw(FIGURES[i.kind]) for i in ff.entered(measure.indicators)}
        for rate in measure.indicators:  # a valid report: no rate above 100% (Y208)
            if rate.kind == "rate":
                listed = len(data.campaign.key_counties(unit))  # key_counties: the city's 重点县区, not entered
                figures[rate.numerator] = min(figures[rate.numerator], figures.get(rate.denominator, listed))
        cases = []
        if ff.has_cases(measure):
            cases = draw(
                st.lists(st.fixed_dictionaries({"title": TEXT, "enterprise": TEXT, "summary": PARAGRAPH}), max_size=3)
            )
        measures[measure.number] = MeasureDraft(status, progress, figures, cases)
    return ReportDraft(
        enforcement={i.key: draw(FIGURES[i.kind]) for i in ff.entered(data.campaign.enforcement)},
        unit=unit,
        month="2022-07",
        submitted=draw(st.dates(dt.date(2022, 7, 1), dt.date(2022, 12, 31))).isoformat(),
        contacts={r: {"name": draw(TEXT), "phone": draw(PHONE)} for r in ("a", "b")},
        measures=measures,
        problems=draw(st.one_of(st.just(""), PARAGRAPH)),
        next_steps=draw(st.one_of(st.just(""), PARAGRAPH)),
    )


@budget(ci_examples=10)
@given(data=st.data())
def test_any_valid_report_survives_workbook_and_import(empty_data, tmp_path_factory, data) -> None:
    from yejin.checking.dataset import check_model

    empty_data = empty_data.data
    draft = data.draw(reports(empty_data))
    doc, problems = load_bytes(render_report(empty_data.campaign, draft).encode("utf-8"), "x.yaml")
    original, problems = check_model(doc, "Report")
    assert original is not None, problems
    folder = tmp_path_factory.mktemp("form")
    path = fill(write_form(empty_data, draft.unit, "2022-07", folder), june_values(original))
    result = import_form(empty_data, path, path.name, DAY)
    assert [p for p in result.problems if p.level == "error"] == []
    assert result.report.model_dump() == original.model_dump()
