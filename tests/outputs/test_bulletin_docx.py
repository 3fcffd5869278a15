"""The 通报's docx to GB/T 9704-2012, read back from its XML: page, grid, fonts, page numbers, 落款,
附件说明, language and document properties.  Each figure is worked out by hand in the comment beside it
(1 mm = 1440 / 25.4 twips = 56.69 twips); tests/outputs/test_bulletin_render.py checks the rendering."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import TESTS
from yejin.cli import app
from yejin.outputs.bulletin import Block
from yejin.outputs.bulletin_docx import title_lines, write_docx

FIXTURE = TESTS / "fixtures" / "status"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("docx") / "通报.docx"
    result = CliRunner().invoke(
        app, ["--data", str(FIXTURE), "bulletin", "--month", "2022-06", "--date", "2022-07-05", "-f", "docx", "-o", str(out)]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as z:
        return {name: z.read(name).decode("utf-8") for name in z.namelist() if name.endswith((".xml", ".rels"))}


def _paragraphs(xml: str) -> list[tuple[str, str]]:
    """(paragraph properties, text) of every paragraph of the body."""
    out = []
    for p in re.findall(r"<w:p>.*?</w:p>|<w:p .*?</w:p>", xml, re.S):
        ppr = re.search(r"<w:pPr>(.*?)</w:pPr>", p, re.S)
        out.append((ppr[1] if ppr else "", "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p))))
    return out


def _find(paragraphs, text: str) -> str:
    return next(ppr for ppr, t in paragraphs if t == text)


def test_page_margins_and_grid(package):
    sect = re.search(r"<w:sectPr.*?</w:sectPr>", package["word/document.xml"], re.S)[0]
    assert '<w:pgSz w:w="11906" w:h="16838"/>' in sect  # A4: 210 × 297 mm
    # 天头 37 mm, 订口 28 mm; 版心 156 × 225 mm leaves 210 − 28 − 156 = 26 mm right and 297 − 37 − 225 = 35 mm below
    assert 'w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"' in sect
    assert 'w:footer="1247"' in sect  # 22 mm: the page number's top about 7 mm under the 版心 (render test)
    # 22 lines: 225 mm = 12756 twips / 22 = 579; 28 characters: 156 mm = 442.2 pt / 28 = 15.79 pt,
    # 0.207 pt less than 三号 16 pt = −847 / 4096 pt
    assert '<w:docGrid w:linePitch="579" w:type="lines" w:charSpace="-847"/>' in sect


def test_body_runs_fit_28_characters(package):
    xml = package["word/document.xml"]
    body = re.search(r"<w:r><w:rPr>(<w:rFonts[^>]*仿宋_GB2312[^>]*/>.*?)</w:rPr><w:t>截至", xml, re.S)[1]
    assert '<w:spacing w:val="-5"/><w:sz w:val="32"/>' in body  # 16 pt − 0.25 pt = 15.75 pt ≤ 15.79 pt
    assert 'w:eastAsia="仿宋_GB2312"' in body
    assert re.search(r'<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>', package["word/styles.xml"])
    paragraphs = _paragraphs(xml)
    body_ppr = _find(paragraphs, "各市应急管理局：")
    assert '<w:spacing w:line="579" w:lineRule="exact"' in body_ppr  # one grid line each


def test_title_heading_and_blank_line(package):
    paragraphs = _paragraphs(package["word/document.xml"])
    ppr, text = paragraphs[0]
    assert text == "关于测试专项行动2022年6月份工作进展情况的通报"
    assert '<w:snapToGrid w:val="0"/>' in ppr and '<w:jc w:val="center"/>' in ppr and "<w:keepNext/>" in ppr
    assert paragraphs[1][1] == ""  # one blank line under the title
    assert paragraphs[2][1] == "各市应急管理局："
    xml = package["word/document.xml"]
    title = re.search(r"<w:p>.*?</w:p>", xml, re.S)[0]
    assert title.count("<w:br/>") == 1 and 'w:eastAsia="方正小标宋简体"' in title and '<w:sz w:val="44"/>' in title
    for heading in ("一、总体情况", "（一）第一项任务", "（一）逾期未完成的措施"):
        assert "<w:keepNext/>" in _find(paragraphs, heading)  # never alone at the foot of a page


def test_headings_fonts():
    from docx import Document

    document = Document(str(_write([Block("h1", "一、总体情况"), Block("h2", "（一）第一项任务")])))
    fonts = [p.runs[0]._element.rPr.rFonts.get(f"{W}eastAsia") for p in document.paragraphs]
    assert fonts == ["黑体", "楷体_GB2312"]


def _write(blocks: list[Block]) -> Path:
    import tempfile

    path = Path(tempfile.mkdtemp()) / "b.docx"
    write_docx(blocks, path)
    return path


def test_page_numbers_odd_right_even_left(package):
    assert "<w:evenAndOddHeaders/>" in package["word/settings.xml"]
    rels = package["word/_rels/document.xml.rels"]
    sect = re.search(r"<w:sectPr.*?</w:sectPr>", package["word/document.xml"], re.S)[0]
    footers = {}
    for kind, rid in re.findall(r'<w:footerReference w:type="(\w+)" r:id="(\w+)"/>', sect):
        target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"', rels) or re.search(
            rf'Target="([^"]+)"[^>]*Id="{rid}"', rels
        )
        footers[kind] = package["word/" + target[1]]
    # 四号 = 14 pt = 280 twips: 空一字 from the outside edge
    assert '<w:ind w:right="280"/><w:jc w:val="right"/>' in footers["default"]
    assert '<w:ind w:left="280"/><w:jc w:val="left"/>' in footers["even"]
    for xml in footers.values():
        assert '<w:t xml:space="preserve">— </w:t>' in xml and " PAGE " in xml
        assert 'w:eastAsia="宋体"' in xml and '<w:sz w:val="28"/>' in xml


def test_signature_centred_over_the_date_and_attachment_hanging(package):
    paragraphs = _paragraphs(package["word/document.xml"])
    texts = [t for _, t in paragraphs]
    # one grid character = 15.79 pt = 315 twips.  成文日期 2022年7月5日 is 4 + 1 + 1 half-width digits
    # (3 characters) and 年月日: 6 characters wide, 右空四字: 4 × 315 = 1260 twips from the right
    date = _find(paragraphs, "2022年7月5日")
    assert '<w:ind w:right="1260" w:rightChars="400"/>' in date and '<w:jc w:val="right"/>' in date
    # 署名 山西省应急管理厅 (8 characters) centred over it: 4 + (6 − 8) / 2 = 3 characters from the right
    signature = paragraphs[texts.index("2022年7月5日") - 1]
    assert signature[1] == "山西省应急管理厅"
    assert '<w:ind w:right="945" w:rightChars="300"/>' in signature[0] and "<w:keepNext/>" in signature[0]
    assert texts[texts.index("山西省应急管理厅") - 2 : texts.index("山西省应急管理厅")] == ["", ""]  # room for the 印章
    # 附件：… 左空二字 + 附件： (3 characters) = 5 × 315; the second line under the name's first character
    attachment = next(ppr for ppr, t in paragraphs if t.startswith("附件："))
    assert '<w:ind w:left="1575" w:leftChars="500" w:hanging="945" w:hangingChars="300"/>' in attachment


def test_language_and_honest_properties(package):
    styles = package["word/styles.xml"]
    defaults = re.search(r"<w:docDefaults>.*?</w:docDefaults>", styles, re.S)[0]
    assert 'w:eastAsia="zh-CN"' in defaults  # Chinese text is zh-CN; digits and Latin en-US as Chinese Word writes
    assert 'w:eastAsia="仿宋_GB2312"' in defaults
    core = package["docProps/core.xml"]
    assert "<dc:creator>山西省应急管理厅</dc:creator>" in core  # the issuing department
    assert "<dc:language>zh-CN</dc:language>" in core
    assert "<dc:description></dc:description>" in core  # not "generated by python-docx"
    assert "<Application>yejin</Application>" in package["docProps/app.xml"]
    for name, xml in package.items():
        assert "python-docx" not in xml and "Macintosh" not in xml and 'en-US" w:eastAsia="en-US' not in xml, name
    assert "thumbnail" not in package["_rels/.rels"]
    fonts = package["word/fontTable.xml"]
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/><w:charset w:val="86"/>' in fonts


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        (
            "关于冶金制造安全专项整治三年行动2022年6月份工作进展情况的通报",
            ["关于冶金制造安全专项整治三年行动", "2022年6月份工作进展情况的通报"],
        ),
        ("关于测试专项行动2022年6月份工作进展情况的通报", ["关于测试专项行动2022年6月份", "工作进展情况的通报"]),
        ("关于测试2022年6月份的通报", ["关于测试2022年6月份的通报"]),
    ],
)
def test_title_never_breaks_inside_the_month(title, lines):
    assert title_lines(title) == lines


def test_public_note_and_imprint(tmp_path):
    """附注 (此件公开发布) under the date; 版记: 抄送 and 印发机关/印发日期 between rules, thick outside, thin between."""
    args = [
        "--data",
        str(FIXTURE),
        "bulletin",
        "--month",
        "2022-06",
        "--date",
        "2022-07-05",
        "--public",
        "此件公开发布",
    ]
    args += ["--cc", "省政府安委办", "--cc", "应急管理部", "--printed-by", "山西省应急管理厅办公室"]
    markdown = CliRunner().invoke(app, args)
    assert markdown.exit_code == 0, markdown.output
    assert markdown.stdout.endswith(
        "2022年7月5日\n\n（此件公开发布）\n\n抄送：省政府安委办，应急管理部。\n\n山西省应急管理厅办公室　　2022年7月5日印发\n"
    )
    out = tmp_path / "b.docx"
    assert CliRunner().invoke(app, [*args, "-f", "docx", "-o", str(out)]).exit_code == 0
    with zipfile.ZipFile(out) as z:
        paragraphs = _paragraphs(z.read("word/document.xml").decode("utf-8"))
    texts = [t for _, t in paragraphs]
    assert texts[texts.index("2022年7月5日") + 1] == "（此件公开发布）"
    copy_ppr = _find(paragraphs, "\u3000抄送：省政府安委办，应急管理部。")
    printed_ppr = _find(paragraphs, "\u3000山西省应急管理厅办公室2022年7月5日印发\u3000")
    assert '<w:top w:val="single" w:sz="8"' in copy_ppr and '<w:bottom w:val="single" w:sz="6"' in copy_ppr
    assert '<w:top w:val="single" w:sz="6"' in printed_ppr and '<w:bottom w:val="single" w:sz="8"' in printed_ppr
    assert '<w:tab w:pos="8844" w:val="right"/>' in printed_ppr  # 156 mm: 印发日期 flush right
