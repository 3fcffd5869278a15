"""The circular as a .docx laid out to GB/T 9704-2012 (党政机关公文格式).

A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm with a document grid of 22 lines × 28 characters;
title 二号 小标宋体 centred, one blank line under it; body 三号 仿宋_GB2312 indented two characters;
一、 headings 黑体, （一） headings 楷体_GB2312, each kept with the paragraph after it; page numbers
`— 1 —` in 四号 宋体 about 7 mm under the 版心, odd pages right and even pages left, one character
in from the outside edge; 附件说明 with its second line under the attachment name's first character;
the 署名 centred over the 成文日期, which stands four characters in from the right.  Font names are set for East Asian text
(w:eastAsia) with their usual alternatives in the font table, the language is zh-CN, and the file
says who wrote it (the issuing department) and nothing about the library that wrote it.
python-docx is imported only here, so only `bulletin --format docx` pays for it.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips

from yejin.outputs.bulletin import Block

TITLE_FONT, BODY_FONT, H1_FONT, H2_FONT, PAGE_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
# what Word and WPS use when a font is missing (w:altName in the font table); LibreOffice asks fontconfig
FALLBACKS = {TITLE_FONT: "华文中宋", BODY_FONT: "仿宋", H1_FONT: "SimHei", H2_FONT: "楷体", PAGE_FONT: "SimSun"}
SIZE_2, SIZE_3, SIZE_4 = Pt(22), Pt(16), Pt(14)  # 二号, 三号, 四号

TOP, LEFT, WIDTH, HEIGHT = Mm(37), Mm(28), Mm(156), Mm(225)  # 天头, 订口, 版心
LINES, CHARS = 22, 28
LINE_PITCH = int(HEIGHT.twips / LINES)  # 579 twips = 28.95 pt
CHAR_PITCH = WIDTH.pt / CHARS  # 15.79 pt, a little narrower than the 16 pt font
CHAR_SPACE = int((CHAR_PITCH - SIZE_3.pt) * 4096)  # w:charSpace: the pitch's difference from the font, 1/4096 pt
CHAR = int(CHAR_PITCH * 20)  # one character of the grid, in twips (indents are whole grid characters)
CONDENSE = -5  # twips: 三号 runs 0.25 pt narrower than 16 pt, just under the grid's pitch
GRID_TYPE = "lines"  # not linesAndChars: LibreOffice gives each 16 pt character two cells of a 15.8 pt grid (14 a line)
LATIN_LANG = "en-US"  # w:val, the language of digits and Latin text, as Chinese Word writes it: zh-CN there lets LibreOffice break inside numbers
FOOTER_DISTANCE = Mm(22)  # puts the page number's dashes about 7 mm under the 版心
SEAL_LINES = 2  # blank lines between 附件说明 and 署名: room for the 印章 over 署名 and 成文日期


def _font(run, name: str, size) -> None:
    run.font.size = size
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    if size == SIZE_3 and not _HALF.fullmatch(run.text):  # 三号 Chinese a little narrower: 28 a line everywhere
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(CONDENSE))
        rpr.find(qn("w:sz")).addprevious(spacing)  # the schema's order: … color, spacing, w, kern, position, sz …


# the children of w:pPr that come after w:snapToGrid, in the schema's order (Word refuses other orders)
_AFTER_SNAP = ("spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
               "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")  # fmt: skip


_HALF = re.compile(r"[\x00-\u1fff]+")  # digits and Latin: half width, never condensed (nor broken); “”—… are full


def _runs(p, text: str, font: str, size) -> None:
    """The text as runs of Chinese and of half-width characters (numbers stay whole at a line's end)."""
    for piece in re.findall(r"[\x00-\u1fff]+|[^\x00-\u1fff]+", text):
        _font(p.add_run(piece), font, size)


def _off_grid(p) -> None:
    """A paragraph whose characters keep their own width (title, page number): not snapped to the grid."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr = p._element.get_or_add_pPr()
    later = next((child for child in ppr if child.tag in {qn(f"w:{n}") for n in _AFTER_SNAP}), None)
    if later is None:
        ppr.append(snap)
    else:
        later.addprevious(snap)


def _width(text: str) -> float:
    """A text's width in characters of the body font: CJK full width, digits and Latin half width."""
    return sum(0.5 if ord(c) < 0x2000 else 1 for c in text)


def _paragraph(document, text: str = "", font: str = BODY_FONT, size=SIZE_3, align=None, indent: int = 0):
    """A paragraph on the grid: one line per grid line (exact 28.95 pt), `indent` grid characters in."""
    p = document.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing = Twips(LINE_PITCH)
    fmt.space_before = fmt.space_after = 0
    fmt.widow_control = True
    if indent:
        fmt.first_line_indent = Twips(indent * CHAR)
    if align is not None:
        p.alignment = align
    if text:
        _runs(p, text, font, size)
    return p


def title_lines(title: str, per_line: int = 20) -> list[str]:
    """The title in balanced lines of at most `per_line` characters (二号 in the 版心), never broken
    inside a number, a date or a month (2022年6月份) or a 《…》 name."""
    if _width(title) <= per_line:
        return [title]
    # (?<!\d) starts a number only at its first digit, and a bracket's text stops at the next opening one:
    # linear on any title (tests/test_regexes.py)
    keep = [
        m.span() for m in re.finditer(r"(?<!\d)\d+年(?:\d+月份?)?|(?<!\d)\d+月份?|《[^《》]*》|（[^（）]*）", title)
    ]
    # where words meet: before and after a number, before 工作 / 的通报 and after 关于
    seams = {m.start() for m in re.finditer(r"\d+|工作|的通报", title)} | {
        m.end() for m in re.finditer(r"(?<!\d)\d+年(?:\d+月份?)?|^关于", title)
    }
    best: tuple[float, int] | None = None
    for i in range(1, len(title)):
        if any(a < i < b for a, b in keep) or i not in seams:
            continue
        first, rest = _width(title[:i]), _width(title[i:])
        if first <= per_line and rest <= per_line:
            score = abs(first - rest) + (0 if first >= rest else 0.5)  # 梯形: the longer line on top
            if best is None or score < best[0]:
                best = (score, i)
    if best is None:  # longer than two lines: fill each line up to a breakable point
        lines, line = [], ""
        for i, c in enumerate(title):
            if _width(line + c) > per_line and not any(a < i < b for a, b in keep):
                lines.append(line)
                line = ""
            line += c
        return lines + [line]
    return [title[: best[1]], title[best[1] :]]


def _title(document, text: str) -> None:
    p = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER)
    p.paragraph_format.keep_with_next = True
    _off_grid(p)
    for i, line in enumerate(title_lines(text)):
        run = p.add_run(line)
        _font(run, TITLE_FONT, SIZE_2)
        if i:
            run._element.addprevious(_line_break())
    _paragraph(document)  # one blank line under the title (主送机关 标题下空一行)


