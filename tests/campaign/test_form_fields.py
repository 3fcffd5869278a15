"""The form's contract: defined names from the campaign and the report model."""

from __future__ import annotations

from conftest import SHIPPED_DATA
from yejin.campaign import form_fields as ff
from yejin.checking.dataset import load_dataset


def names(unit: str) -> list[str]:
    data = load_dataset(SHIPPED_DATA, cache=False)
    return [f.name for f in ff.form_fields(data.campaign, data.campaign.resolve_unit(unit))]


def test_the_names_of_a_city_form_in_order() -> None:
    got = names("太原")
    assert got[:7] == [
        "unit",
        "month",
        "submitted",
        "contact_a_name",
        "contact_a_phone",
        "contact_b_name",
        "contact_b_phone",
    ]
    assert got[7:10] == ["enf_enterprises_inspected", "enf_penalties", "enf_fines"]  # 执法情况, once
    assert got[-2:] == ["problems", "next_steps"]
    assert got[got.index("m5_status") : got.index("m5_status") + 6] == [
        "m5_status",
        "m5_progress",
        "m5_sources_inspected",
        "m5_hazards_found",
        "m5_hazards_fixed",
        "m6_status",
    ]
    assert got[got.index("m6_progress") + 1 : got.index("m6_progress") + 5] == [
        "m6_enterprises_listed_steel",
        "m6_enterprises_listed_aluminium",
        "m6_enterprises_listed_dust",
        "m6_ledger_items",
    ]
    assert "m18_mechanism_established" in got
    fields = [name for name, *_ in ff.case_fields()]  # title, enterprise, summary, and any the model adds
    assert fields[:3] == ["title", "enterprise", "summary"]
    assert [n for n in got if n.startswith("m7_case")] == [f"m7_case{k}_{field}" for k in (1, 2, 3) for field in fields]
    assert "m12_status" not in got and "m5_fix_rate" not in got


def test_kinds_of_cell_follow_the_indicator_kinds() -> None:
    data = load_dataset(SHIPPED_DATA, cache=False)
    fields = {f.name: f for f in ff.form_fields(data.campaign, data.campaign.resolve_unit("太原"))}
    assert fields["m18_mechanism_established"].kind == ff.YESNO
    assert fields["enf_fines"].kind == ff.AMOUNT and fields["enf_fines"].loc == ("enforcement", "fines")
    assert fields["enf_penalties"].kind == ff.COUNT and fields["enf_penalties"].unit == "起"
    assert fields["enf_penalties"].label == "执法情况\u3000行政处罚"
    # a number label and its title: no space beside the digit, a full-width space before the title (issue 17)
    assert fields["m5_status"].label == "措施5\u3000状态"
    assert fields["m5_progress"].label == "措施5\u3000进展情况"
    assert fields["m5_sources_inspected"].label == "措施5\u3000执法检查重大危险源数"
    assert fields["m7_case2_title"].label == "措施7\u3000典型案例2\u3000案例标题"


def test_the_department_reports_its_own_measures() -> None:
    got = names("省厅")
    assert {"m12_status", "m13_progress", "m15_sessions", "m15_trainees"} <= set(got)


def test_case_fields_come_from_the_report_model() -> None:
    from yejin.campaign.models import Case

    fields = ff.case_fields()
    assert [name for name, *_ in fields] == list(Case.model_fields)  # every field, in the model's order
    assert [(name, title, kind, required) for name, title, kind, required in fields][:3] == [
        ("title", "案例标题", ff.TEXT, True),
        ("enterprise", "企业名称", ff.TEXT, True),
        ("summary", "案情简介", ff.TEXT, True),
    ]
    optional = [name for name, _, _, required in fields if not required]
    assert all(Case.model_fields[name].default is None for name in optional)


def test_the_layout_fingerprint_follows_the_names_and_kinds() -> None:
    field = ff.FormField("m5_fines", (), ff.AMOUNT, "")
    assert ff.layout_digest([field]) == ff.layout_digest([field])
    assert ff.layout_digest([field]) != ff.layout_digest([ff.FormField("m5_fines", (), ff.COUNT, "")])
