"""`yejin workbook`: the fill-in form, read back with openpyxl (and printed by LibreOffice).

The shipped data: 太原's latest report before July is June's (sources_inspected 9, 执法情况 fines 2.23 (市本级 since 太原 reports by county),
contacts 吴卫东 0351-5550131 / 王红梅 13900066492, measure 1 推进中, measure 18's mechanism 是).
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import SHIPPED_DATA, run_cli
from form_tools import cell_of, read_names
from render_tools import page_texts, page_words, to_pdf
from yejin.campaign import form_fields as ff
from yejin.checking.dataset import load_dataset
from yejin.outputs.form import build_form, form_time
from yejin.outputs.xlsx import save


@pytest.fixture(scope="module")
def taiyuan_form(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = load_dataset(SHIPPED_DATA, cache=False)
    path = tmp_path_factory.mktemp("form") / "太原-2022-07.xlsx"
    save(build_form(data, data.campaign.resolve_unit("太原"), "2022-07"), path, form_time("2022-07"))
    return path


def test_every_input_cell_has_its_defined_name_and_is_prefilled_as_new_report(taiyuan_form: Path) -> None:
    values = read_names(taiyuan_form)
    data = load_dataset(SHIPPED_DATA, cache=False)
    expected = {f.name for f in ff.form_fields(data.campaign, data.campaign.resolve_unit("太原"))}
    assert set(values) == expected
    assert values["unit"] == "太原市" and values["month"] == "2022-07"
    assert values["submitted"] is None  # the import takes the day of import, as new-report does
    assert values["contact_a_name"] == "吴卫东" and values["contact_a_phone"] == "0351-5550131"
    assert values["contact_b_phone"] == "13900066492"
    assert values["m1_status"] == "推进中" and values["m1_progress"] is None
    assert values["m5_sources_inspected"] == 9 and values["enf_fines"] == 2.23 and values["enf_penalties"] == 7
    assert values["m18_mechanism_established"] == "是"
    assert values["m7_case1_title"] is None and "m7_case3_summary" in values
    assert "m12_status" not in values  # 省厅's measure
    assert not any(name.endswith("_rate") for name in values)  # rates are computed, never typed


def test_the_cells_beside_a_figure_and_the_checks_while_typing(taiyuan_form: Path) -> None:
    wb = load_workbook(taiyuan_form)
    ws = wb[ff.SHEET]
    figure = cell_of(wb, "m5_sources_inspected")
    assert figure.coordinate == "E51"
    assert ws["D51"].value == 9 and ws["B51"].value is None and ws["A51"].value == "执法检查重大危险源数"
    assert ws["D50"].value == "上月累计" and ws["E50"].value == "本月累计"
    checks = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    count = checks["E51"]
    assert (count.type, count.operator, count.formula1, count.formula2) == ("whole", "between", "9", "100000000")
    assert count.error == "请填写整数，不少于上月累计9，不带单位" and count.showErrorMessage
    assert count.prompt == "截至当月底的全年累计数，单位个；只填整数，不带单位"
    fines = checks[cell_of(wb, "enf_fines").coordinate]
    assert (fines.type, fines.formula1) == ("decimal", "2.23")
    yes_no = checks[cell_of(wb, "m18_mechanism_established").coordinate]
    assert (yes_no.type, yes_no.formula1) == ("list", '"是,否"')
    assert yes_no.error == "只能填“是”或“否”，请从下拉列表中选择"
    assert ws["A8"].value == "执法情况（全部措施合计，每月填一次；同一案件只计一次）"
    status = checks[cell_of(wb, "m1_status").coordinate]
    assert (status.type, status.formula1) == ("list", '"未启动,推进中,已完成"')
    assert status.error == "状态只能是 未启动、推进中、已完成 之一，请从下拉列表中选择"
    day = checks["C5"]  # 2022-07-01 .. 2022-12-31 as Excel serial numbers
    assert (day.type, day.formula1, day.formula2) == ("date", "44743", "44926")
    assert cell_of(wb, "contact_a_phone").number_format == "@"  # text: a typed 0351 keeps its 0


def test_protected_without_password_only_inputs_unlocked(taiyuan_form: Path) -> None:
    wb = load_workbook(taiyuan_form)
    ws = wb[ff.SHEET]
    assert ws.protection.sheet and not ws.protection.password
    assert ws["A51"].protection.locked and ws["D51"].protection.locked  # label, 上月累计
    for name in ("submitted", "m5_sources_inspected", "m1_status", "m1_progress", "m7_case1_summary"):
        assert not cell_of(wb, name).protection.locked, name
    assert cell_of(wb, "unit").protection.locked and cell_of(wb, "month").protection.locked
    meta = wb[ff.META_SHEET]
    assert meta.sheet_state == "hidden"
    assert [[c.value for c in row] for row in meta.iter_rows()] == [
        ["campaign", "晋应急发〔2022〕80号"],
        ["template", ff.FORM_VERSION],
        ["layout", meta["B3"].value],
        ["unit", "taiyuan"],
        ["month", "2022-07"],
    ]
    assert len(meta["B3"].value) == 16


def test_same_data_same_bytes(tmp_path: Path) -> None:
    data = load_dataset(SHIPPED_DATA, cache=False)
    unit = data.campaign.resolve_unit("大同")
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    save(build_form(data, unit, "2022-07"), first, form_time("2022-07"))
    save(build_form(data, unit, "2022-07"), second, form_time("2022-07"))
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as z:
        assert {info.date_time for info in z.infolist()} == {(2022, 7, 1, 0, 0, 0)}


def test_workbook_all_writes_one_form_per_unit(workdir: Path) -> None:
    shutil.copytree(SHIPPED_DATA, workdir / "data")
    result = run_cli("--data", "data", "workbook", "--all", "--month", "2022-07")
    assert result.exit_code == 0, result.output
    made = sorted(p.name for p in (workdir / "填报表-2022-07").iterdir())
    assert len(made) == 12 and "省厅-2022-07.xlsx" in made and "吕梁-2022-07.xlsx" in made
    again = run_cli("--data", "data", "workbook", "-u", "太原", "-m", "2022-07", "-o", "填报表-2022-07/")
    assert again.exit_code == 1 and "已存在，未覆盖；如需覆盖请加 --force" in again.output
    both = run_cli("--data", "data", "workbook", "-u", "太原", "--all", "-m", "2022-07")
    assert both.exit_code == 2
    outside = run_cli("--data", "data", "workbook", "-u", "太原", "-m", "2023-01")
    assert outside.exit_code == 2


def test_the_form_prints_on_a4_portrait(taiyuan_form: Path, tmp_path: Path) -> None:
    pdf = to_pdf(taiyuan_form, tmp_path)
    pages = page_words(pdf)
    assert {(round(p.width), round(p.height)) for p in pages} == {(595, 842)}  # A4 portrait
    texts = page_texts(pdf)
    assert "冶金制造安全专项整治三年行动月报填报表" in texts[0]
    for i, text in enumerate(texts, start=1):
        assert f"第{i}页共{len(texts)}页" in "".join(text.split())
    for page in pages:  # every column on the page: nothing cut at the right margin
        assert max(w.x_max for w in page.words) < 595 - 20
    # a measure starts on the page its 指标 rows are on (breaks before a block, not inside it)
    for text in texts:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert not lines[-2].startswith("措施 "), lines[-3:]


def test_a_unit_that_skipped_a_month_sees_which_month_the_figures_are_from(tmp_path: Path) -> None:
    data = load_dataset(SHIPPED_DATA, cache=False)
    path = tmp_path / "吕梁.xlsx"  # 吕梁 has not reported June: its latest report is May's
    save(build_form(data, data.campaign.resolve_unit("吕梁"), "2022-07"), path, form_time("2022-07"))
    wb = load_workbook(path)
    status = cell_of(wb, "m1_status")
    ws = wb[ff.SHEET]
    assert ws.cell(row=status.row, column=5).value == "5月状态：推进中"
    figure = cell_of(wb, "m1_enterprises_checked")
    assert ws.cell(row=figure.row - 1, column=4).value == "5月累计"
    assert ws.cell(row=figure.row, column=6).value == "整数，不少于5月累计"


def test_measure_10_coverage_is_explained_not_asked(taiyuan_form: Path) -> None:
    """重点县区覆盖率 = 复核重点县区数 ÷ the 重点县区 tasks.yaml lists for the city (太原: 小店区、晋源区、清徐县, 3):
    no cell asks for key_counties or the rate; the 省厅, which lists none, reads that it is not computed."""
    values = read_names(taiyuan_form)
    assert values["m10_key_counties_reviewed"] == 2  # 太原市's June report
    assert not any(
        name.startswith(("m10_key_counties", "m10_coverage")) and name != "m10_key_counties_reviewed" for name in values
    )
    wb = load_workbook(taiyuan_form)
    ws = wb[ff.SHEET]
    reviewed = cell_of(wb, "m10_key_counties_reviewed")
    assert (reviewed.coordinate, ws.cell(reviewed.row, 1).value) == ("E108", "复核重点县区数")
    assert [ws.cell(110, c).value for c in (1, 3, 4, 5)] == [
        "重点县区覆盖率",
        "%",
        "由 yejin 计算（复核重点县区数 ÷ 重点县区数3个），不填写",
        None,
    ]
    data = load_dataset(SHIPPED_DATA, cache=False)
    department = build_form(data, data.campaign.resolve_unit("省厅"), "2022-07")[ff.SHEET]
    said = [row[3].value for row in department.iter_rows() if row[0].value == "重点县区覆盖率"]
    assert said == ["本单位未列出重点县区，不计算重点县区覆盖率，不填写"]