def _line_break():
    br = OxmlElement("w:r")
    br.append(OxmlElement("w:br"))
    return br


def _indents(p, left: int = 0, right: int = 0, hanging: int = 0) -> None:
    """Indents in grid characters, written both as characters (Word, WPS) and as twips (LibreOffice)."""
    ind = p._element.get_or_add_pPr().get_or_add_ind()
    for name, chars in (("left", left), ("right", right), ("hanging", hanging)):
        if chars:
            ind.set(qn(f"w:{name}"), str(int(chars * CHAR)))
            ind.set(qn(f"w:{name}Chars"), str(int(chars * 100)))


def _attachment(document, text: str) -> None:
    """附件说明: 空一行, 左空二字 "附件：名称"; a second line aligns under the name's first character."""
    _paragraph(document)
    p = _paragraph(document, text)
    label = _width(text.split("：", 1)[0] + "：")
    _indents(p, left=2 + label, hanging=label)


def _signature(document, issuer: str, date: str) -> None:
    """署名 centred over the 成文日期, which stands 右空四字 (GB/T 9704 7.3.5.1, a sealed document)."""
    for _ in range(SEAL_LINES):
        _paragraph(document)
    offset = 4 + (_width(date) - _width(issuer)) / 2  # the 署名's distance from the right edge
    p = _paragraph(document, issuer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    p.paragraph_format.keep_with_next = True
    _indents(p, right=max(offset, 0))
    _indents(_paragraph(document, date, align=WD_ALIGN_PARAGRAPH.RIGHT), right=4)


def _imprint_row(document, block: Block, first: bool, last: bool) -> None:
    """One line of the 版记 (GB/T 9704 8): 四号仿宋 空一字 from either side, between rules as wide as the
    版心 — thick above the first line and below the last, thin between; 印发日期 flush right."""
    p = _paragraph(document)
    _runs(p, "\u3000" + block.text + ("\u3000" if block.kind == "printed" else ""), BODY_FONT, SIZE_4)
    if block.kind == "printed":
        p.paragraph_format.tab_stops.add_tab_stop(WIDTH, alignment=WD_TAB_ALIGNMENT.RIGHT)
    rules = OxmlElement("w:pBdr")
    for side, thick in (("top", first), ("bottom", last)):
        line = OxmlElement(f"w:{side}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "8" if thick else "6")  # 1 pt ≈ 0.35 mm, 0.75 pt ≈ 0.25 mm
        line.set(qn("w:space"), "1")
        line.set(qn("w:color"), "000000")
        rules.append(line)
    ppr = p._element.get_or_add_pPr()
    later = next((c for c in ppr if c.tag in {qn(f"w:{n}") for n in _AFTER_BORDER}), None)
    if later is None:
        ppr.append(rules)
    else:
        later.addprevious(rules)


# the children of w:pPr that come after w:pBdr, in the schema's order
_AFTER_BORDER = ("shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct",
                 "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid") + _AFTER_SNAP  # fmt: skip


def _page_number_footer(footer, align, side: str) -> None:
    """— 1 —: 四号 宋体, 空一字 from the outside edge."""
    p = footer.paragraphs[0]
    p.alignment = align
    _off_grid(p)
    fmt = p.paragraph_format
    fmt.space_before = fmt.space_after = 0
    ind = p._element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn(f"w:{side}"), str(int(SIZE_4.pt * 20)))  # one character of the 四号 page number
    _font(p.add_run("— "), PAGE_FONT, SIZE_4)
    run = p.add_run()
    _font(run, PAGE_FONT, SIZE_4)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._element.append(el)
        elif text == "PAGE":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = " PAGE "
            run._element.append(el)
        else:
            el = OxmlElement("w:t")
            el.text = text
            run._element.append(el)
    _font(p.add_run(" —"), PAGE_FONT, SIZE_4)


def _layout(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.left_margin = TOP, LEFT
    section.right_margin = Mm(210) - LEFT - WIDTH
    section.bottom_margin = Mm(297) - TOP - HEIGHT
    section.header_distance, section.footer_distance = Mm(15), FOOTER_DISTANCE
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), GRID_TYPE)
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))
    document.settings.odd_and_even_pages_header_footer = True
    _page_number_footer(section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right")
    _page_number_footer(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")


def _styles(document) -> None:
    """Body font and size, and zh-CN as the language, for every paragraph."""
    styles = document.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), BODY_FONT)
    rpr.find(qn("w:sz")).set(qn("w:val"), str(int(SIZE_3.pt * 2)))
    rpr.find(qn("w:szCs")).set(qn("w:val"), str(int(SIZE_3.pt * 2)))
    for lang in styles.iter(qn("w:lang")):
        lang.set(qn("w:val"), LATIN_LANG)
        lang.set(qn("w:eastAsia"), "zh-CN")
    for lang in document.settings.element.iter(qn("w:themeFontLang")):
        lang.set(qn("w:val"), "zh-CN")
        lang.set(qn("w:eastAsia"), "zh-CN")
    ppr = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for i, name in enumerate(("w:autoSpaceDE", "w:autoSpaceDN")):  # no extra space between Chinese and digits
        off = OxmlElement(name)
        off.set(qn("w:val"), "0")
        ppr.insert(i, off)
    normal = document.styles["Normal"]
    normal.font.size = SIZE_3
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)


