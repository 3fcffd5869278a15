"""The mistakes city staff actually make, one test each: the exact `path:line:col: CODE` and a
hint in Chinese that names the mistake and the fix.

Reports are typed with a Chinese input method, often in Windows Notepad: full-width
punctuation and digits, units after numbers, Chinese quotes, near-miss statuses and unit
names, months and dates in everyday Chinese forms, files saved as GBK or UTF-16, and the
values YAML 1.1 reads as something else.  Every case starts from the same valid report
(REPORT below) and changes one thing; line numbers count in REPORT.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from chinese_text import gaps
from conftest import MINIMAL_REPORT, assert_no_crash, measures_of, run_cli, write_report
from hardening_helpers import problem_lines

FILE = "data/reports/taiyuan/2022-06.yaml"
REPORT = (
    MINIMAL_REPORT
    + """\
measures:
  5:
    status: 推进中
    progress: "截至6月底累计检查 9 个"
    indicators:
      sources_inspected: 9
      hazards_found: 35
"""
    + measures_of("taiyuan", skip=(5,))  # the other measures 太原市 reports, after line 13: a complete report
    + "enforcement:\n  fines: 35.1\n"  # 执法情况, the last line
)
# line:   1 unit, 2 month, 3 submitted, 5/6 contacts a/b, 9 status, 10 progress, 12 sources_inspected,
#         13 hazards_found, FINES (the last line) fines
FINES = len(REPORT.splitlines())


def check(data_dir: Path, text: str | bytes, problems: list[str], hints: list[str], *extra: str):
    """Validate REPORT changed to `text`: exactly `problems` (`line:col: CODE` in FILE), each hint text shown."""
    write_report(data_dir, "reports/taiyuan/2022-06.yaml", text)
    result = run_cli("--data", "data", "validate", *extra)
    assert_no_crash(result)
    assert result.exit_code == 1, result.output
    assert problem_lines(result.output) == sorted(f"{FILE}:{p}" for p in problems), result.output
    for hint in hints:
        assert hint in result.output, f"missing {hint!r} in:\n{result.output}"
    assert gaps(result.output) == [], result.output  # no space between Chinese and a digit (issue 17)
    return result


def changed(old: str, new: str) -> str:
    assert REPORT.count(old) == 1, old
    return REPORT.replace(old, new)


def test_the_base_report_is_valid(data_dir: Path) -> None:
    write_report(data_dir, "reports/taiyuan/2022-06.yaml", REPORT)
    result = run_cli("--data", "data", "validate")
    assert result.exit_code == 0, result.output


# --- full-width punctuation and white space (全角符号) -----------------------------------------

CHINESE_INPUT = [
    # id, old, new, problems, hint phrases
    (
        "fullwidth-colon-after-key",
        "    status: 推进中",
        "    status：推进中",
        ["9:11: Y002"],
        ["全角冒号“：”", "写成 status: 推进中", "解析器在第10行"],
    ),
    (
        "fullwidth-colon-top-level",
        'month: "2022-06"',
        'month："2022-06"',
        ["2:6: Y002"],
        ["全角冒号“：”", '写成 month: "2022-06"'],
    ),
    (
        "fullwidth-colon-deeper",
        "      hazards_found: 35",
        "      hazards_found：35",
        ["13:20: Y002"],
        ["全角冒号“：”", "写成 hazards_found: 35"],
    ),
    (
        "fullwidth-colon-in-braces",
        "{name: 张三,",
        "{name：张三,",
        ["5:6: Y102", "5:7: Y101"],
        ["全角冒号“：”", "写成 name: 张三"],
    ),
    (
        "fullwidth-comma-in-braces",
        "{name: 张三, phone",
        "{name: 张三，phone",
        ["5:15: Y002"],
        ["全角逗号“，”", "半角逗号"],
    ),
    ("fullwidth-space-indent", "    status: 推进中", "　　status: 推进中", ["9:1: Y002"], ["全角空格“　”", "半角空格"]),
    ("fullwidth-space-in-indent", "    status: 推进中", "  　status: 推进中", ["9:3: Y002"], ["全角空格“　”"]),
    ("tab-indent", "    status: 推进中", "\tstatus: 推进中", ["9:1: Y002"], ["制表符（Tab）", "换成空格"]),
    ("tab-deeper", "      hazards_found: 35", "\t  hazards_found: 35", ["13:1: Y002"], ["制表符（Tab）"]),
]


@pytest.mark.parametrize("old, new, problems, hints", [c[1:] for c in CHINESE_INPUT], ids=[c[0] for c in CHINESE_INPUT])
def test_full_width_punctuation_and_tabs(data_dir: Path, old, new, problems, hints) -> None:
    check(data_dir, changed(old, new), problems, hints)


# --- numbers (数字) ------------------------------------------------------------------------------

NUMBERS = [
    (
        "fullwidth-digits",
        "sources_inspected: 9",
        "sources_inspected: １２",
        ["12:26: Y103"],
        ["“１２”是全角数字", "切换到半角输入", "写成12"],
    ),
    ("fullwidth-decimal", "fines: 35.1", "fines: ３５．１", [f"{FINES}:10: Y103"], ["全角数字", "写成35.1"]),
    (
        "thousands-separator",
        "sources_inspected: 9",
        "sources_inspected: 1,234",
        ["12:26: Y103"],
        ["不要加千位分隔符", "写成1234"],
    ),
    (
        "count-with-unit",
        "sources_inspected: 9",
        "sources_inspected: 12家",
        ["12:26: Y103"],
        ["数字后面不要带单位“家”", "写成12"],
    ),
    ("amount-with-unit", "fines: 35.1", "fines: 35.1万元", [f"{FINES}:10: Y103"], ["不要带单位“万元”", "写成35.1"]),
    (
        "percentage-for-a-count",
        "sources_inspected: 9",
        "sources_inspected: 80%",
        ["12:26: Y103"],
        ["不填百分比", "由 yejin 根据数量计算"],
    ),
    ("quoted-percentage", "sources_inspected: 9", 'sources_inspected: "80%"', ["12:26: Y103"], ["不填百分比"]),
    ("quoted-number", "sources_inspected: 9", 'sources_inspected: "9"', ["12:26: Y103"], ["数字不要加引号，写成9"]),
    ("fraction-for-a-count", "sources_inspected: 9", "sources_inspected: 9.5", ["12:26: Y103"], ["应为整数"]),
    ("negative", "sources_inspected: 9", "sources_inspected: -3", ["12:26: Y105"], ["不能为负数"]),
    ("fullwidth-measure-number", "  5:", "  ５:", ["8:3: Y103"], ["“５”是全角数字", "写成5"]),
]


@pytest.mark.parametrize("old, new, problems, hints", [c[1:] for c in NUMBERS], ids=[c[0] for c in NUMBERS])
def test_numbers_typed_the_everyday_way(data_dir: Path, old, new, problems, hints) -> None:
    check(data_dir, changed(old, new), problems, hints)


# --- quotes (引号) -------------------------------------------------------------------------------

QUOTES = [
    (
        "chinese-quotes-status",
        "status: 推进中",
        "status: “推进中”",
        ["9:13: Y104"],
        ["用了中文引号", '请用英文引号："推进中"'],
    ),
    ("chinese-quotes-unit", "unit: 太原市", "unit: “太原市”", ["1:7: Y109"], ["用了中文引号", '"太原市"']),
    ("chinese-quotes-month", 'month: "2022-06"', "month: “2022-06”", ["2:8: Y107"], ["用了中文引号", '"2022-06"']),
    (
        "chinese-quotes-phone",
        'phone: "13912345678"',
        "phone: “13912345678”",
        ["6:24: Y108"],
        ["用了中文引号", '"13912345678"'],
    ),
    ("chinese-quotes-number", "sources_inspected: 9", "sources_inspected: “9”", ["12:26: Y103"], ["用了中文引号"]),
    (
        "chinese-quotes-break-the-line",
        'progress: "截至6月底累计检查 9 个"',
        "progress: “截至6月底: 累计检查 9 个”",
        ["10:15: Y002"],
        ["用了中文引号“ ”", "英文引号"],
    ),
    (
        "unclosed-double-quote",
        'progress: "截至6月底累计检查 9 个"',
        'progress: "截至6月底累计检查 9 个',
        ["10:15: Y002"],
        ["英文双引号没有闭合", '末尾补上 "', f"解析器在第{FINES + 1}行"],  # at the end of the file
    ),
    (
        "unclosed-single-quote",
        'progress: "截至6月底累计检查 9 个"',
        "progress: '截至6月底累计检查 9 个",
        ["10:15: Y002"],
        ["英文单引号没有闭合", "末尾补上 '"],
    ),
]


@pytest.mark.parametrize("old, new, problems, hints", [c[1:] for c in QUOTES], ids=[c[0] for c in QUOTES])
def test_quotes(data_dir: Path, old, new, problems, hints) -> None:
    check(data_dir, changed(old, new), problems, hints)


def test_chinese_quotes_inside_free_text_are_kept_as_text(data_dir: Path) -> None:
    """In 进展情况 “ ” are ordinary Chinese punctuation: kept as typed, not an error."""
    write_report(
        data_dir,
        "reports/taiyuan/2022-06.yaml",
        changed('progress: "截至6月底累计检查 9 个"', "progress: “双随机”检查 9 个"),
    )
    result = run_cli("--data", "data", "validate")
    assert result.exit_code == 0, result.output


# --- statuses and unit names (取值) --------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("完成", "已完成"),
        ("已经完成", "已完成"),
        ("进行中", "推进中"),
        ("未开始", "未启动"),
        ("正在推进", "推进中"),
        ("尚未启动", "未启动"),
        ("已完成。", "已完成"),
    ],
)
def test_status_spelled_differently(data_dir: Path, typed: str, meant: str) -> None:
    check(
        data_dir,
        changed("status: 推进中", f"status: {typed}"),
        ["9:13: Y104"],
        [f"是否为“{meant}”？", "未启动、推进中、已完成"],
    )


@pytest.mark.parametrize("name", ["太原市", "太原", "taiyuan", "140100", '"140100"', "太原市应急管理局"])
def test_unit_by_any_of_its_names(data_dir: Path, name: str) -> None:
    write_report(data_dir, "reports/taiyuan/2022-06.yaml", changed("unit: 太原市", f"unit: {name}"))
    result = run_cli("--data", "data", "validate")
    assert result.exit_code == 0, result.output


def test_unit_by_its_old_name(data_dir: Path) -> None:
    """吕梁地区 (before 2003) is listed under aliases in tasks.yaml."""
    write_report(data_dir, "reports/lvliang/2022-06.yaml", changed("unit: 太原市", "unit: 吕梁地区"))
    result = run_cli("--data", "data", "validate")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "typed, meant",
    [("太远市", "太原市"), ("太原应急局", "太原市"), ("太原市应急局", "太原市"), ("省应急厅", "山西省应急管理厅")],
)
def test_unit_name_not_known_suggests_the_nearest(data_dir: Path, typed: str, meant: str) -> None:
    check(
        data_dir,
        changed("unit: 太原市", f"unit: {typed}"),
        ["1:7: Y109"],
        [f"是否为“{meant}”？", "可以写正式名称、简称、英文标识或行政区划代码"],
    )


# --- months and dates (月份和日期) ----------------------------------------------------------------

MONTHS = [
    ("chinese-month", "month: 2022年6月", ["2:8: Y107"], ['"2022-06"', "不是“2022年6月”"]),
    ("slash-month", "month: 2022/6", ["2:8: Y107"], ['"2022-06"', "不是“2022/6”"]),
    ("month-without-year", "month: 6月", ["2:8: Y107"], ["要写明年份", '"2022-06"']),
    ("single-digit-month", 'month: "2022-6"', ["2:8: Y107"], ['"2022-06"']),
    ("fullwidth-month", "month: ２０２２-０６", ["2:8: Y107"], ['"2022-06"', "有全角字符"]),
    ("unquoted-month-float", "month: 2022.06", ["2:8: Y107"], ["读成了数字2022.06", '"YYYY-MM"']),
]


@pytest.mark.parametrize("line, problems, hints", [c[1:] for c in MONTHS], ids=[c[0] for c in MONTHS])
def test_month_written_the_chinese_way(data_dir: Path, line, problems, hints) -> None:
    check(data_dir, changed('month: "2022-06"', line), problems, hints)


DATES = [
    ("slash-date", "submitted: 2022/06/24", ["3:12: Y103"], ["2022-06-24", "年-月-日"]),
    ("chinese-date", "submitted: 2022年6月24日", ["3:12: Y103"], ["2022-06-24"]),
    ("date-with-time", "submitted: 2022-06-24 10:30", ["3:12: Y103"], ["2022-06-24", "不要带时间"]),
    ("date-with-seconds", "submitted: 2022-06-24 10:30:00", ["3:12: Y110"], ["日期不要带时间"]),
    ("february-30", "submitted: 2022-02-30", ["3:12: Y007"], ["日期2022-02-30不存在", "2月只有28或29天"]),
    ("june-31", "submitted: 2022-06-31", ["3:12: Y007"], ["日期2022-06-31不存在", "6月只有30天"]),
    ("quoted-june-31", 'submitted: "2022-06-31"', ["3:12: Y007"], ["日期2022-06-31不存在"]),
]


@pytest.mark.parametrize("line, problems, hints", [c[1:] for c in DATES], ids=[c[0] for c in DATES])
def test_dates(data_dir: Path, line, problems, hints) -> None:
    check(data_dir, changed("submitted: 2022-06-24", line), problems, hints)


def test_submitted_after_the_as_of_date(data_dir: Path) -> None:
    text = changed("submitted: 2022-06-24", "submitted: 2022-07-24")
    check(
        data_dir,
        text,
        ["3:12: Y213"],
        ["报送日期2022-07-24晚于今天（2022年6月30日）", "请检查年份和月份是否写错"],
        "--as-of",
        "2022-06-30",
    )
    assert run_cli("--data", "data", "validate", "--as-of", "2022-07-24").exit_code == 0  # the same day is fine


def test_as_of_must_be_a_date(data_dir: Path) -> None:
    result = run_cli("--data", "data", "validate", "--as-of", "2022-06-31")
    assert result.exit_code == 2 and "日期2022-06-31不存在：2022年6月只有30天" in result.output


def test_submitted_in_the_future_of_today(data_dir: Path) -> None:
    check(data_dir, changed("submitted: 2022-06-24", "submitted: 2062-06-24"), ["3:12: Y213"], ["晚于今天"])


# --- encodings (编码) ----------------------------------------------------------------------------

SAVE_AS = "记事本“另存为”时编码选“UTF-8”"


def test_gbk_file(data_dir: Path) -> None:
    check(data_dir, REPORT.encode("gbk"), ["1:7: Y001"], ["看起来是 GBK/GB18030 编码", "yejin 不读取这种文件", SAVE_AS])


def test_gb18030_file(data_dir: Path) -> None:
    text = changed('progress: "截至6月底累计检查 9 个"', 'progress: "㐀 检查"')  # 㐀 exists in GB18030, not in GBK
    check(data_dir, text.encode("gb18030"), ["1:7: Y001"], ["GBK/GB18030", SAVE_AS])


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be-bom"])
def test_utf16_file(data_dir: Path, encoding: str) -> None:
    raw = REPORT.encode("utf-16") if encoding == "utf-16" else b"\xfe\xff" + REPORT.encode("utf-16-be")
    check(data_dir, raw, ["1:1: Y001"], ["文件是 UTF-16 编码", "yejin 只读取 UTF-8", SAVE_AS])


def test_utf8_with_bom_is_read(data_dir: Path) -> None:
    write_report(data_dir, "reports/taiyuan/2022-06.yaml", b"\xef\xbb\xbf" + REPORT.encode())
    assert run_cli("--data", "data", "validate").exit_code == 0


def test_windows_line_ends_are_read(data_dir: Path) -> None:
    write_report(data_dir, "reports/taiyuan/2022-06.yaml", REPORT.replace("\n", "\r\n").encode())
    assert run_cli("--data", "data", "validate").exit_code == 0


# --- YAML 1.1 surprises: say what YAML made of the value and how to quote it ----------------------

YAML11 = [
    (
        "octal-count",
        "sources_inspected: 9",
        "sources_inspected: 010",
        ["12:26: Y008"],
        ["未加引号的010被 YAML 1.1当作八进制数读成了8", "写10"],
    ),
    (
        "underscore-count",
        "sources_inspected: 9",
        "sources_inspected: 1_000",
        ["12:26: Y008"],
        ["去掉下划线的数读成了1000"],
    ),
    (
        "time-of-day",
        'progress: "截至6月底累计检查 9 个"',
        "progress: 10:30",
        ["10:15: Y008"],
        ["六十进制数读成了630", '请加引号："10:30"'],
    ),
    (
        "unquoted-mobile",
        'phone: "13912345678"',
        "phone: 13912345678",
        ["6:24: Y108"],
        ["读成了整数", '请加引号："13912345678"'],
    ),
    ("no-as-a-name", "{name: 李四", "{name: no", ["6:13: Y008"], ["被 YAML 1.1读成了布尔值 false", '请加引号："no"']),
    (
        "on-as-a-key",
        "    status: 推进中",
        "    status: 推进中\n    on: 1",
        ["10:5: Y008", "10:5: Y101"],
        ["读成了布尔值 true", '"on"'],
    ),
    ("yes-as-a-status", "status: 推进中", "status: yes", ["9:13: Y008"], ["读成了布尔值 true"]),
    (
        "number-where-text-belongs",
        'progress: "截至6月底累计检查 9 个"',
        "progress: 2022.10",
        ["10:15: Y103"],
        ["未加引号的2022.10（YAML 读成了小数2022.1）", '请加引号："2022.10"'],
    ),
    ("unquoted-month-2022.10", 'month: "2022-06"', "month: 2022.10", ["2:8: Y107"], ['"2022-10"', "读成了数字2022.1"]),
]


@pytest.mark.parametrize("old, new, problems, hints", [c[1:] for c in YAML11], ids=[c[0] for c in YAML11])
def test_yaml_1_1_surprises(data_dir: Path, old, new, problems, hints) -> None:
    check(data_dir, changed(old, new), problems, hints)


# --- and no false blame: the same characters inside free text are just text ---------------------


@pytest.mark.parametrize("text", ["检查\t9 个", "检查　9 个", "一、　检查", "甲，乙，丙", "注：说明"])
def test_characters_in_free_text_are_not_blamed_for_another_mistake(data_dir: Path, text: str) -> None:
    """The line after has a real mistake (indented 3 spaces): the location is that line, the hint generic."""
    broken = changed('    progress: "截至6月底累计检查 9 个"\n    indicators:', f"    progress: {text}\n   indicators:")
    result = check(data_dir, broken, ["11:4: Y002"], ["请检查该行及上一行的缩进、冒号和引号是否成对"])
    assert "制表符" not in result.output and "全角" not in result.output


@pytest.mark.parametrize("text", ["检查\t9 个", "检查　9 个", "“双随机”检查", "甲，乙", "注：说明"])
def test_those_characters_in_free_text_are_accepted(data_dir: Path, text: str) -> None:
    write_report(data_dir, "reports/taiyuan/2022-06.yaml", changed('"截至6月底累计检查 9 个"', text))
    result = run_cli("--data", "data", "validate")
    assert result.exit_code == 0, result.output
