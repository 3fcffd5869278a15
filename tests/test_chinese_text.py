"""No space between Chinese and digits in anything yejin writes (issue 17): every output of the shipped
data, of a month in progress (tests/fixtures/midjuly: partial, late, carried, one broken file) and of a
city whose counties report (tests/fixtures/counties), read back from the files a person opens.

One case per output, so a failure names the output; the message lists every place found.
"""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from chinese_text import gaps, gaps_in
from conftest import REPO
from yejin.cli import app

SHIPPED = REPO / "data"
MIDJULY = REPO / "tests" / "fixtures" / "midjuly"
COUNTIES = REPO / "tests" / "fixtures" / "counties"

# (name, data folder, arguments, output file name or None for what the command prints; with --json, the
# document the command prints, read as JSON)
OUTPUTS = [
    ("status", SHIPPED, ["status", "-m", "2022-06", "--as-of", "2022-07-10"], None),
    ("status-next-month", SHIPPED, ["status", "-m", "2022-07", "--as-of", "2022-07-10"], None),
    ("status-json", SHIPPED, ["status", "-m", "2022-06", "--as-of", "2022-07-10", "--json"], "out.json"),
    ("status-unit", SHIPPED, ["status", "-m", "2022-06", "-u", "太原", "--as-of", "2022-07-10"], None),
    (
        "status-unit-json",
        SHIPPED,
        ["status", "-m", "2022-06", "-u", "太原", "--as-of", "2022-07-10", "--json"],
        "out.json",
    ),
    ("status-midjuly", MIDJULY, ["status", "--as-of", "2022-07-31"], None),
    ("status-midjuly-json", MIDJULY, ["status", "--as-of", "2022-07-31", "--json"], "out.json"),
    ("status-city-of-counties", COUNTIES, ["status", "-u", "阳泉", "--as-of", "2022-07-10"], None),
    ("deadlines", SHIPPED, ["deadlines", "-m", "2022-06"], None),
    ("deadlines-json", SHIPPED, ["deadlines", "-m", "2022-06", "--json"], "out.json"),
    ("deadlines-midjuly", MIDJULY, ["deadlines"], None),
    ("tasks", SHIPPED, ["tasks"], None),
    ("events", SHIPPED, ["events"], None),
    ("validate-midjuly", MIDJULY, ["validate"], None),
    ("export", SHIPPED, ["export", "-m", "2022-06", "--as-of", "2022-07-10", "-o", "out.xlsx"], "out.xlsx"),
    ("export-midjuly", MIDJULY, ["export", "--as-of", "2022-07-31", "-o", "out.xlsx"], "out.xlsx"),
    ("export-city-of-counties", COUNTIES, ["export", "-u", "阳泉", "-o", "out.xlsx"], "out.xlsx"),
    ("workbook", SHIPPED, ["workbook", "-m", "2022-07", "-u", "太原", "-o", "out.xlsx"], "out.xlsx"),
    ("bulletin-md", SHIPPED, ["bulletin", "-m", "2022-06", "-d", "2022-07-10", "-o", "out.md"], "out.md"),
    (
        "bulletin-docx",
        SHIPPED,
        ["bulletin", "-m", "2022-06", "-d", "2022-07-10", "-f", "docx", "-o", "out.docx"],
        "out.docx",
    ),
    ("bulletin-midjuly", MIDJULY, ["bulletin", "-d", "2022-07-31", "-o", "out.md"], "out.md"),
    ("new-report", SHIPPED, ["new-report", "-m", "2022-07", "-u", "太原"], "data/reports/taiyuan/2022-07.yaml"),
    ("site", SHIPPED, ["site", "--as-of", "2022-07-10", "-o", "site"], "site"),
    ("site-midjuly", MIDJULY, ["site", "--as-of", "2022-07-31", "-o", "site"], "site"),
]


@pytest.mark.parametrize(("name", "data", "args", "output"), OUTPUTS, ids=[o[0] for o in OUTPUTS])
def test_no_space_between_chinese_and_digits(tmp_path, monkeypatch, name, data, args, output):
    monkeypatch.chdir(tmp_path)
    local = tmp_path / "data"
    shutil.copytree(data, local)
    result = CliRunner().invoke(
        app, ["--data", str(local), *args], env={"COLUMNS": "120", "NO_COLOR": "1", "GITHUB_ACTIONS": None}
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 1), result.output  # validate-midjuly: 1, a broken file
    printed = result.output  # stdout and stderr
    if "--json" in args:  # the document on stdout, the rest (files left out) on stderr
        (tmp_path / output).write_text(result.stdout, encoding="utf-8")
        printed = result.stderr
    found = [f"stdout: …{g}…" for g in gaps(printed)]
    if output:
        target = tmp_path / output
        assert target.exists(), result.output
        files = sorted(p for p in target.rglob("*") if p.suffix in (".html", ".json")) if target.is_dir() else [target]
        assert files
        found += [g for f in files for g in gaps_in(f)]
    assert not found, f"{len(found)} 处中文与数字之间有空格：\n" + "\n".join(found[:60])


def test_the_check_finds_what_it_should():
    assert gaps("截至 2022 年 6 月 30 日") and gaps("12 个") and gaps("措施 6 三类") and gaps("67.0% 以上")
    assert not gaps("截至2022年6月30日，12个，措施6") and not gaps("Y103 指标值") and not gaps("措施6\u3000三类")
    assert gaps("0351-6819551 张三") and gaps("GB 30871-2022 实施")  # a phone or a designation beside Chinese too
