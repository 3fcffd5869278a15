"""A CODEOWNERS file for a data repository: each unit owns its report folder, the province owns the rest.

A county's folder is owned by the county and its city: the city reviews its counties' reports, a
county changes only its own.

GitHub, GitLab and Gitea read CODEOWNERS; with branch protection ("require review
from code owners") a city can then change only its own reports.  The last matching
line wins, so the province's catch-all comes first.

Every line is one rule: owners are checked when tasks.yaml is validated (wording.OWNER_PATTERN:
no white space, no #) and --province-owner by the command line; unit names in comments are shown
with their control characters escaped, and spaces and # in the folder's path are escaped.
"""

from __future__ import annotations

from pathlib import Path

from yejin.campaign.campaign import Campaign
from yejin.safe_text import visible


def repo_relative(folder: Path) -> str:
    """The folder as a CODEOWNERS pattern anchored at the git repository root."""
    resolved = folder.resolve()
    for parent in [resolved, *resolved.parents]:
        if (parent / ".git").exists():
            rel = resolved.relative_to(parent).as_posix()
            return "/" if rel == "." else f"/{_pattern(rel)}/"
    rel = folder.as_posix().strip("/")
    return "/" if rel in ("", ".") else f"/{_pattern(rel)}/"


def _pattern(path: str) -> str:
    """A path as one CODEOWNERS pattern: a backslash before spaces and #, control characters escaped."""
    return "".join("\\" + c if c in " #\\" else c for c in visible(path, newlines=False))


def render_codeowners(campaign: Campaign, data_dir: Path, province_owners: list[str]) -> str:
    base = repo_relative(data_dir)
    top = [u for u in campaign.units if u.parent is None]
    owners = province_owners or [o for u in top for o in u.owners]
    lines = [
        f"# 由 yejin codeowners 根据 {base}tasks.yaml 生成；单位负责人改动后请重新生成。",
        "# 最后一条匹配的规则生效：先把整个数据目录交给省厅，再把各单位的报告文件夹交给各单位。",
        "",
    ]
    if owners:
        lines.append(f"{base} {' '.join(owners)}")
        lines.append(f"{base}tasks.yaml {' '.join(owners)}")
    else:
        lines.append(f"# {base} 省级单位未在 tasks.yaml 中设置 owners（或用 --province-owner 指定）")
    lines.append("")
    for unit in campaign.all_units:
        folder = f"{base}reports/{unit.id}/"
        parent = campaign.unit_by_id[unit.parent] if unit.parent and campaign.counties_of(unit.parent) else None
        owners = list(dict.fromkeys([*unit.owners, *(parent.owners if parent else [])]))
        if owners:
            lines.append(f"{folder} {' '.join(owners)}")
        else:
            lines.append(f"# {folder} {visible(unit.name)}：未在 tasks.yaml 中设置 owners")
    return "\n".join(lines) + "\n"
