"""yejin.yaml_loader: the PyYAML traps, each measured, each located.

Every test runs twice: with libyaml's composer (CSafeLoader, what users get) and with the
pure-Python one (what they get where PyYAML was built without libyaml).  The two differ in
small ways (plain scalars have style None in one and "" in the other) that once hid every
YAML 1.1 surprise from the C path.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
import yaml

from conftest import MINIMAL_REPORT
from yejin.campaign.models import Report
from yejin.checking.validation import validate
from yejin.reading import yaml_loader
from yejin.reading.yaml_loader import MAX_FILE_BYTES, Document, load_bytes, load_file, load_text

LOADERS = {"libyaml": getattr(yaml, "CSafeLoader", None), "python": yaml.SafeLoader}


@pytest.fixture(autouse=True, params=sorted(LOADERS))
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    cls = LOADERS[request.param]
    if cls is None:
        pytest.skip("PyYAML was built without libyaml")
    monkeypatch.setattr(yaml_loader, "_Loader", cls)
    return request.param


def load(text: str) -> tuple[Document | None, list]:
    return load_text(text, "t.yaml")


def only(problems: list, code: str):
    assert [p.code for p in problems] == [code], problems
    return problems[0]


def report_problems(text: str) -> list:
    """Loader problems plus model problems for a report, as `yejin validate` would list them."""
    doc, problems = load(text)
    assert doc is not None, problems
    _, more = validate(doc, Report)
    return problems + more


# --- dates -------------------------------------------------------------------------------------


def test_nonexistent_date_is_located() -> None:
    doc, problems = load("unit: 太原\nsubmitted: 2022-06-31\n")
    p = only(problems, "Y007")
    assert (p.path, p.line, p.column) == ("t.yaml", 2, 12)
    assert "日期2022-06-31不存在" in p.message and "6月只有30天" in p.hint
    assert doc.data["submitted"] == "2022-06-31"  # kept as typed, not a half-built date
    assert ("submitted",) in doc.reported  # so the model does not report it again


def test_nonexistent_date_reported_once_through_the_model() -> None:
    problems = report_problems(MINIMAL_REPORT.replace("2022-06-24", "2022-02-29"))
    assert [(p.code, p.line, p.column) for p in problems] == [("Y007", 3, 12)]


def test_real_dates_and_months() -> None:
    doc, problems = load('d: 2022-06-28\nm: 2022-06\nq: "2022-06-28"\n')
    assert problems == []
    assert doc.data == {"d": dt.date(2022, 6, 28), "m": "2022-06", "q": "2022-06-28"}
    assert yaml_loader.is_date(doc.data["d"]) and not yaml_loader.is_date(dt.datetime(2022, 6, 28))


# --- YAML 1.1 numbers and booleans (Y008) ------------------------------------------------------


@pytest.mark.parametrize(
    "typed, reading",
    [
        ("010", "八进制数读成了8"),
        ("0351", "八进制数读成了233"),
        ("-010", "八进制数读成了-8"),
        ("10:30", "六十进制数读成了630"),
        ("1:20:30", "六十进制数读成了4830"),
        ("0x1F", "读成了31"),
        ("0b101", "读成了5"),
        ("1_000", "读成了1000"),
        ("1:30.5", "六十进制数读成了90.5"),
    ],
)
def test_surprising_numbers(typed: str, reading: str) -> None:
    doc, problems = load(f"unit: 太原\nvalue: {typed}\n")
    p = only(problems, "Y008")
    assert (p.line, p.column) == (2, 8)
    assert f"未加引号的{typed}被 YAML 1.1当作" in p.message and reading in p.message
    assert f'"{typed}"' in p.hint  # how to quote it
    assert doc.data["value"] == typed  # the text as typed, so nothing else trips on it
    assert ("value",) in doc.reported


def test_leading_zero_hint_names_the_number() -> None:
    _, problems = load("count: 010\n")
    assert "不要以0开头（写10）" in problems[0].hint


@pytest.mark.parametrize("typed", ["010", "0351"])
def test_quoted_or_ordinary_numbers_are_not_surprising(typed: str) -> None:
    doc, problems = load(f'a: "{typed}"\nb: 10\nc: 0\nd: 25.65\ne: -3\nf: 1e3\n')
    assert problems == []
    assert doc.data == {"a": typed, "b": 10, "c": 0, "d": 25.65, "e": -3, "f": "1e3"}


@pytest.mark.parametrize(
    "word, value",
    [
        ("no", "false"),
        ("No", "false"),
        ("off", "false"),
        ("OFF", "false"),
        ("on", "true"),
        ("yes", "true"),
        ("Yes", "true"),
    ],
)
def test_yaml11_booleans_as_values(word: str, value: str) -> None:
    doc, problems = load(f"problems: {word}\n")
    p = only(problems, "Y008")
    assert (p.line, p.column) == (1, 11)
    assert f"未加引号的 {word} 被 YAML 1.1读成了布尔值 {value}" == p.message
    assert f'"{word}"' in p.hint
    assert doc.data == {"problems": word}


@pytest.mark.parametrize("word", ["no", "off", "on", "yes"])
def test_yaml11_booleans_as_keys(word: str) -> None:
    doc, problems = load(f"a: 1\n{word}: 2\n")
    p = only(problems, "Y008")
    assert (p.line, p.column) == (2, 1)
    assert f"未加引号的 {word}" in p.message
    assert doc.data == {"a": 1, word: 2}  # kept under its text, so the model can name it


def test_true_false_and_quoted_words_are_fine() -> None:
    doc, problems = load("a: true\nb: false\nc: \"no\"\nd: 'on'\ne: n\nf: y\n")
    assert problems == []
    assert doc.data == {"a": True, "b": False, "c": "no", "d": "on", "e": "n", "f": "y"}


def test_true_as_key_is_not_text() -> None:
    _, problems = load("true: 1\n")
    p = only(problems, "Y010")
    assert (p.line, p.column) == (1, 1)


def test_sources_keep_the_text_of_plain_numbers() -> None:
    doc, problems = load('phone: 13912345678\nmonth: 2022.10\nq: "13912345678"\n')
    assert problems == []
    assert doc.data["phone"] == 13912345678 and doc.data["month"] == 2022.1
    assert doc.sources[("phone",)] == "13912345678"
    assert doc.sources[("month",)] == "2022.10"
    assert ("q",) not in doc.sources


def test_unquoted_month_float_asks_for_quotes_and_names_the_right_month() -> None:
    problems = report_problems(MINIMAL_REPORT.replace('"2022-06"', "2022.10"))
    p = only(problems, "Y107")
    assert (p.line, p.column) == (2, 8)
    assert '"2022-10"' in p.message and "2022-01" not in p.message
    assert "2022.10" in p.hint and "引号" in p.hint


def test_unquoted_mobile_asks_for_quotes() -> None:
    problems = report_problems(MINIMAL_REPORT.replace('"13912345678"', "13912345678"))
    p = only(problems, "Y108")
    assert (p.line, p.column) == (6, 24)
    assert "加引号" in p.message and '请加引号："13912345678"' in p.hint


def test_unquoted_landline_is_already_text() -> None:
    doc, problems = load("phone: 0351-6819551\n")
    assert problems == [] and doc.data == {"phone": "0351-6819551"}


def test_time_in_progress_is_y008_not_a_type_error() -> None:
    text = MINIMAL_REPORT + "measures:\n  1:\n    status: 推进中\n    progress: 10:30\n"
    problems = report_problems(text)
    assert [(p.code, p.line) for p in problems] == [("Y008", 10)]


# --- structure ---------------------------------------------------------------------------------


def test_duplicate_keys() -> None:
    doc, problems = load("a: 1\nb:\n  c: 2\n  c: 3\na: 4\n")
    assert [(p.code, p.line, p.column) for p in problems] == [("Y003", 4, 3), ("Y003", 5, 1)]
    assert "第一次在第3行" in problems[0].message and "第一次在第1行" in problems[1].message
    assert doc.data == {"a": 1, "b": {"c": 2}}  # the first value is kept


def test_positions_of_values_and_keys() -> None:
    doc, problems = load("a:\n  b: [x, {c: 5}]\n")
    assert problems == []
    assert doc.positions[("a", "b", 1, "c")] == (2, 14)
    assert doc.key_positions[("a", "b")] == (2, 3)
    assert doc.position(("a", "b", 1, "missing")) == (2, 10)  # nearest parent: the {
    assert doc.position(("a", "b"), prefer_key=True) == (2, 3)
    assert doc.position(("nowhere",)) == (1, 1)


@pytest.mark.parametrize("text, line", [("", 1), ("# 只有注释\n", 1), ("\n\n", 1)])
def test_empty_file(text: str, line: int) -> None:
    doc, problems = load(text)
    assert doc is None
    assert only(problems, "Y009").message == "文件是空的"


@pytest.mark.parametrize("text", ["- a\n- b\n", "hello\n", "42\n", "---\n"])
def test_top_level_must_be_a_mapping(text: str) -> None:
    doc, problems = load(text)
    assert doc is None
    assert "映射" in only(problems, "Y009").message


@pytest.mark.parametrize("key", ["~", "null", "2022-06-24", "1.5", "[a, b]", "{a: 1}"])
def test_non_text_keys(key: str) -> None:
    doc, problems = load(f"ok: 1\n{key}: x\n")
    p = only(problems, "Y010")
    assert (p.line, p.column) == (2, 1)
    assert doc.data == {"ok": 1}


def test_integer_keys_are_kept() -> None:
    doc, problems = load("measures:\n  1: {status: 推进中}\n  18: {status: 已完成}\n")
    assert problems == [] and list(doc.data["measures"]) == [1, 18]


# --- tags --------------------------------------------------------------------------------------


def test_python_object_tag_is_refused_and_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    doc, problems = load(f'problems: !!python/object/apply:os.system ["touch {marker}"]\n')
    p = only(problems, "Y004")
    assert (p.line, p.column) == (1, 11)
    assert "!!python/object/apply:os.system" in p.message
    assert doc.data == {"problems": None}
    assert not marker.exists()


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/name:os.system\n",
        "a: !include other.yaml\n",
        "a: !!binary aGk=\n",
        "a: !!set {x}\n",
        "a: !custom [1]\n",
        "!!python/name:os.system : 1\n",
    ],
)
def test_other_tags_are_refused(text: str) -> None:
    _, problems = load(text)
    assert only(problems, "Y004").line == 1


def test_explicit_standard_tags_are_fine() -> None:
    doc, problems = load('a: !!str 010\nb: !!int "12"\n')
    assert problems == [] and doc.data == {"a": "010", "b": 12}


@pytest.mark.parametrize(
    "text",
    [
        'a: !!int "abc"',
        "a: !!int abc",
        "a: !!float x",
        "a: !!int 0x",
        'a: !!int ""',
        'a: !!float ""',
        "a: !!timestamp nope",
        "a: !!bool maybe",
        "a: !!null x",
    ],
)
def test_explicit_tag_on_text_that_does_not_fit(text: str) -> None:
    """PyYAML's constructors raise (or drop the text) here; the loader reports it instead."""
    doc, problems = load(text + "\n")
    p = only(problems, "Y004")
    assert (p.line, p.column) == (1, 4) and "不符" in p.message
    assert doc.data == {"a": text.split(" ", 2)[2].strip('"')}
    assert ("a",) in doc.reported


