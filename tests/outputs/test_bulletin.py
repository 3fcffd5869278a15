"""`yejin bulletin`: the circular drafted from the data, as Markdown and as an official-style docx."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from conftest import REPO as ROOT
from conftest import SHIPPED_DATA, TESTS
from yejin.cli import app

FIXTURE = TESTS / "fixtures" / "status"
runner = CliRunner()


def run(*args: str, data: Path = FIXTURE):
    result = runner.invoke(app, ["--data", str(data), *args], env={"GITHUB_ACTIONS": None})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_markdown_is_exact():
    """Late (大同), missing (吕梁, its May carried), red (措施 1), yellow by deadline (措施 2, the department's
    own) and behind pace (措施 3); the cities counted apart from the department; dated 2022年7月5日."""
    result = run("bulletin", "--month", "2022-06", "--date", "2022-07-05")
    assert result.exit_code == 0
    assert result.stdout == (FIXTURE / "expected-bulletin.md").read_text(encoding="utf-8")


def _numbers_of(doc, events, written_on: str = "") -> set[str]:
    """Every number the status document holds, in the forms the bulletin writes them."""
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif isinstance(node, bool) or node is None:
            return
        elif isinstance(node, (int, float)):
            found.add(str(node))
            found.add(str(abs(node)))  # days overdue are written without the sign
            found.add(f"{node:.1f}")  # rates
            found.add(f"{node * 100:.1f}")  # shares as percentages
        elif isinstance(node, str):
            found.update(re.findall(r"\d+(?:\.\d+)?", node))

    walk(doc)
    walk(events)
    months = [x["carried_from"] for x in doc["submissions"] if x["carried_from"]]  # 数据沿用 5 月
    dates = [doc["as_of"], doc["period_end"], doc["month"] + "-01", *(m + "-01" for m in months)]
    for iso in dates + [written_on] * bool(written_on) + [m["deadline"] for m in doc["measures"]]:
        found.update(str(int(x)) for x in iso.split("-"))
    found.update(str(n) for n in range(1, 11))  # heading numbers （一）… are words; arabic only in lists
    return found


def test_every_number_comes_from_status_json():
    """The bulletin's as-of date is its 成文日期; status --json for the same as-of has every number it writes."""
    bulletin = run("bulletin", "--month", "2022-06", "--date", "2022-07-05").stdout
    doc = json.loads(run("status", "--month", "2022-06", "--as-of", "2022-07-05", "--json").stdout)
    events = json.loads(run("events", "--month", "2022-06", "--json").stdout)
    allowed = _numbers_of(doc, events, "2022-07-05")
    for number in re.findall(r"\d+(?:\.\d+)?", bulletin):
        assert number in allowed, f"{number} in the bulletin is not a figure of status --json"
    # and the key figures are there, in their sentences, from the new fields too
    s = doc["summary"]["submissions"]
    assert f"设区市{doc['summary']['cities']}个，按时报送{s['on_time']}个" in bulletin
    assert "大同市（迟3天）" in bulletin and "未报送1个：吕梁市" in bulletin
    lvliang = next(x for x in doc["submissions"] if x["unit_id"] == "lvliang")
    assert f"吕梁市6月未报，数据沿用{int(lvliang['carried_from'][5:])}月" in bulletin
    assert "检查重大危险源数累计8个（本月3个），完成目标80个的10.0%" in bulletin
    m = {x["number"]: x for x in doc["measures"]}
    assert f"序时进度{m[3]['time_share'] * 100:.1f}%" in bulletin
    c = m[1]["cities"]
    assert f"措施1（排查整改）已有{c['done']}个设区市完成（共{c['applicable']}个），省厅已完成" in bulletin
    behind = doc["units_behind"][0]
    assert f"{behind['unit']}逾期未完成措施{behind['overdue'][0]}" in bulletin
    assert "2022年7月5日" in bulletin


