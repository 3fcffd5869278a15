"""`yejin migrate`: the one-shot rewrite of monthly reports written before the 执法情况 block (issue 17).

Before, 行政处罚 (penalties), 罚款 (fines) and 执法检查 (inspections) were figures of measures 2, 5, 7
and 16; now they are the report's `enforcement` block, reported once.  A report is rewritten line by
line, so every other line and comment stays as it was: the moved lines go, and an `enforcement:`
block goes in above `measures:` with the sum of each figure over the measures (printed with a warning
when it comes from several measures: the same case may have been counted twice).  A report that
does not read cleanly, that already has `enforcement`, or whose moved figures are not one per line
is refused and left untouched.  The rewritten text is read back before it is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from yejin.campaign.campaign import Campaign
from yejin.outputs.files import write_atomic
from yejin.reading.yaml_loader import load_text

# old per-measure key -> key in tasks.yaml `enforcement`
MOVED = {"penalties": "penalties", "fines": "fines", "inspections": "enterprises_inspected"}


class Refused(ValueError):
    """A report migrate leaves alone, with the reason (Chinese)."""


@dataclass
class Migration:
    text: str  # the rewritten report (the same text when nothing moved)
    changes: list[str] = field(default_factory=list)  # what moved, for people
    warnings: list[str] = field(default_factory=list)  # sums over several measures: check them


def _own_line(line: str, key: str) -> bool:
    """`      key: 12  # 注释`: the figure alone on its (indented) line, not in a {flow} mapping."""
    name, colon, value = line.split("#", 1)[0].partition(":")
    return line[:1] == " " and name.strip() == key and colon == ":" and not any(c in value for c in "{}[],")


def _sum(values: list) -> int | float:
    total = sum((Decimal(repr(v)) if isinstance(v, float) else Decimal(v) for v in values), Decimal(0))
    return int(total) if all(isinstance(v, int) for v in values) else float(total)


def migrate_text(campaign: Campaign, text: str, display: str) -> Migration:
    doc, problems = load_text(text, display)
    if problems or doc is None:
        first = problems[0] if problems else None
        raise Refused(f"文件读不通，先改正：{first.location()}：{first.code} {first.message}" if first else "文件为空")
    data = doc.data if isinstance(doc.data, dict) else {}
    measures = data.get("measures") if isinstance(data.get("measures"), dict) else {}
    moved: dict[str, list[tuple[int, object, int]]] = {}  # new key -> [(measure, value, line)]
    for number, entry in measures.items():
        indicators = entry.get("indicators") if isinstance(entry, dict) else None
        if not isinstance(indicators, dict):
            continue
        for old, new in MOVED.items():
            if old in indicators:
                value = indicators[old]
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise Refused(f"措施{number}的 {old} 不是数字，先改正（yejin validate 可检查）")
                line, _ = doc.position(("measures", number, "indicators", old), prefer_key=True)
                moved.setdefault(new, []).append((number, value, line))
    if not moved:
        return Migration(text)
    if "enforcement" in data:
        raise Refused(
            "已有 enforcement（执法情况），又在措施下填了行政处罚、罚款或执法检查；请手工合并后删去措施下的这几行"
        )
    lines = text.splitlines(keepends=True)
    drop = set()
    for new, found in moved.items():
        for number, _, line in found:
            old = next(k for k, v in MOVED.items() if v == new)
            if not _own_line(lines[line - 1], old):
                raise Refused(
                    f"第{line}行：措施{number}的 {old} 没有单独写在一行（花括号写法），请手工移到 enforcement 下"
                )
            drop.add(line - 1)
    at, _ = doc.position(("measures",), prefer_key=True)
    names = campaign.enforcement_map
    block = ["enforcement:  # 执法情况：截至当月底累计，每份月报填一次，不分措施（由 yejin migrate 从各措施移来）\n"]
    out = Migration(text)
    for ind in campaign.enforcement:
        found = moved.get(ind.key)
        if not found:
            continue
        value = _sum([v for _, v, _ in found])
        block.append(f"  {ind.key}: {value!r}  # {ind.name}（{ind.unit}）\n")
        sources = "、".join(f"措施{n}的{v!r}" for n, v, _ in found)
        out.changes.append(f"{names[ind.key].name}：{sources} → enforcement.{ind.key}: {value!r}")
        if len(found) > 1:
            out.warnings.append(
                f"{names[ind.key].name}由{len(found)}条措施相加（{sources}），同一案件可能重复计数，请核对后改正"
            )
    rewritten = [line for i, line in enumerate(lines) if i not in drop]
    insert = at - 1 - sum(1 for i in drop if i < at - 1)
    rewritten[insert:insert] = block
    out.text = "".join(rewritten)
    check, problems = load_text(out.text, display)
    if (
        problems
        or check is None
        or check.data.get("enforcement") != {k: _sum([v for _, v, _ in found]) for k, found in moved.items()}
    ):
        raise Refused("改写后的文件读回不一致，未改动；请手工修改")
    return out


def report_files(root: Path) -> list[Path]:
    """Every monthly report under reports/<unit>/ (important situations in events/ have no figures)."""
    return sorted(p for p in (root / "reports").glob("*/*.yaml") if p.is_file() and not p.is_symlink())


def migrate_file(campaign: Campaign, path: Path, display: str, write: bool) -> Migration:
    text = path.read_text(encoding="utf-8-sig")
    result = migrate_text(campaign, text, display)
    if write and result.text != text:
        write_atomic(path, lambda tmp: tmp.write_text(result.text, encoding="utf-8"), force=True)
    return result