def test_explicit_timestamp_that_does_not_exist_is_y007() -> None:
    _, problems = load("a: !!timestamp 2022-13-45\n")
    assert only(problems, "Y007").column == 4


@pytest.mark.parametrize("digits", ["1" * 101, "1" * 5000, "0" + "1" * 4400, "0x" + "f" * 5000, "-" + "1" * 200])
def test_absurdly_long_integers(digits: str) -> None:
    """Python will not turn more than 4,300 digits into an int; no count has 100."""
    doc, problems = load(f"a: 1\nb: {digits}\n")
    p = only(problems, "Y110")
    assert (p.line, p.column) == (2, 4) and f"有{len(digits):,}位，太长了" in p.message
    assert doc.data["b"] == digits


def test_absurdly_long_integer_as_a_key() -> None:
    doc, problems = load("? " + "9" * 5000 + "\n: x\n")  # plain keys stop at 1024 characters
    assert only(problems, "Y110").line == 1


def test_hundred_digit_integer_is_still_a_number() -> None:
    doc, problems = load("a: " + "9" * 100 + "\n")
    assert problems == [] and doc.data["a"] == int("9" * 100)


def test_merge_key_is_refused() -> None:
    doc, problems = load("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n")
    p = only(problems, "Y004")
    assert (p.line, p.column) == (3, 3) and "<<" in p.message
    assert doc.data["other"] == {"y": 2}  # not silently merged


