"""What the site tests share: the 总览's numbers against status --json, and the hostile text."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

from conftest import TESTS

FIXTURE = TESTS / "fixtures" / "status"  # 4 units, 4 measures, May and June: late, missing (carried), red, yellow

# a unit name, a progress text and an event title that try markup, an attribute, template syntax and a script address
HOSTILE = '<script>alert(1)</script>"onload=alert(2) {{ 7*7 }} javascript:alert(3)'


class _Numbers(HTMLParser):
    """The text of every element marked data-json="path.in.the.document" (the 总览's numbers)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, list[str]] = {}
        self._open: list[tuple[str, str]] = []
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        path = dict(attrs).get("data-json")
        if path:
            self._open.append((tag, path))
            self._text = []

    def handle_endtag(self, tag):
        if self._open and self._open[-1][0] == tag:
            _, path = self._open.pop()
            self.found.setdefault(path, []).append("".join(self._text))

    def handle_data(self, data):
        self._text.append(data)


def shown(value, kind: str = "count") -> str:
    """How the site writes a figure of the document (hand-written here, not taken from the site)."""
    if value is None:
        return "/"
    if kind == "rate":
        return f"{value:.1f}%"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:,}"


def lookup(doc: dict, path: str):
    for part in path.split("."):
        doc = doc[int(part)] if isinstance(doc, list) else doc[part]
    return doc


def overview_numbers(html: str) -> dict[str, list[str]]:
    parser = _Numbers()
    parser.feed(html)
    return parser.found


def check_numbers(found: dict[str, list[str]], doc: dict) -> None:
    """Every marked number equals the document's; every summary figure, count and indicator is marked."""
    for path, texts in found.items():
        kind = "count"
        if ".indicators." in path:
            kind = lookup(doc, path.rsplit(".", 1)[0])["kind"]
        for text in texts:
            assert text == shown(lookup(doc, path), kind), path
    expected = {f"summary.warnings.{k}" for k in doc["summary"]["warnings"]}
    expected |= {f"summary.submissions.{k}" for k in doc["summary"]["submissions"]}
    expected |= {f"summary.{k}" for k in ("cities", "carried_units", "never_reported", "excluded_files")}
    for group, items in doc.get("totals", {}).items():  # 全省合计: 执法情况 and the totals summed over measures
        expected |= {f"totals.{group}.{j}.value" for j in range(len(items))}
    for i, m in enumerate(doc["measures"]):
        expected |= {f"measures.{i}.counts.{k}" for k in m["counts"]} | {f"measures.{i}.applicable"}
        expected |= {f"measures.{i}.indicators.{j}.value" for j in range(len(m["indicators"]))}
    assert expected <= set(found), sorted(expected - set(found))


def hostile_data(tmp_path: Path) -> Path:
    """The fixture with a unit name, a progress text and an event title that try markup, an attribute,
    template syntax and a javascript: address."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    tasks = data / "tasks.yaml"
    tasks.write_text(
        tasks.read_text(encoding="utf-8").replace("name: 太原市", f"name: '太原市{HOSTILE}'"), encoding="utf-8"
    )
    for report in (data / "reports" / "taiyuan").glob("*.yaml"):  # by id: the name is another now
        report.write_text(report.read_text(encoding="utf-8").replace("unit: 太原市", "unit: taiyuan"), encoding="utf-8")
    june = data / "reports" / "taiyuan" / "2022-06.yaml"
    june.write_text(june.read_text(encoding="utf-8").replace("仍有 2 项在整改。", f"'{HOSTILE}'"), encoding="utf-8")
    event = data / "reports" / "datong" / "events" / "2022-06-15-dust.yaml"
    text = event.read_text(encoding="utf-8")
    event.write_text(re.sub(r"(?m)^title: .*$", f"title: '{HOSTILE}'", text), encoding="utf-8")
    return data
