"""Problems found in the data: one frozen record each, collected and rendered later.

Finding never prints; the CLI chooses a renderer (text, json, github).
Every code has a row in CODES so the README table (错误提示一览) cannot drift.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

# code -> (what triggers it, Chinese title).  Kept in one place: README and tests read it.
CODES: dict[str, str] = {
    # Y0xx: reading and parsing a file (读取与解析)
    "Y001": "文件不是 UTF-8 编码",
    "Y002": "YAML 语法错误",
    "Y003": "同一层级出现重复的键",
    "Y004": "使用了不允许的 YAML 标签",
    "Y005": "文件过大",
    "Y006": "节点过多（别名炸弹或异常庞大的文件）",
    "Y007": "日期不存在",
    "Y008": "YAML 1.1 把未加引号的值读成了意外的类型",
    "Y009": "文件为空或顶层不是键值映射",
    "Y010": "键不是文本",
    "Y011": "无法读取文件",
    "Y012": "数据目录不存在或缺少 tasks.yaml",
    # Y1xx: the shape of one file (字段与取值)
    "Y101": "未知字段",
    "Y102": "缺少必填字段",
    "Y103": "类型错误",
    "Y104": "取值不在允许范围内",
    "Y105": "数值不能为负",
    "Y106": "完成时限格式无法识别",
    "Y107": "月份格式错误",
    "Y108": "电话号码格式错误",
    "Y109": "单位名称无法识别",
    "Y110": "取值无效",
    # Y2xx: rules across files (跨文件规则)
    "Y201": "同一单位同一月份有多份报告",
    "Y202": "文件路径与文件内的单位或月份不一致",
    "Y203": "措施编号不存在",
    "Y204": "该单位不负责此项措施",
    "Y205": "指标不属于该措施",
    "Y206": "报送日期早于所报月份",
    "Y207": "累计数比上月减少",
    "Y208": "分子大于分母",
    "Y209": "月份或日期不在专项行动年度内",
    "Y210": "任务分解清单内部不一致",
    "Y211": "报告文件不在约定位置",
    "Y212": "同一单位同一天有标题相同的重要情况",
    "Y213": "报送日期晚于今天",
}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data, located as precisely as we can."""

    path: str
    line: int  # 1-based; 0 when the whole file is meant
    column: int  # 1-based; 0 when unknown
    code: str
    message: str
    hint: str = ""
    level: str = "error"  # error | warning

    def location(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.column or 1}"
        return self.path


def relative(path: Path | str, base: Path | None = None) -> str:
    """A path as users should see it: relative to the working folder when possible."""
    p = Path(path)
    for root in (base, Path.cwd()):
        if root is None:
            continue
        try:
            return p.resolve().relative_to(root.resolve()).as_posix()
        except (ValueError, OSError):
            continue
    return p.as_posix()


def summary(files: int, problems: list[Problem]) -> str:
    errors = sum(1 for p in problems if p.level == "error")
    warnings = len(problems) - errors
    text = f"检查 {files} 个文件，发现 {errors} 个错误"
    if warnings:
        text += f"，{warnings} 个提醒"
    return text


def render_text(problems: list[Problem]) -> str:
    """Grouped by file: a header line per file, then `file:line:col: CODE message`."""
    out: list[str] = []
    current = None
    for p in sorted(problems):
        if p.path != current:
            if current is not None:
                out.append("")
            out.append(p.path)
            current = p.path
        level = "" if p.level == "error" else "[提醒] "
        out.append(f"  {p.location()}: {p.code} {level}{p.message}")
        if p.hint:
            out.append(f"      提示：{p.hint}")
    return "\n".join(out)


def render_json(files: int, problems: list[Problem]) -> str:
    doc = {
        "files_checked": files,
        "error_count": sum(1 for p in problems if p.level == "error"),
        "warning_count": sum(1 for p in problems if p.level != "error"),
        "problems": [asdict(p) for p in sorted(problems)],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)


def _escape_github(text: str, for_property: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if for_property:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render_github(problems: list[Problem]) -> str:
    """GitHub Actions workflow commands, one group per file."""
    out: list[str] = []
    current = None
    for p in sorted(problems):
        if p.path != current:
            if current is not None:
                out.append("::endgroup::")
            out.append(f"::group::{_escape_github(p.path)}")
            current = p.path
        kind = "error" if p.level == "error" else "warning"
        props = f"file={_escape_github(p.path, True)}"
        if p.line:
            props += f",line={p.line},col={p.column or 1}"
        props += f",title={p.code}"
        body = f"{p.code} {p.message}" + (f"（提示：{p.hint}）" if p.hint else "")
        out.append(f"::{kind} {props}::{_escape_github(body)}")
    if current is not None:
        out.append("::endgroup::")
    return "\n".join(out)
