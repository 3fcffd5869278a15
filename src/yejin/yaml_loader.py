"""Reading one YAML file safely, keeping the line and column of every value.

PyYAML's own constructors lose positions, silently keep the last of duplicate
keys, raise a bare ValueError for a date that does not exist and will walk an
alias bomb until memory runs out.  So we let (C-)libyaml compose the node tree
and build plain Python values ourselves, recording where each came from.

What YAML 1.1 makes of unquoted values (PyYAML 6, measured):
  2022-06       -> the string "2022-06" (only YYYY-MM-DD is a date)
  2022-06-28    -> datetime.date(2022, 6, 28)
  2022-06-31    -> ValueError without a position   => Y007 here
  0351-6819551  -> the string "0351-6819551"
  13912345678   -> the int 13912345678              => models ask for quotes
  010 / 0351    -> 8 / 233 (octal)                  => Y008 here
  10:30         -> 630 (base 60)                    => Y008 here
  2022.10       -> the float 2022.1                 => models ask for quotes
  no/off/on/yes -> booleans, also as mapping keys   => Y008 here
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

try:  # the C composer is ~8x faster; fall back to pure Python where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 2 * 1024 * 1024  # a real monthly report is ~15 KB
MAX_NODES = 200_000  # bounds alias bombs: each alias use is counted again
MAX_DEPTH = 64

Key = tuple  # path of a value inside the document, e.g. ("measures", 7, "status")

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_PLAIN_BOOL = {"true", "false"}
_SURPRISING_INT = re.compile(r"^[-+]?(0[0-9_]+|0x[0-9a-fA-F_]+|0b[01_]+|[0-9][0-9_]*(:[0-5]?[0-9])+|\d[\d_]*_[\d_]*)$")
_SURPRISING_FLOAT = re.compile(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*$")


@dataclass
class Document:
    """A parsed file: plain data plus where each value stood."""

    path: str
    data: Any
    positions: dict[Key, tuple[int, int]] = field(default_factory=dict)  # value -> (line, col)
    key_positions: dict[Key, tuple[int, int]] = field(default_factory=dict)  # key of that value
    sources: dict[Key, str] = field(default_factory=dict)  # text of unquoted non-string scalars
    reported: set[Key] = field(default_factory=set)  # values that already have a problem

    def position(self, key: Key, prefer_key: bool = False) -> tuple[int, int]:
        """Nearest known position for a path: the value, else its key, else a parent."""
        key = tuple(key)
        while True:
            table = (self.key_positions, self.positions) if prefer_key else (self.positions, self.key_positions)
            for t in table:
                if key in t:
                    return t[key]
            if not key:
                return (1, 1)
            key = key[:-1]


class _Abort(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def decode(raw: bytes, path: str) -> tuple[str | None, Problem | None]:
    """UTF-8 (with or without BOM) or a located Y001 that says how to fix it."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Problem(path, 1, 1, "Y001", "文件是 UTF-16 编码，yejin 只读取 UTF-8 编码的文件",
                             _SAVE_AS_UTF8)
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        guess = ""
        try:
            raw.decode("gb18030")
            guess = "，看起来是 GBK/GB18030 编码（Windows 记事本的“ANSI”）"
        except UnicodeDecodeError:
            pass
        return None, Problem(path, line, column, "Y001",
                             f"文件不是 UTF-8 编码{guess}；yejin 不读取这种文件，以免把文字读错",
                             _SAVE_AS_UTF8)


_SAVE_AS_UTF8 = "请另存为 UTF-8：记事本“另存为”时编码选“UTF-8”；VS Code 点右下角编码→“通过编码保存”→“UTF-8”"


def load_file(path: Path, display: str | None = None) -> tuple[Document | None, list[Problem]]:
    display = display or path.as_posix()
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [Problem(display, 0, 0, "Y005",
                                  f"文件有 {size:,} 字节，超过上限 {MAX_FILE_BYTES:,} 字节",
                                  "月报只应包含本单位本月的数据；请检查是否误粘贴了大量内容")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(display, 0, 0, "Y011", f"无法读取文件：{exc.strerror or exc}",
                              "请检查文件是否存在以及是否有读取权限")]
    return load_bytes(raw, display)


def load_bytes(raw: bytes, display: str) -> tuple[Document | None, list[Problem]]:
    if len(raw) > MAX_FILE_BYTES:
        return None, [Problem(display, 0, 0, "Y005", f"文件超过上限 {MAX_FILE_BYTES:,} 字节")]
    text, problem = decode(raw, display)
    if problem:
        return None, [problem]
    return load_text(text, display)