# --- encodings ---------------------------------------------------------------------------------


def test_utf8_bom_is_accepted() -> None:
    doc, problems = load_bytes(b"\xef\xbb\xbf" + "unit: 太原市\nmonth: x\n".encode(), "t.yaml")
    assert problems == []
    assert doc.data == {"unit": "太原市", "month": "x"}
    assert doc.positions[("month",)] == (2, 8)


def test_gbk_is_rejected_with_a_hint() -> None:
    raw = "# 月报\nunit: 山西省应急管理厅\n".encode("gbk")
    doc, problems = load_bytes(raw, "t.yaml")
    assert doc is None
    p = only(problems, "Y001")
    assert p.line in (1, 2)
    assert "UTF-8" in p.message and "GBK" in p.message
    assert "UTF-8" in p.hint and "另存为" in p.hint


def test_gbk_position_points_at_the_first_bad_character() -> None:
    raw = b"unit: x\nmonth: y\nprogress: " + "已完成".encode("gbk") + b"\n"
    _, problems = load_bytes(raw, "t.yaml")
    assert (problems[0].line, problems[0].column) == (3, 11)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_rejected(encoding: str) -> None:
    raw = "unit: 太原市\n".encode(encoding)
    if encoding != "utf-16":
        raw = (b"\xff\xfe" if encoding.endswith("le") else b"\xfe\xff") + raw
    doc, problems = load_bytes(raw, "t.yaml")
    assert doc is None
    assert "UTF-16" in only(problems, "Y001").message


