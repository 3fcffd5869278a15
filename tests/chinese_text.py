"""Spaces between Chinese and digits (issue 17): official Chinese text has none (截至2022年6月30日, 12个,
措施6, 迟报4天), so no output yejin writes may have one.  A pattern of its own here, not words.zh's, so
that a mistake in the rule the code uses cannot hide itself.

`texts(path)` reads every text a person sees in an output file: terminal or Markdown text, the
strings of a JSON document (except the fields that copy wording from the files, as scripts need it),
every cell, header and footer of a workbook, every paragraph, table cell, header and footer of a .docx,
and the text of a web page as a browser lays it out (block elements on lines of their own, white space
between inline pieces one space, each SVG label a text of its own; <style>/<script> dropped).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
GAP = re.compile(rf"(?<=[{CJK}])[ \t\u00a0]+(?=[0-9])|(?<=[0-9%])[ \t\u00a0]+(?=[{CJK}])")
# Problem codes (Y103 指标值…) and standard designations (GB 30871-2022) are ASCII tokens, not numbers in a sentence
ASCII_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9._/-]*[0-9][ \t]+$")

# JSON fields that hold wording copied from tasks.yaml or a report, as written there (the notice's
# “2022 年 3 月底前” stays as the notice has it, for scripts that match it)
COPIED_JSON_FIELDS = frozenset({"deadline_text", "target_text"})


def gaps(text: str) -> list[str]:
    """Every space between a Chinese character and a digit in `text`, with a little context."""
    found = []
    for m in GAP.finditer(text):
        if ASCII_TOKEN.search(text[: m.end()]):
            continue
        found.append(text[max(0, m.start() - 12) : m.end() + 12].replace("\n", "⏎"))
    return found


def texts(path: Path) -> Iterator[tuple[str, str]]:
    """(where, text) for every text of an output file."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str):
                        yield f"{ws.title}!{cell.coordinate}", cell.value
            for name in ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter"):
                part_of = getattr(ws, name)
                for side in ("left", "center", "right"):
                    text = getattr(part_of, side).text
                    if text:
                        yield f"{ws.title}!{name}.{side}", text
        if wb.properties.title:
            yield "properties.title", wb.properties.title
    elif suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        for i, paragraph in enumerate(document.paragraphs):
            yield f"paragraph {i + 1}", paragraph.text
        for table in document.tables:
            for r, row in enumerate(table.rows):
                for c, cell in enumerate(row.cells):
                    yield f"table cell {r + 1},{c + 1}", cell.text
        for section in document.sections:
            for part in (section.header, section.footer, section.even_page_header, section.even_page_footer):
                for paragraph in part.paragraphs:
                    yield "header/footer", paragraph.text
        yield "core_properties.title", document.core_properties.title or ""
    elif suffix == ".json":
        yield from _json_strings(json.loads(path.read_text(encoding="utf-8")), "$")
    elif suffix in (".html", ".htm"):
        yield from _page_texts(path.read_text(encoding="utf-8"))
    else:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            yield f"line {n}", line


# Elements that start a new line on the page; text inside any other (inline) element runs on, and the
# white space between two inline pieces is one visible space, as a browser shows it
_BLOCKS = frozenset(
    "p div li td th h1 h2 h3 h4 h5 h6 tr br section article header footer nav main ul ol dl dt dd table caption "
    "figure figcaption title desc text option summary details blockquote pre aside form label".split()
)


class _PageText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.runs: list[str] = [""]
        self.hidden = 0  # inside <style>/<script>

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.hidden += tag in ("style", "script")
        if tag in _BLOCKS:
            self.runs.append("")

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in ("style", "script")
        if tag in _BLOCKS:
            self.runs.append("")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.runs[-1] += data


def _page_texts(page: str) -> Iterator[tuple[str, str]]:
    parser = _PageText()
    parser.feed(page)
    for n, run in enumerate(parser.runs):
        text = re.sub(r"[ \t\r\n]+", " ", run).strip()
        if text:
            yield f"text {n}", text


def _json_strings(value: object, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in COPIED_JSON_FIELDS:
                yield from _json_strings(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _json_strings(item, f"{where}[{i}]")
    elif isinstance(value, str):
        yield where, value


def gaps_in(path: Path) -> list[str]:
    """`file where: …context…` for every gap in an output file."""
    return [f"{path.name} {where}: …{g}…" for where, text in texts(path) for g in gaps(text)]