def load_text(text: str, display: str) -> tuple[Document | None, list[Problem]]:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, text, display)]
    except yaml.YAMLError as exc:  # reader errors (control characters) carry no mark
        return None, [Problem(display, 0, 0, "Y002", f"YAML 语法错误：{exc}")]
    except RecursionError:
        return None, [Problem(display, 0, 0, "Y006", f"嵌套层数超过 {MAX_DEPTH} 层")]
    if node is None:
        return None, [Problem(display, 1, 1, "Y009", "文件是空的", "请参照示例填写，或用 yejin new-report 生成")]
    if not isinstance(node, yaml.MappingNode):
        line, col = _mark(node)
        return None, [Problem(display, line, col, "Y009", "文件顶层应是“键: 值”形式的映射",
                              "请参照示例，从 unit:、month: 等字段开始")]
    builder = _Builder(display)
    try:
        data = builder.build(node, (), 0)
    except _Abort as stop:
        return None, [stop.problem]
    except RecursionError:
        return None, [Problem(display, 0, 0, "Y006", f"嵌套层数超过 {MAX_DEPTH} 层")]
    doc = builder.doc
    doc.data = data
    return doc, builder.problems


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, display: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    message = f"YAML 语法错误：{exc.problem or ''}".rstrip("：")
    unclosed = unclosed_quote(text, line)
    if unclosed:  # the parser stops lines later; point at the quote that was never closed
        q_line, q_col = unclosed
        return Problem(display, q_line, q_col, "Y002", "英文双引号没有闭合",
                       f"请在这段文字末尾补上 \"（解析器在第 {line} 行才发现问题）")
    return Problem(display, line, col, "Y002", message, syntax_hint(text, line, exc.problem or ""))


def unclosed_quote(text: str, line: int) -> tuple[int, int] | None:
    """(line, column) of a double quote opened on a line and not closed there, up to `line`.

    Report files keep quoted text on one line (yejin writes them so), so an odd
    number of unescaped quotes on a line is almost always a missing closing quote.
    """
    found = None
    for number, content in enumerate(text.splitlines()[: max(line, 1)], start=1):
        positions = [i for i, ch in enumerate(content) if ch == '"' and (i == 0 or content[i - 1] != "\\")]
        if len(positions) % 2 == 1 and "'" not in content:
            found = (number, positions[-1] + 1)
    return found


def syntax_hint(text: str, line: int, problem: str) -> str:
    """Name the usual culprit of a parser error on or just before that line."""
    lines = text.splitlines()
    nearby = lines[max(0, line - 2): line] if line else lines
    joined = "\n".join(nearby)
    if "\t" in joined:
        return "缩进里有制表符（Tab）；YAML 只能用空格缩进"
    if "\u3000" in joined:
        return "有全角空格“　”；缩进和分隔只能用半角空格"
    if any("：" in ln.split("#")[0] and ":" not in ln.split("#")[0] for ln in nearby):
        return "键后面用了全角冒号“：”；请改为半角冒号加空格，例如 status: 已完成"
    if "“" in joined or "”" in joined:
        return "用了中文引号“ ”；需要加引号时请用英文引号 \" \""
    if "found character '\\t'" in problem:
        return "缩进里有制表符（Tab）；YAML 只能用空格缩进"
    return "请检查该行及上一行的缩进、冒号和引号是否成对"


