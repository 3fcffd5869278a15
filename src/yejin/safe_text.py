"""Text from the data, made safe for where it is shown: one helper per kind of output.

Anything a city commits (names, titles, progress text, unknown keys, file names) can reach the
operator's terminal, a CI log, a JSON consumer or the 通报.  Validation refuses control characters
in the data (campaign/rules.py, Y111), but problems quote what was refused, file names are not data,
and each output escapes once more at its boundary:

- visible(): the terminal and validate's text and github output.  Control characters (C0, DEL, C1),
  bidirectional overrides and isolates, line and paragraph separators and lone surrogates (bytes of
  a file name that is not UTF-8) are shown as escapes, `\\x1b`, `\\u202e`, `\\xff`; so no ESC
  sequence, title change or clipboard write reaches a terminal, and no text can start a line of
  its own (a forged `path:1:1: Y000 …`).  Rich markup is never read from data (the console has
  markup off, outputs/terminal.py).
- json_text(): JSON for terminals and scripts; the same characters as \\u escapes (json.dumps leaves
  C1 controls, U+2028 and lone surrogates raw with ensure_ascii=False).
- markdown(): one line of the 通报's Markdown; line breaks become spaces and the characters that
  start markup are escaped with a backslash, so data cannot add a heading, a link, HTML or a list.
"""

from __future__ import annotations

import json
import re
from typing import Any

# What never belongs in a name or a title, and what a terminal, a log viewer or an editor may act on.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_IN_PARAGRAPH = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_SHORT = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def escape(char: str) -> str:
    """One unsafe character as people can read (and search for) it: \\x1b, \\n, \\u202e, \\xff."""
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def first_unsafe(text: str, multiline: bool = False) -> tuple[int, str] | None:
    """(index, character) of the first unsafe character of text; multiline: line breaks and tabs are fine."""
    found = (_UNSAFE_IN_PARAGRAPH if multiline else UNSAFE).search(text)
    return (found.start(), found[0]) if found else None


def visible(text: str, newlines: bool = False) -> str:
    """text with every unsafe character written as an escape; newlines=True keeps line breaks and tabs."""
    keep = "\n\t" if newlines else ""
    return UNSAFE.sub(lambda m: m[0] if m[0] in keep else escape(m[0]), text)


def json_text(doc: Any) -> str:
    """doc as indented JSON (Chinese as it is), every unsafe character as a \\u escape."""
    text = json.dumps(doc, ensure_ascii=False, indent=2)  # C0 controls in strings are escaped already
    return UNSAFE.sub(lambda m: m[0] if m[0] < " " else f"\\u{ord(m[0]):04x}", text)


_LINE_BREAKS = re.compile("\r\n|[\n\r\x0b\x0c\x85\u2028\u2029]")
# emphasis, code, links and images, HTML and entities, tables, strikethrough: escaped wherever they stand
_MARKUP = re.compile(r"([\\`*_\[\]<>&|~])")
_NUMBERED = re.compile(r"\d+(?=[.)])")  # `1. ` or `1) ` at the start of a line begins a numbered list


def markdown(text: str) -> str:
    """text as one line of Markdown that shows exactly these characters (CommonMark and GFM).

    Leading spaces go (Markdown does not show them, and four would make a code block); a heading,
    list or quote marker at the start is escaped."""
    line = _MARKUP.sub(r"\\\1", visible(_LINE_BREAKS.sub(" ", text)).lstrip())
    if numbered := _NUMBERED.match(line):
        return line[: numbered.end()] + "\\" + line[numbered.end() :]
    return "\\" + line if line[:1] in ("#", "+", "-", "=") else line
