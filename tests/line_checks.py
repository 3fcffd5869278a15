"""What a reader must never see at the end of a terminal line (issue 16, item 7), checked on
rendered output with patterns of its own (not line_break.py's):

- a digit run, a decimal, a date (2022-06-30, 2022年6月30日, 2022 年 6 月) or a number with its
  unit (25.65万元, 33家, 30 天, 67.0%) split across two lines;
- a line that starts with closing punctuation (，。）、；：！？」』》) or ends with opening (（“「《).

Rendered tables (ASCII boxes, as with NO_COLOR) are read cell by cell: the lines of one cell
are checked as one flow; a new row starts after a rule or where the first column has text.
"""

from __future__ import annotations

import re

CLOSING = "，。）、；：！？」』》】"
OPENING = "（“「《【"
UNIT = r"(?:万元|人次|家次|万|元|家|项|个|次|人|天|年|月|日|%|件|起|期|名)"
PIECES = [
    re.compile(r"\d{4}-\d{2}-\d{2}"),
    re.compile(r"\d{4} ?年 ?\d{1,2} ?月(?: ?\d{1,2} ?日)?"),
    re.compile(r"\d{1,2} ?月 ?\d{1,2} ?日"),
    re.compile(rf"\d+(?:\.\d+)? ?{UNIT}"),
    re.compile(r"[+-]?\d+(?:\.\d+)?%?"),
]


def split_across(before: str, after: str) -> list[str]:
    """The pieces that `before` (end of a line) and `after` (start of the next) cut in two, whether
    the break fell on a space or between two characters."""
    a, b = before.rstrip(), after.lstrip()
    found = []
    for joint, gap in ((a + b, 0), (a + " " + b, 1)):
        for pattern in PIECES:
            for m in pattern.finditer(joint):
                if m.start() < len(a) and m.end() > len(a) + gap:
                    found.append(m.group())
    return found


def flows(output: str) -> list[list[str]]:
    """The rendered text as runs of lines that continue one another: plain lines (a blank line ends
    a run), and each cell of a table row."""
    out: list[list[str]] = []
    plain: list[str] = []
    cells: list[list[str]] = []
    for line in output.splitlines():
        if line.startswith("|"):
            parts = [p.strip() for p in line.strip().strip("|").split("|")]
            if not cells or len(cells) != len(parts) or parts[0]:
                out.extend(cells)
                cells = [[] for _ in parts]
            for column, part in zip(cells, parts):
                if part:
                    column.append(part)
            continue
        out.extend(cells)
        cells = []
        if line.startswith("+") or not line.strip():
            out.append(plain)
            plain = []
        else:
            plain.append(line)
    out.extend(cells)
    out.append(plain)
    return [f for f in out if f]


def bad_breaks(output: str) -> list[str]:
    """Every place in `output` where a line is broken against the rules, described; [] when none."""
    found = []
    for flow in flows(output):
        for i, line in enumerate(flow):
            text = line.strip()
            if i and text[:1] in CLOSING:
                found.append(f"line starts with {text[:1]}: {text!r}")
            if i + 1 < len(flow):
                if text[-1:] in OPENING:
                    found.append(f"line ends with {text[-1:]}: {text!r}")
                for piece in split_across(line, flow[i + 1]):
                    found.append(f"{piece!r} split: {text!r} / {flow[i + 1].strip()!r}")
    return found