class _Builder:
    def __init__(self, display: str):
        self.doc = Document(display, None)
        self.problems: list[Problem] = []
        self.nodes = 0

    def problem(self, node: yaml.Node, code: str, message: str, hint: str = "") -> None:
        line, col = _mark(node)
        self.problems.append(Problem(self.doc.path, line, col, code, message, hint))

    def build(self, node: yaml.Node, key: Key, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES or depth > MAX_DEPTH:
            line, col = _mark(node)
            raise _Abort(Problem(self.doc.path, line, col, "Y006",
                                 f"文件展开后超过 {MAX_NODES:,} 个节点或 {MAX_DEPTH} 层嵌套，可能是别名炸弹",
                                 "月报中不需要使用锚点（&）和别名（*）"))
        self.doc.positions[key] = _mark(node)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, key)
        if node.tag not in (_TAG + "seq", _TAG + "map"):
            self.bad_tag(node, key)
            return None
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, key + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self.mapping(node, key, depth)

    def bad_tag(self, node: yaml.Node, key: Key) -> None:
        self.doc.reported.add(key)
        self.problem(node, "Y004", f"不允许的 YAML 标签 {node.tag.replace(_TAG, '!!')}",
                     "报告文件只能包含文本、数字、日期、列表和映射；请删去以 ! 开头的标签")

    def mapping(self, node: yaml.MappingNode, key: Key, depth: int) -> dict:
        result: dict = {}
        first_line: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                self.problem(key_node, "Y004", "不支持合并键 <<", "请把需要的字段直接写出来")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, "Y010", "键必须是简单的文本或数字")
                continue
            k = self.scalar(key_node, None)
            if not isinstance(k, (str, int)) or isinstance(k, bool):
                self.problem(key_node, "Y010", f"键 {key_node.value!r} 不是文本",
                             "请给键加引号，或改用字段名")
                continue
            line, col = _mark(key_node)
            if k in result:
                self.problem(key_node, "Y003", f"键 “{k}” 重复出现（第一次在第 {first_line[k]} 行）",
                             "YAML 会静默丢弃前一个值；请合并这两处或删去其中一处")
                continue
            first_line[k] = line
            child = key + (k,)
            self.doc.key_positions[child] = (line, col)
            result[k] = self.build(value_node, child, depth + 1)
        return result

    def scalar(self, node: yaml.ScalarNode, key: Key | None) -> Any:
        tag, text = node.tag, node.value
        if tag not in _SCALAR_TAGS:
            if key is not None:
                self.bad_tag(node, key)
            else:
                self.problem(node, "Y004", f"不允许的 YAML 标签 {tag.replace(_TAG, '!!')}")
            return text
        if tag == _TAG + "str":
            return text
        if tag != _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)):
            # an explicit !!int, !!float, !!bool, !!null or !!timestamp on text that is not one
            # (`!!int abc`): PyYAML's constructors would raise, or silently drop the text
            if key is not None:
                self.doc.reported.add(key)
            self.problem(node, "Y004", f"标签 {tag.replace(_TAG, '!!')} 与取值“{text[:30]}”不符",
                         "报告文件不需要 YAML 标签；请删去以 ! 开头的标签")
            return text
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "int" and len(text) > 100:  # Python refuses to convert ints of over 4,300 digits
            if key is not None:
                self.doc.reported.add(key)
            self.problem(node, "Y110", f"数字 {text[:20]}… 有 {len(text):,} 位，太长了", "请检查是否误粘贴了内容")
            return text
        plain = not node.style  # None from the pure-Python composer, "" from libyaml
        if tag == _TAG + "bool":
            if plain and text.lower() not in _PLAIN_BOOL:
                return self.surprise(node, key, f"未加引号的 {text} 被 YAML 1.1 读成了布尔值 "
                                     f"{'true' if text.lower() in ('yes', 'y', 'on') else 'false'}",
                                     f"如果这是文字，请加引号：\"{text}\"")
            value: Any = text.lower() == "true"
        elif tag == _TAG + "timestamp":
            try:
                value = _CONSTRUCTOR.construct_yaml_timestamp(node)
            except ValueError:
                if key is not None:
                    self.doc.reported.add(key)
                self.problem(node, "Y007", f"日期 {text} 不存在",
                             "请检查月份的天数（如 6 月只有 30 天，2 月只有 28 或 29 天）")
                return text
        elif tag == _TAG + "int":
            if plain and _SURPRISING_INT.match(text):
                value = _CONSTRUCTOR.construct_yaml_int(node)
                reading = ("八进制" if re.match(r"^[-+]?0[0-7_]+$", text) else
                           "六十进制" if ":" in text else "非十进制" if re.match(r"^[-+]?0[xb]", text) else "去掉下划线的")
                return self.surprise(node, key, f"未加引号的 {text} 被 YAML 1.1 当作{reading}数读成了 {value}",
                                     _number_hint(text))
            value = _CONSTRUCTOR.construct_yaml_int(node)
        else:  # float
            if plain and _SURPRISING_FLOAT.match(text):
                value = _CONSTRUCTOR.construct_yaml_float(node)
                return self.surprise(node, key, f"未加引号的 {text} 被 YAML 1.1 当作六十进制数读成了 {value}",
                                     f"如果这是文字（如时间），请加引号：\"{text}\"")
            value = _CONSTRUCTOR.construct_yaml_float(node)
        if key is not None and plain:
            self.doc.sources[key] = text
        return value

    def surprise(self, node: yaml.ScalarNode, key: Key | None, message: str, hint: str) -> str:
        """Report a YAML 1.1 surprise once; keep the text as typed so nothing else trips on it."""
        if key is not None:
            self.doc.reported.add(key)
        self.problem(node, "Y008", message, hint)
        return node.value


def _number_hint(text: str) -> str:
    digits = text.replace("_", "")
    if re.match(r"^[-+]?0\d+$", digits):
        return f"数量请不要以 0 开头（写 {int(digits)}）；如果是编号或电话，请加引号：\"{text}\""
    if ":" in text:
        return f"如果这是时间或文字，请加引号：\"{text}\""
    return f"数量请直接写阿拉伯数字；如果这是文字，请加引号：\"{text}\""


_CONSTRUCTOR = yaml.constructor.SafeConstructor()  # only its stateless construct_yaml_* methods are used
_RESOLVER = yaml.resolver.Resolver()  # what a plain scalar's text means without an explicit tag


def is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