def test_binary_that_is_not_gbk_either() -> None:
    _, problems = load_bytes(b"a: \xff\xfe\xfd\n", "t.yaml")
    p = only(problems, "Y001")
    assert "GBK" not in p.message and (p.line, p.column) == (1, 4)


def test_control_characters_are_a_syntax_error_not_a_crash() -> None:
    doc, problems = load("a: \x01\n")
    assert doc is None and only(problems, "Y002")


# --- syntax errors (Y002) ----------------------------------------------------------------------


def test_tab_indentation() -> None:
    _, problems = load("contacts:\n\ta: x\n")
    p = only(problems, "Y002")
    assert p.line == 2 and "制表符（Tab）" in p.hint


def test_full_width_colon_on_the_line_before_the_error() -> None:
    text = MINIMAL_REPORT.replace('month: "2022-06"', 'month："2022-06"')
    _, problems = load(text)
    p = only(problems, "Y002")
    assert (p.line, p.column) == (2, 6)  # at the full-width colon; the parser only notices on the next line
    assert "第3行" in p.hint
    assert "全角冒号" in p.hint


def test_full_width_colon_in_a_comment_is_not_blamed() -> None:
    _, problems = load("a: 1  # 注：说明\n  b: 2\n")
    assert "全角冒号" not in only(problems, "Y002").hint


def test_chinese_quotes_hint() -> None:
    _, problems = load("a: [“x”\nb: 1\n")
    assert "中文引号" in only(problems, "Y002").hint


def test_full_width_space_hint() -> None:
    _, problems = load("x: 1\na:\u30001\ny: 2\n")
    p = only(problems, "Y002")
    assert "全角空格" in p.hint


# --- size and bombs (Y005, Y006) ---------------------------------------------------------------