def write_docx(blocks: list[Block], path: Path, created=None) -> None:
    document = Document()
    _layout(document)
    _styles(document)
    issuer = next((b.text for b in blocks if b.kind == "signature"), "")
    props = document.core_properties
    props.author = props.last_modified_by = issuer
    props.title = next((b.text for b in blocks if b.kind == "title"), "")
    props.comments = props.subject = props.keywords = props.category = ""
    props.language = "zh-CN"
    props.revision = 1
    if created is not None:  # reproducible: the same data gives the same document properties
        props.created = props.modified = created
    date = next((b.text for b in blocks if b.kind == "date"), "")
    imprint = [b for b in blocks if b.kind in ("copy_to", "printed")]
    for b in blocks:
        if b.kind == "title":
            _title(document, b.text)
        elif b.kind == "addressee":
            _paragraph(document, b.text)
        elif b.kind in ("h1", "h2"):
            p = _paragraph(document, b.text, H1_FONT if b.kind == "h1" else H2_FONT, indent=2)
            p.paragraph_format.keep_with_next = True  # never a heading alone at the foot of a page
        elif b.kind == "attachment":
            _attachment(document, b.text)
        elif b.kind == "signature":
            _signature(document, b.text, date)
        elif b.kind == "date":
            continue  # written with the signature
        elif b.kind == "public":  # 附注: 成文日期下一行, 居左空二字
            _paragraph(document, b.text, indent=2)
        elif b.kind in ("copy_to", "printed"):
            if b.kind == "copy_to" or not any(x.kind == "copy_to" for x in blocks):
                _paragraph(document)  # a blank line above the 版记
            _imprint_row(document, b, first=b is imprint[0], last=b is imprint[-1])
        else:
            _paragraph(document, b.text, indent=2)
    document.save(str(path))
    _honest_package(path, issuer)


_APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>yejin</Application><Company>{company}</Company></Properties>"
)


def _fonts_xml(data: bytes) -> bytes:
    """The Chinese fonts in the font table, each with the alternative Word and WPS use when it is missing
    (charset 86 = GB2312)."""
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{"swiss" if name == H1_FONT else "modern" if name == BODY_FONT else "roman"}"/>'
        '<w:pitch w:val="variable"/></w:font>'
        for name, alt in FALLBACKS.items()
    )
    return data.replace(b"</w:fonts>", entries.encode("utf-8") + b"</w:fonts>")


def _honest_package(path: Path, issuer: str) -> None:
    """python-docx's template says it was written by "Microsoft Macintosh Word" and carries a thumbnail
    of another document: the file gets an app.xml of its own and no thumbnail; the font table gets
    the Chinese fonts and their alternatives."""
    with zipfile.ZipFile(path) as z:
        entries = [(info, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            if info.filename == "docProps/thumbnail.jpeg":
                continue
            if info.filename == "docProps/app.xml":
                data = _APP_XML.format(company=_xml_text(issuer)).encode("utf-8")
            elif info.filename == "word/stylesWithEffects.xml":  # the template's Word 2010 copy of the styles
                data = data.replace(b'w:eastAsia="en-US"', b'w:eastAsia="zh-CN"')
            elif info.filename == "word/fontTable.xml":
                data = _fonts_xml(data)
            elif info.filename == "_rels/.rels":
                data = _without_thumbnail(data)
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b'<Default Extension="jpeg" ContentType="image/jpeg"/>', b"")
            z.writestr(info, data)


def _without_thumbnail(rels: bytes) -> bytes:
    end = rels.find(b'Target="docProps/thumbnail.jpeg"/>')
    if end < 0:
        return rels
    start = rels.rfind(b"<Relationship ", 0, end)
    return rels[:start] + rels[end + len(b'Target="docProps/thumbnail.jpeg"/>') :]


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
