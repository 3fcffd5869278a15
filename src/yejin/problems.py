"""Problems found in the data: one frozen record each, collected and rendered later.

Finding never prints; the CLI chooses a renderer (text, json, github).
Every code has a row in CODES so the README table (错误提示一览) cannot drift.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path, PurePath

from rich.cells import cell_len

from yejin.line_break import wrap
from yejin.safe_text import json_text, visible

# code -> its Chinese title.  Kept in one place: README and tests read it.
CODES: dict[str, str] = {
    # Y0xx: reading and parsing a file (读取与解析)
    "Y001": "文件不是 UTF-8 编码",
    "Y002": "YAML 语法错误",
    "Y003": "同一层级出现重复的键",
    "Y004": "使用了不允许的 YAML 标签",
    "Y005": "文件过大",
    "Y006": "节点过多（别名炸弹或异常庞大的文件）",
    "Y007": "日期不存在",
    "Y008": "YAML 1.1把未加引号的值读成了意外的类型",
    "Y009": "文件为空或顶层不是键值映射",
    "Y010": "键不是文本",
    "Y011": "无法读取文件或文件夹",
    "Y012": "数据目录不存在或缺少 tasks.yaml",
    "Y013": "链接指向数据目录之外，或不是普通文件",
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
    "Y111": "文字中有控制字符或不该有的换行",
    # Y2xx: rules across files (跨文件规则)
    "Y201": "同一单位同一月份有多份报告",
    "Y202": "文件路径与文件内的单位或月份不一致",
    "Y203": "措施编号不存在",
    "Y204": "该单位不负责此项措施",
    "Y205": "指标不属于该措施",
    "Y206": "报送日期早于所报月份",
    "Y207": "累计数比上月减少",
    "Y208": "分子大于分母",
    "Y209": "月份或日期不在专项行动期间内（通知印发当月至年底）",
    "Y210": "任务分解清单内部不一致",
    "Y211": "报告文件不在约定位置",
    "Y212": "同一单位同一天有标题相同的重要情况",
    "Y213": "报送日期晚于今天",
    # completeness (报告是否完整); Y217 and Y218 are reminders (提醒): they fail only `validate --strict`
    "Y214": "月报没有填写各项措施",
    "Y215": "缺少本单位应报送的措施",
    "Y216": "进展情况为空",
    "Y217": "状态倒退（提醒）",
    "Y218": "草稿，未计入汇总（提醒）",
}


# code -> (a typical trigger, words yejin prints for it).  README's 错误提示一览 is generated
# from this, and tests/test_invalid_cases.py checks each phrase appears in a real run.
CODE_EXAMPLES: dict[str, tuple[str, str]] = {
    "Y001": ("用记事本“ANSI”（GBK）或 UTF-16 保存", "请另存为 UTF-8：记事本“另存为”时编码选“UTF-8”"),
    "Y002": (
        "`status：已完成`（全角冒号）、Tab 缩进、全角空格、引号未闭合",
        "键后面用了全角冒号“：”；请改为半角冒号加空格",
    ),
    "Y003": ("同一措施下写了两次 `status:`", "YAML 会静默丢弃前一个值；请合并这两处或删去其中一处"),
    "Y004": ("`!!python/object/apply:os.system`、合并键 `<<`", "请删去以 ! 开头的标签"),
    "Y005": ("文件超过2 MB", "请检查是否误粘贴了大量内容"),
    "Y006": ("别名炸弹（billion laughs）、嵌套超过64层", "月报中不需要使用锚点（&）和别名（*）"),
    "Y007": ("`submitted: 2022-06-31`、`2022-02-30`", "请检查月份的天数"),
    "Y008": ("`010`、`10:30`、`no`/`on`/`yes`/`off`（值或键）", "被 YAML 1.1当作八进制数读成了8"),
    "Y009": ("空文件、顶层是列表", "请参照示例填写，或用 yejin new-report 生成"),
    "Y010": ("键写成 `~` 或日期", "请给键加引号，或改用字段名"),
    "Y011": ("文件或文件夹无法读取（权限、失效的链接、链接循环）", "请检查文件是否存在以及是否有读取权限"),
    "Y012": ("--data 指向的目录不存在或缺 tasks.yaml", "也可用 --data 指定数据目录或设置环境变量 YEJIN_DATA"),
    "Y013": (
        "`2022-07.yaml -> /dev/zero`、`old -> /`、指向本机其他文件的符号链接，命名管道",
        "yejin 不读取数据目录以外的文件",
    ),
    "Y101": ("`stauts: 已完成`", '是否为 "status"？'),
    "Y102": ("缺少 `submitted:`", "请在此处补上 submitted: …"),
    "Y103": ("`12家`、`１２`（全角）、`1,234`、`80%`、`1.5`（计数）", "数字后面不要带单位“家”，写成12"),
    "Y104": ("`status: 完成`、`进行中`、`未开始`", "是否为“已完成”？"),
    "Y105": ("指标填了负数", "指标值不能为负数"),
    "Y106": ("`deadline: 2022 年 6 月中旬`", "应写成“2022年9月底前”、“2022年底前”"),
    "Y107": ("`2022.10`（未加引号）、`2022/6`、`2022年6月`、`6月`", "月份应写成“年-月”两位数形式"),
    "Y108": ("`phone: 13912345678`（未加引号）、`6819551`", '请加引号："13912345678"'),
    "Y109": ("`unit: 太远市`", "是否为“太原市”？"),
    "Y110": ("姓名为空、日期带时间、负责人写成 `@a#b`", "日期不要带时间"),
    "Y111": (
        '`name: "王\\e[2J五"`（转义出的控制字符）、标题里换行',
        "控制字符在编辑器里看不见，多半是复制粘贴带进来的",
    ),
    "Y201": ("同一单位同一月份两份报告", "每个单位每月只报一份"),
    "Y202": ("太原的报告放在 datong/ 文件夹、文件名月份与内容不符", "请把文件移到 reports/jincheng/，或改正单位"),
    "Y203": ("`measures: {19: …}`", "措施序号为1–18"),
    "Y204": ("设区市报送省厅措施12", "太原市不报送此项"),
    "Y205": (
        "措施1下填 `sources_inspected`、填写了 `fix_rate`",
        "由 yejin 根据 issues_fixed/issues_found 计算，不要填写",
    ),
    "Y206": ("6月的报告写 `submitted: 2022-05-30`", "报送日期写实际报送的日子，月份写所报告的月份"),
    "Y207": ("本月累计25 < 上月累计30", "指标填写截至当月底的全年累计数，不应减少"),
    "Y208": ("已整改数5 > 发现问题数3", "整改率不能超过100%"),
    "Y209": ('`month: "2021-12"`', "不在2022年度内"),
    "Y210": ("tasks.yaml 中措施序号重复、比率引用不存在的指标", "措施序号1重复"),
    "Y211": (
        "`reports/taiyuan/june.yaml`、`2022-07.yaml `（名字末尾有空格）",
        "月报应放在 reports/<单位标识>/<YYYY-MM>.yaml",
    ),
    "Y212": ("同一单位同一天两份同标题的重要情况", "同一情况只报一份"),
    "Y213": ("`submitted: 2062-06-28`", "报送日期写实际报送的日子；请检查年份和月份是否写错"),
    "Y214": ("没有 `measures:`，或 `measures: {}`", "月报要列出本单位负责的每一条措施"),
    "Y215": ("删去了一条措施", "尚未开展的措施也要列出，状态写“未启动”"),
    "Y216": ('`status: 推进中` 而 `progress: ""`', "写明本月做了什么、累计完成多少"),
    "Y217": ("上月“已完成”，本月“推进中”", "如确实退回，请在进展情况中说明原因"),
    "Y218": (
        "`draft: true`（new-report 生成的文件）、草稿中未填写的进展情况",
        "填写完毕、核对累计数后删去 draft: true 这一行",
    ),
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
    # other files that cause it (a Y207 on June caused by May): `validate <May's file>` shows it too.
    # Not in the JSON output, whose keys stay as documented.
    related: tuple[str, ...] = ()
    # the parser's or the validator's own words (PyYAML, pydantic: English), for `--format json` only;
    # text and github output never show them
    detail: str = ""
    # a problem in a filled-in form (yejin import): the cell as 工作表!单元格 and what it holds
    # (措施 5 执法检查重大危险源数); line and column are then the cell's row and column
    cell: str = ""
    label: str = ""

    def location(self) -> str:
        if self.cell:
            return f"{self.path}!{self.cell}" + (f"（{self.label}）" if self.label else "")
        if self.line:
            return f"{self.path}:{self.line}:{self.column or 1}"
        return self.path


def path_text(path: PurePath | str) -> str:
    """A path as every message prints it: with the platform's separator (data\\reports\\… on
    Windows), as export, schema and bulletin print the files they write.  The one place that decides;
    only GitHub annotations, which name files in the repository, write / everywhere."""
    return str(PurePath(path))


def relative(path: Path | str, base: Path | None = None) -> str:
    """A path as users should see it: relative to the working folder when possible."""
    p = Path(path)
    for root in (base, Path.cwd()):
        if root is None:
            continue
        try:
            return path_text(p.resolve().relative_to(root.resolve()))
        except (ValueError, OSError):
            continue
    return path_text(p)


def summary(files: int, problems: list[Problem]) -> str:
    errors = sum(1 for p in problems if p.level == "error")
    warnings = len(problems) - errors
    text = f"检查{files}个文件，发现{errors}个错误"
    if warnings:
        text += f"，{warnings}个提醒"
    return text


# A file with thousands of problems (10,000 pasted lines, say) would bury the terminal and the CI
# log: text and github output show the first ones of each file and say how many more there are;
# --format json always lists every problem, and the summary line always counts them all.
MAX_SHOWN_PER_FILE = 50


def _shown_per_file(problems: list[Problem], limit: int | None) -> tuple[list[Problem], dict[str, int]]:
    """The problems to print, in order, and per file how many were left out."""
    shown: list[Problem] = []
    count: dict[str, int] = {}
    for p in sorted(problems):
        count[p.path] = count.get(p.path, 0) + 1
        if limit is None or count[p.path] <= limit:
            shown.append(p)
    return shown, {path: n - limit for path, n in count.items() if limit is not None and n > limit}


def _more(n: int) -> str:
    return f"该文件还有{n}个问题未列出（改正上面的问题后再检查，或用 --format json 列出全部）"


HINT = "      提示："


def render_text(problems: list[Problem], limit: int | None = MAX_SHOWN_PER_FILE, width: int | None = None) -> str:
    """Grouped by file: a header line per file, then `file:line:col: CODE message`.

    Paths, messages and hints quote the data (file names, values): control characters and line
    breaks in them are shown as escapes (safe_text.visible), so every problem stays one line and
    nothing reaches the terminal as an escape sequence.  With a `width` (a terminal's), lines are
    broken where line_break.py allows, a problem's further lines indented under its location, a
    hint's under the hint's first word; without one (a pipe, a log), each stays one line."""
    out: list[str] = []

    def add(line: str, hang: int) -> None:
        out.append(line if width is None else wrap(line, width, hang))

    current = None
    shown, left_out = _shown_per_file(problems, limit)
    for p in shown:
        if p.path != current:
            if current in left_out:
                add(f"  …… {_more(left_out[current])}", 5)
            if current is not None:
                out.append("")
            add(visible(p.path), 2)
            current = p.path
        level = "" if p.level == "error" else "[提醒] "
        add(f"  {visible(p.location())}: {p.code} {level}{visible(p.message)}", 4)
        if p.hint:
            add(f"{HINT}{visible(p.hint)}", cell_len(HINT))
    if current in left_out:
        add(f"  …… {_more(left_out[current])}", 5)
    return "\n".join(out)


def render_json(files: int, problems: list[Problem]) -> str:
    doc = {
        "files_checked": files,
        "error_count": sum(1 for p in problems if p.level == "error"),
        "warning_count": sum(1 for p in problems if p.level != "error"),
        "problems": [_json_problem(p) for p in sorted(problems)],
    }
    return json_text(doc)


def _json_problem(p: Problem) -> dict:
    """The documented keys; `cell` and `label` only for a problem in a filled-in form."""
    return {k: v for k, v in asdict(p).items() if k != "related" and (k not in ("cell", "label") or p.cell)}


def _escape_github(text: str, for_property: bool = False) -> str:
    text = visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if for_property:  # the file property: a path in the repository, / whatever the platform
        text = text.replace(os.sep, "/")
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render_github(problems: list[Problem], limit: int | None = MAX_SHOWN_PER_FILE) -> str:
    """GitHub Actions workflow commands, one group per file."""
    out: list[str] = []
    current = None
    shown, left_out = _shown_per_file(problems, limit)
    for p in shown:
        if p.path != current:
            if current in left_out:
                out.append(_more(left_out[current]))
            if current is not None:
                out.append("::endgroup::")
            out.append(f"::group::{_escape_github(p.path)}")
            current = p.path
        kind = "error" if p.level == "error" else "warning"
        props = f"file={_escape_github(p.path, True)}"
        if p.line and not p.cell:  # a form's row is no line of a text file
            props += f",line={p.line},col={p.column or 1}"
        props += f",title={p.code}"
        body = f"{p.code} {p.message}" + (f"（提示：{p.hint}）" if p.hint else "")
        if p.cell:
            body = f"{p.location()}: {body}"
        out.append(f"::{kind} {props}::{_escape_github(body)}")
    if current in left_out:
        out.append(_more(left_out[current]))
    if current is not None:
        out.append("::endgroup::")
    return "\n".join(out)


def render(fmt: str, files: int, problems: list[Problem], width: int | None = None) -> str:
    """The problems in one of the formats text, json, github; text and github end with the summary line.
    Text is broken into lines of `width` cells when given (a terminal's)."""
    if fmt == "json":
        return render_json(files, problems)
    body = render_github(problems) if fmt == "github" else render_text(problems, width=width)
    return (body + "\n" if problems else "") + summary(files, problems)