def test_file_size_limit_boundary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_loader, "MAX_FILE_BYTES", 1000)  # the same rule on a small scale
    path = tmp_path / "r.yaml"
    path.write_bytes(b"a: 1\n" + b"#" * 995)  # exactly 1000 bytes
    doc, problems = load_file(path)
    assert problems == [] and doc.data == {"a": 1}
    path.write_bytes(b"a: 1\n" + b"#" * 996)
    doc, problems = load_file(path, "r.yaml")
    assert doc is None and only(problems, "Y005").message.startswith("文件有1,001字节")


def test_file_size_limit(tmp_path: Path) -> None:
    assert MAX_FILE_BYTES == 2 * 1024 * 1024
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: 1\n" + b"#" * MAX_FILE_BYTES)
    start = time.perf_counter()
    doc, problems = load_file(big, "big.yaml")
    assert time.perf_counter() - start < 1  # refused before reading, not parsed
    assert doc is None
    p = only(problems, "Y005")
    assert (p.path, p.line, p.column) == ("big.yaml", 0, 0)
    assert f"{MAX_FILE_BYTES:,}" in p.message


def test_size_limit_applies_to_bytes_too() -> None:
    doc, problems = load_bytes(b"#" * (MAX_FILE_BYTES + 1), "t.yaml")
    assert doc is None and only(problems, "Y005")


def test_missing_file_is_y011(tmp_path: Path) -> None:
    doc, problems = load_file(tmp_path / "gone.yaml", "gone.yaml")
    assert doc is None
    assert only(problems, "Y011").path == "gone.yaml"


def billion_laughs(levels: int = 9) -> str:
    text = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in range(1, levels + 1):
        text += f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]\n"
    return text


def test_alias_bomb_is_refused_quickly_with_a_short_message() -> None:
    text = billion_laughs()
    assert len(text) < 1000
    start = time.perf_counter()
    doc, problems = load(text)
    elapsed = time.perf_counter() - start
    assert elapsed < 5, f"alias bomb took {elapsed:.1f} s"  # only to catch a hang; it is well under 1 s
    assert doc is None
    p = only(problems, "Y006")
    assert p.line >= 1
    assert "别名炸弹" in p.message and "&" in p.hint
    assert len(p.message) + len(p.hint) < 200


def test_small_alias_use_is_fine() -> None:
    doc, problems = load("a: &x {name: 张三}\nb: *x\n")
    assert problems == [] and doc.data == {"a": {"name": "张三"}, "b": {"name": "张三"}}


def test_nesting_deeper_than_the_limit() -> None:
    depth = yaml_loader.MAX_DEPTH + 10
    doc, problems = load("a: " + "[" * depth + "]" * depth + "\n")
    assert doc is None
    p = only(problems, "Y006")
    assert (p.line, p.column) == (1, 4 + yaml_loader.MAX_DEPTH)  # the first [ is depth 1, at column 4


def test_nesting_at_the_limit_is_fine() -> None:
    depth = yaml_loader.MAX_DEPTH - 1
    doc, problems = load("a: " + "[" * depth + "]" * depth + "\n")
    assert problems == [] and doc is not None


def test_absurd_nesting_neither_crashes_nor_hangs() -> None:
    start = time.perf_counter()
    doc, problems = load("[" * 5_000 + "]" * 5_000)
    assert time.perf_counter() - start < 5
    assert doc is None
    assert [p.code for p in problems] in (["Y002"], ["Y006"])  # libyaml stops at 1000 levels itself


def test_read_source_reads_regular_files_only(tmp_path) -> None:
    """A device is refused on the open file itself (not read until memory runs out), a pipe without
    waiting for a writer; at most the limit is read."""
    import os

    from yejin.reading.yaml_loader import MAX_FILE_BYTES, read_source

    start = time.perf_counter()
    raw, problems = read_source(Path("/dev/zero"), "zero.yaml")
    assert raw is None and [p.code for p in problems] == ["Y013"] and "不是普通文件" in problems[0].message
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.yaml")
        raw, problems = read_source(tmp_path / "pipe.yaml", "pipe.yaml")
        assert raw is None and [p.code for p in problems] == ["Y013"]
    assert time.perf_counter() - start < 2
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    assert [p.code for p in read_source(big, "big.yaml")[1]] == ["Y005"]
    ok = tmp_path / "ok.yaml"
    ok.write_bytes(b"a: 1\n")
    assert read_source(ok, "ok.yaml") == (b"a: 1\n", [])


