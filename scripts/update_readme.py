"""Regenerate the check-code table in README.md from yejin.problems.CODES.

python scripts/update_readme.py          # rewrite the table in place
python scripts/update_readme.py --check  # exit 1 when README.md is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from yejin.problems import CODE_EXAMPLES, CODES  # noqa: E402

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- codes:start -->", "<!-- codes:end -->"


def table() -> str:
    rows = ["| 代码 | 含义 | 例如 | yejin 的提示（节选） |", "|---|---|---|---|"]
    rows += [
        f"| {code} | {title} | {CODE_EXAMPLES[code][0]} | {CODE_EXAMPLES[code][1]} |" for code, title in CODES.items()
    ]
    return "\n".join(rows)


def updated(text: str) -> str:
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{table()}\n{END}{tail}"


if __name__ == "__main__":
    current = README.read_text(encoding="utf-8")
    new = updated(current)
    if "--check" in sys.argv:
        sys.exit(0 if new == current else 1)
    README.write_text(new, encoding="utf-8")
