"""The circular as a .docx laid out like a Chinese official document (GB/T 9704 practice).

A4; title 方正小标宋简体 二号 (22 pt) centred; body 仿宋_GB2312 三号 (16 pt) with a
two-character first-line indent; 一、 headings 黑体 三号; （一） headings 楷体_GB2312 三号;
page numbers `— 1 —` in 宋体 四号 at the bottom.  Font names are set for East Asian
text too (w:eastAsia), which is what Word and WPS use for Chinese characters.
python-docx is imported only here, so only `bulletin --format docx` pays for it.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from yejin.outputs.bulletin import Block

TITLE_FONT, BODY_FONT, H1_FONT, H2_FONT, PAGE_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
SIZE_2, SIZE_3, SIZE_4 = Pt(22), Pt(16), Pt(14)  # 二号, 三号, 四号


def _font(run, name: str, size) -> None:
    run.font.name = name
    run.font.size = size
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _paragraph(document, text: str, font: str, size, align=None, indent: bool = False, space_after: int = 0):
    p = document.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing = Pt(28)  # the usual fixed 28 pt line spacing of official documents
    fmt.space_after = Pt(space_after)
    if indent:
        fmt.first_line_indent = Pt(32)  # two characters of 三号
    if align is not None:
        p.alignment = align
    _font(p.add_run(text), font, size)
    return p


def _page_number_footer(section) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run("— "), PAGE_FONT, SIZE_4)
    run = p.add_run()
    _font(run, PAGE_FONT, SIZE_4)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    _font(p.add_run(" —"), PAGE_FONT, SIZE_4)


def write_docx(blocks: list[Block], path: Path, created=None) -> None:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _page_number_footer(section)
    style = document.styles["Normal"]
    style.font.name = BODY_FONT
    style.font.size = SIZE_3
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    props = document.core_properties
    props.author = blocks[-2].text if len(blocks) > 1 else ""
    props.title = blocks[0].text if blocks else ""
    if created is not None:  # reproducible: the same data gives the same document properties
        props.created = props.modified = created
        props.last_modified_by = props.author
    for b in blocks:
        if b.kind == "title":
            _paragraph(document, b.text, TITLE_FONT, SIZE_2, WD_ALIGN_PARAGRAPH.CENTER, space_after=16)
        elif b.kind == "addressee":
            _paragraph(document, b.text, BODY_FONT, SIZE_3)
        elif b.kind == "h1":
            _paragraph(document, b.text, H1_FONT, SIZE_3, indent=True)
        elif b.kind == "h2":
            _paragraph(document, b.text, H2_FONT, SIZE_3, indent=True)
        elif b.kind == "attachment":
            _paragraph(document, "", BODY_FONT, SIZE_3)
            _paragraph(document, b.text, BODY_FONT, SIZE_3, indent=True)
        elif b.kind == "signature":
            _paragraph(document, "", BODY_FONT, SIZE_3)
            _paragraph(document, b.text, BODY_FONT, SIZE_3, WD_ALIGN_PARAGRAPH.RIGHT)
        elif b.kind == "date":
            _paragraph(document, b.text, BODY_FONT, SIZE_3, WD_ALIGN_PARAGRAPH.RIGHT)
        else:
            _paragraph(document, b.text, BODY_FONT, SIZE_3, indent=True)
    document.save(str(path))