# Every kind of number YAML 1.1 reads from plain text, at its extremes.
EXTREME_NUMBERS = [
    ":".join(["1"] * 180) + ".5",  # base 60: 60**179, more than a float holds (OverflowError in PyYAML)
    ":".join(["59"] * 40),  # a base-60 int of 70 digits
    ":".join(["1"] * 60),  # a base-60 int over 100 characters
    "1" * 100,
    "1" * 101,
    "1" * 5000,  # Python refuses to convert ints of over 4,300 digits
    "0x" + "f" * 98,
    "0b" + "1" * 98,
    "0" + "7" * 99,
    "1_000_000_000_000",
    "1.7e+308",
    "-1.7e+308",
    "1e309",
    "1" * 400 + ".5",
    ".inf",
    "-.inf",
    ".nan",
    "4.9e-324",
    "1e-400",
    "2022-06-24 10:30:00.1234567890123456789 +99:99",
    "9999-12-31",
    "0001-01-01",
]


@pytest.mark.parametrize("number", EXTREME_NUMBERS, ids=[n[:24] for n in EXTREME_NUMBERS])
@pytest.mark.parametrize("tagged", [False, True])
def test_no_number_yaml_can_express_raises(number: str, tagged: bool) -> None:
    """Each parses to a value or a located problem; with a tag too (`!!float 1:1:…`)."""
    from yejin.reading.yaml_loader import load_text

    text = f"a: {'!!float ' if tagged and '.' in number else ''}{number}\nb: [{number}]\n"
    doc, problems = load_text(text, "x.yaml")
    assert doc is not None or problems
    assert all(p.line >= 1 for p in problems), problems
    assert all(len(p.message) < 300 for p in problems), problems


@pytest.mark.parametrize(
    "typed, kept, value, groups",
    [
        ("{found: 3, fixed: 1,234}", "1,234", "1", "“234”"),
        ("{found: 1,234, fixed: 3}", "1,234", "1", "“234”"),
        ("{found: 3, fixed: 12,345,678}", "12,345,678", "12", "“345”“678”"),
        ("{found: 3, fines: 1,234.5}", "1,234.5", "1", "“234.5”"),
    ],
)
def test_a_thousands_separator_in_braces_is_said_not_a_strange_key(typed, kept, value, groups) -> None:
    """In a flow mapping the comma separates pairs: YAML read `1,234` as 1 and a key 234 without a value,
    which came out as “234”应为文本 and a Y207 on the figure 1."""
    text = MINIMAL_REPORT + f"measures:\n  1:\n    status: 推进中\n    indicators: {typed}\n"
    doc, problems = load(text)
    p = only(problems, "Y103")
    assert (p.line, p.column) == (10, len("    indicators: ") + typed.index(kept) + 1)
    assert p.message == (
        f"数字不要加千位分隔符：花括号里的半角逗号分隔各项，YAML 把“{kept}”读成了{value}和名为{groups}的键"
    )
    assert p.hint == f"写成{kept.replace(',', '')}"
    indicators = doc.data["measures"][1]["indicators"]
    assert len(indicators) == 2 and kept in indicators.values()  # as typed; no key made of its digits
    assert report_problems(text) == problems  # said once: the model does not add “234”应为文本


@pytest.mark.parametrize("typed", ["{found: 1, 234: 5}", "{found: 1,234: 5}", "[1,234]", "{found: 1234, fixed: 12}"])
def test_what_is_no_thousands_separator_is_left_alone(typed) -> None:
    doc, problems = load(f"a: {typed}\n")
    assert [p.code for p in problems if p.code == "Y103"] == []