def test_shipped_data_numbers_match_too():
    data = ROOT / "data"
    bulletin = run("bulletin", "--month", "2022-06", "--date", "2022-07-05", data=data).stdout
    doc = json.loads(run("status", "--month", "2022-06", "--as-of", "2022-07-05", "--json", data=data).stdout)
    allowed = _numbers_of(doc, [], "2022-07-05")
    assert all(n in allowed for n in re.findall(r"\d+(?:\.\d+)?", bulletin))


def test_template_is_the_departments_file(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    template = data / "bulletin-template.md"
    template.write_text(
        "# 注释\n（一）只有一条要求。\n下次时限 ${next_deadline}，措施：${next_deadline_measures}。\n", encoding="utf-8"
    )
    out = run("bulletin", data=data).stdout
    assert "### （一）只有一条要求\n\n下次时限2022年7月15日，措施：措施2。" in out  # a heading ends without a stop
    template.write_text("要求 ${unknown_thing}\n", encoding="utf-8")
    result = run("bulletin", data=data)
    assert result.exit_code == 1 and "${unknown_thing}" in result.output
    template.unlink()
    result = run("bulletin", data=data)
    assert result.exit_code == 1 and "bulletin-template.md" in result.output


def _font_of(run) -> str:
    fonts = run._element.rPr.rFonts
    return fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")


def test_docx_title_headings_and_fonts(tmp_path):
    out = tmp_path / "通报.docx"
    result = run("bulletin", "--format", "docx", "-o", str(out))
    assert result.exit_code == 0 and result.stdout.strip() == str(out)
    document = docx.Document(str(out))
    paragraphs = [p for p in document.paragraphs if p.text]
    title = paragraphs[0]
    assert title.text == "关于测试专项行动2022年6月份\n工作进展情况的通报"  # two lines, the month kept whole
    assert title.alignment == 1  # centred
    assert _font_of(title.runs[0]) == "方正小标宋简体" and title.runs[0].font.size.pt == 22
    h1 = [p for p in paragraphs if re.match(r"^[一二三四五六七八九十]、", p.text)]
    assert [p.text for p in h1] == [
        "一、总体情况",
        "二、报送情况",
        "三、各项任务进展",
        "四、存在问题",
        "五、重要情况",
        "六、下步要求",
    ]
    assert all(_font_of(p.runs[0]) == "黑体" and p.runs[0].font.size.pt == 16 for p in h1)
    h2 = next(p for p in paragraphs if p.text == "（一）逾期未完成的措施")
    assert _font_of(h2.runs[0]) == "楷体_GB2312"
    body = next(p for p in paragraphs if p.text.startswith("截至") and "应报送月报的设区市" in p.text)
    assert _font_of(body.runs[0]) == "仿宋_GB2312" and body.runs[0].font.size.pt == 16
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    footer_xml = section.footer.paragraphs[0]._element.xml
    assert "PAGE" in footer_xml and "— " in section.footer.paragraphs[0].text


def test_docx_default_name_and_no_overwrite(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = run("bulletin", "--format", "docx")
    assert first.exit_code == 0
    path = tmp_path / "关于测试专项行动2022年6月份工作进展情况的通报.docx"
    assert path.is_file()
    before = path.read_bytes()
    second = run("bulletin", "--format", "docx")
    assert second.exit_code == 1 and "已存在" in second.output
    assert path.read_bytes() == before
    assert run("bulletin", "--format", "docx", "--force").exit_code == 0


def test_a_broken_report_is_left_out_of_the_bulletin_and_said_so(tmp_path):
    """issue 14: a broken file no longer stops the bulletin; it names the file's unit, and --strict refuses."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    (data / "reports" / "taiyuan" / "2022-06.yaml").write_text("unit: [\n", encoding="utf-8")
    result = run("bulletin", "--month", "2022-06", "--date", "2022-07-05", data=data)
    assert result.exit_code == 0
    assert "太原市6月报告有误，未计入" in result.stdout
    assert "太原市、吕梁市6月未报，数据沿用5月" in result.stdout  # both stand with their May reports
    assert "Y002" in result.stderr  # the file and its first error, on stderr
    strict = run("bulletin", "--strict", data=data)
    assert strict.exit_code == 1 and "Y002" in strict.output and "通报" not in strict.stdout


def test_data_cannot_add_markup_to_the_markdown(tmp_path):
    """An event title once went into the 通报 verbatim: a fake section, a sign-off, HTML, a link."""
    from yejin.outputs.bulletin import Block, to_markdown

    title = "事故\n\n## 六、伪造的一节\n\n<script>alert(1)</script> [点此](javascript:alert(1))\n\n山西省应急管理厅"
    text = to_markdown([Block("title", "通报"), Block("p", f"6月12日，太原市报告其他：{title}。")])
    assert text.splitlines() == [
        "# 通报",
        "",
        "6月12日，太原市报告其他：事故  ## 六、伪造的一节  \\<script\\>alert(1)\\</script\\> "
        "\\[点此\\](javascript:alert(1))  山西省应急管理厅。",
    ]
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    event = next((data / "reports" / "datong" / "events").glob("*.yaml"))
    original = re.search(r"^title: (.*)$", event.read_text(encoding="utf-8"), re.MULTILINE)[1]
    hostile = '"# 伪造标题 <script>x</script> [点此](javascript:alert(1)) *粗体*"'
    event.write_text(event.read_text(encoding="utf-8").replace(original, hostile), encoding="utf-8")
    result = run("bulletin", "--month", "2022-06", "--as-of", "2022-06-30", data=data)
    assert result.exit_code == 0, result.output
    assert [line for line in result.stdout.splitlines() if line.startswith("#")] == [
        line
        for line in run("bulletin", "--month", "2022-06", "--as-of", "2022-06-30").stdout.splitlines()
        if line.startswith("#")
    ]
    assert (
        "报告重大隐患：# 伪造标题 \\<script\\>x\\</script\\> \\[点此\\](javascript:alert(1)) \\*粗体\\*"
        in result.stdout
    )
    docx_path = tmp_path / "b.docx"
    result = run("bulletin", "--month", "2022-06", "--format", "docx", "-o", str(docx_path), data=data)
    assert result.exit_code == 0, result.output
    texts = [p.text for p in docx.Document(str(docx_path)).paragraphs]
    assert any("# 伪造标题 <script>x</script> [点此](javascript:alert(1)) *粗体*" in t for t in texts)  # plain text


def test_a_template_linked_out_of_the_data_folder_is_not_read(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    secret = tmp_path / "secret.md"
    secret.write_text("机密：hunter2\n", encoding="utf-8")
    (data / "bulletin-template.md").unlink()
    (data / "bulletin-template.md").symlink_to(secret)
    result = run("bulletin", "--month", "2022-06", data=data)
    assert result.exit_code == 1 and "bulletin-template.md：符号链接指向数据目录之外" in result.output
    assert "hunter2" not in result.output


GAP = re.compile(r"[\u4e00-\u9fff] [0-9]|[0-9] [\u4e00-\u9fff]")


@pytest.mark.parametrize(
    "folder, month, written",
    [(SHIPPED_DATA, f"2022-0{m}", "2022-07-05") for m in (3, 4, 5, 6)]
    + [(TESTS / "fixtures" / "midjuly", "2022-07", "2022-07-20")],  # carried, late, broken, draft, not yet due
)
def test_no_space_between_chinese_and_digits_in_the_bulletin(folder, month, written, tmp_path):
    """Official Chinese text has no space between digits and characters (截至2022年6月30日, 12个): the
    shipped data's months and a month with every kind of submission, in Markdown and in Word, even where
    wording is quoted from tasks.yaml."""
    runner = CliRunner()
    base = ["--data", str(folder), "bulletin", "--month", month, "--date", written]
    md = runner.invoke(app, base)
    assert md.exit_code == 0, md.output
    out = tmp_path / "b.docx"
    assert runner.invoke(app, [*base, "--format", "docx", "-o", str(out)]).exit_code == 0
    paragraphs = [p.text for p in docx.Document(str(out)).paragraphs]
    assert [line for line in md.stdout.splitlines() if GAP.search(line)] == []
    assert [p for p in paragraphs if GAP.search(p)] == []
