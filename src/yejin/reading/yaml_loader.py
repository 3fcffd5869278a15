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
import errno
import os
import re
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Optional

import yaml

from yejin.problems import Problem, path_text
from yejin.words import NO_SUCH_DAY_HINT, zh

try:  # the C composer is ~8x faster; fall back to pure Python where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVED: dict[str, str] = {}  # plain scalar text -> the tag YAML 1.1 gives it, shared by all files
_RESOLVED_MAX = 50_000
_resolve = yaml.resolver.Resolver.resolve


class _FastLoader(_Loader):  # type: ignore[misc,valid-type]
    """The safe loader, with a memo of what each plain scalar resolves to.

    The composer asks the (pure-Python) resolver about every untagged scalar, and it tries
    up to a dozen regular expressions each time; report files repeat the same keys, statuses
    and small numbers thousands of times.  The answer depends only on the text (no path
    resolvers are registered for the safe loaders), so it is remembered.
    """

    def resolve(self, kind, value, implicit):  # type: ignore[override]
        if kind is yaml.ScalarNode and not self.yaml_path_resolvers:
            if not implicit[0]:  # quoted, or a block scalar: always a string
                return _STR_TAG
            tag = _RESOLVED.get(value)
            if tag is None:
                tag = _resolve(self, kind, value, implicit)
                if len(value) <= 64 and len(_RESOLVED) < _RESOLVED_MAX:
                    _RESOLVED[value] = tag
            return tag
        return _resolve(self, kind, value, implicit)

    def descend_resolver(self, current_node, current_index):  # type: ignore[override]
        if self.yaml_path_resolvers:
            super().descend_resolver(current_node, current_index)

    def ascend_resolver(self):  # type: ignore[override]
        if self.yaml_path_resolvers:
            super().ascend_resolver()


MAX_FILE_BYTES = 2 * 1024 * 1024  # a real monthly report is ~15 KB
MAX_NODES = 200_000  # bounds alias bombs: each alias use is counted again
MAX_DEPTH = 64

Key = tuple  # path of a value inside the document, e.g. ("measures", 7, "status")

_TAG = "tag:yaml.org,2002:"
_INT_TAG, _MERGE_TAG = _TAG + "int", _TAG + "merge"
_COLLECTION_TAGS = (_TAG + "seq", _TAG + "map")
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_PLAIN_BOOL = {"true", "false"}
# (the last branch, "an underscore somewhere", was \d[\d_]*_[\d_]*: quadratic on a run of underscores)
_SURPRISING_INT = re.compile(r"^[-+]?(0[0-9_]+|0x[0-9a-fA-F_]+|0b[01_]+|[0-9][0-9_]*(:[0-5]?[0-9])+|\d+_[\d_]*)$")
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
    # Parsed without positions (load_dataset: most files never need one, and 10,000 files' worth
    # would take ~250 MB): reads the file again and returns it with positions, when first asked.
    relocate: Optional[Callable[[], Optional["Document"]]] = field(default=None, repr=False, compare=False)

    def position(self, key: Key, prefer_key: bool = False) -> tuple[int, int]:
        """Nearest known position for a path: the value, else its key, else a parent."""
        if self.relocate is not None:
            self._locate()
        key = tuple(key)
        while True:
            table = (self.key_positions, self.positions) if prefer_key else (self.positions, self.key_positions)
            for t in table:
                if key in t:
                    return t[key]
            if not key:
                return (1, 1)
            key = key[:-1]

    def _locate(self) -> None:
        relocate, self.relocate = self.relocate, None
        try:
            again = relocate()
        except Exception:  # the file went away meanwhile: positions stay unknown, (1, 1)
            again = None
        if again is not None:
            self.positions, self.key_positions = again.positions, again.key_positions


class _Abort(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def decode(raw: bytes, path: str) -> tuple[str | None, Problem | None]:
    """UTF-8 (with or without BOM) or a located Y001 that says how to fix it."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Problem(path, 1, 1, "Y001", "文件是 UTF-16 编码，yejin 只读取 UTF-8 编码的文件", _SAVE_AS_UTF8)
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        start = exc.start
        guess = ""
        try:
            raw.decode("gb18030")
            guess = "，看起来是 GBK/GB18030 编码（Windows 记事本的“ANSI”）"
            # the first Chinese character, not the first byte UTF-8 happens to choke on (GBK 太 is
            # CC AB, which UTF-8 reads as a two-byte character: the error would be reported later)
            start = next(i for i, byte in enumerate(raw) if byte >= 0x80)
        except UnicodeDecodeError:
            pass
        before = raw[:start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        return None, Problem(
            path,
            line,
            column,
            "Y001",
            f"文件不是 UTF-8 编码{guess}；yejin 不读取这种文件，以免把文字读错",
            _SAVE_AS_UTF8,
        )


_SAVE_AS_UTF8 = "请另存为 UTF-8：记事本“另存为”时编码选“UTF-8”；VS Code 点右下角编码→“通过编码保存”→“UTF-8”"


def load_file(path: Path, display: str | None = None, positions: bool = True) -> tuple[Document | None, list[Problem]]:
    display = display or path_text(path)
    raw, problems = read_source(path, display)
    if raw is None:
        return None, problems
    return load_bytes(raw, display, positions)


_OS_REASONS = {
    errno.ENOENT: "文件不存在（可能是指向已删除文件的链接）",
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.EISDIR: "这是一个文件夹",
    errno.ELOOP: "链接指向自身（循环）",
    errno.ENAMETOOLONG: "路径太长",
    errno.EIO: "磁盘读取出错",
}


def os_reason(exc: OSError) -> str:
    """Why the system could not read a file, in Chinese (its own words are English)."""
    return _OS_REASONS.get(exc.errno or 0, f"系统错误（错误号{exc.errno}）" if exc.errno else "系统错误")


def read_source(path: Path, display: str) -> tuple[bytes | None, list[Problem]]:
    """A regular file's bytes, or Y005 (too large) / Y011 (unreadable) / Y013 (not a regular file).

    Opened without blocking (a named pipe would wait for a writer) and checked on the open file
    itself: a device such as /dev/zero is refused, not read until memory runs out, and no more than
    the limit is ever read (a file that grows meanwhile is cut there and refused)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):
                return None, [
                    Problem(
                        display, 0, 0, "Y013", "不是普通文件（设备、管道或套接字）；yejin 只读取普通文件", _NOT_A_FILE
                    )
                ]
            raw = fh.read(MAX_FILE_BYTES + 1) if st.st_size <= MAX_FILE_BYTES else b""
        size = max(st.st_size, len(raw))
        if size > MAX_FILE_BYTES:
            return None, [
                Problem(
                    display,
                    0,
                    0,
                    "Y005",
                    f"文件有{size:,}字节，超过上限{MAX_FILE_BYTES:,}字节",
                    "月报只应包含本单位本月的数据；请检查是否误粘贴了大量内容",
                )
            ]
    except OSError as exc:
        return None, [
            Problem(display, 0, 0, "Y011", f"无法读取文件：{os_reason(exc)}", "请检查文件是否存在以及是否有读取权限")
        ]
    return raw, []


_NOT_A_FILE = "数据目录里只应有普通文件和文件夹；请删去它"


def load_bytes(raw: bytes, display: str, positions: bool = True) -> tuple[Document | None, list[Problem]]:
    if len(raw) > MAX_FILE_BYTES:
        return None, [Problem(display, 0, 0, "Y005", f"文件超过上限{MAX_FILE_BYTES:,}字节")]
    text, problem = decode(raw, display)
    if problem:
        return None, [problem]
    return load_text(text, display, positions)


def load_text(text: str, display: str, positions: bool = True) -> tuple[Document | None, list[Problem]]:
    """Parse one document.  positions=False skips recording where each value stood (about a
    third of the work); problems found while parsing are located either way."""
    try:
        node = yaml.compose(text, Loader=_FastLoader)
    except yaml.MarkedYAMLError as exc:
        return None, [replace(_syntax_problem(exc, text, display), detail=str(exc))]
    except yaml.YAMLError as exc:  # reader errors (control characters) carry no mark, but a position
        return None, [replace(_reader_problem(exc, text, display), detail=str(exc))]
    except RecursionError:
        return None, [Problem(display, 0, 0, "Y006", f"嵌套层数超过{MAX_DEPTH}层")]
    if node is None:
        return None, [Problem(display, 1, 1, "Y009", "文件是空的", "请参照示例填写，或用 yejin new-report 生成")]
    if not isinstance(node, yaml.MappingNode):
        line, col = _mark(node)
        return None, [
            Problem(
                display, line, col, "Y009", "文件顶层应是“键: 值”形式的映射", "请参照示例，从 unit:、month: 等字段开始"
            )
        ]
    builder = _Builder(display, positions, tags="!" in text, text=text)
    try:
        data = builder.build(node, (), 0)
    except _Abort as stop:
        return None, [stop.problem]
    except RecursionError:
        return None, [Problem(display, 0, 0, "Y006", f"嵌套层数超过{MAX_DEPTH}层")]
    doc = builder.doc
    doc.data = data
    if " #" in text:
        builder.problems += cut_at_hash(text, display)
    return doc, builder.problems


# `progress: 检查了 #3 号高炉`: unquoted text, then ` #` and no space: YAML keeps "检查了" and drops the rest
_PLAIN_KEY = re.compile(r"""[ \t]*(?:- +)?[^\s#:"'\[{][^:#]*: +""")
_NOT_PLAIN_TEXT = set("\"'|>#[{&*! \t")


def _hash_before_text(text: str) -> bool:
    """Whether some # follows a space or tab and is followed by text, not by a space (linear)."""
    at = text.find("#")
    while at != -1:
        if at > 0 and text[at - 1] in " \t" and text[at + 1 : at + 2] not in ("", " ", "\t", "#", "\n", "\r"):
            return True
        at = text.find("#", at + 1)
    return False


def cut_at_hash(text: str, display: str) -> list[Problem]:
    """Unquoted text that YAML would cut at ` #` (a comment must have a space after its #)."""
    if not _hash_before_text(text):  # the usual file: every # starts a comment as written (`  # 说明`)
        return []
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):
        if " #" not in line and "\t#" not in line:
            continue
        key = _PLAIN_KEY.match(line)
        if key is None or key.end() >= len(line) or line[key.end()] in _NOT_PLAIN_TEXT:
            continue
        value = line[key.end() :]
        at = next((i for i in range(1, len(value)) if value[i] == "#" and value[i - 1] in " \t"), -1)
        if at < 0 or at + 1 >= len(value) or value[at + 1] in " \t#":
            continue  # no comment, or a comment as written
        kept, cut = value[:at].strip(), value[at:].strip()
        problems.append(
            Problem(
                display,
                number,
                key.end() + at + 1,
                "Y002",
                f"文字在“ #”处被截断：YAML 把“{zh(cut[:20])}”当作注释丢掉，只留下“{zh(kept[:20])}”",
                "文字中有 # 时，请把整段文字放在英文双引号里；如果 # 后面确实是注释，请在 # 后面加一个空格",
            )
        )
    return problems


def _reader_problem(exc: yaml.YAMLError, text: str, display: str) -> Problem:
    position = getattr(exc, "position", None)
    character = getattr(exc, "character", None)
    if not isinstance(position, int) or not isinstance(character, (str, int)):
        return Problem(display, 0, 0, "Y002", "YAML 语法错误：文件中有 YAML 不接受的字符")
    if isinstance(character, int):
        character = chr(character)
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return Problem(
        display,
        line,
        column,
        "Y002",
        f"YAML 语法错误：有看不见的控制字符 U+{ord(character):04X}",
        "常由复制粘贴带入；请删去这个位置的字符后重新输入",
    )


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


# PyYAML's reasons, in the words of a clerk's screen (the English never reaches the user)
_PARSER_WORDS = [
    ("did not find expected key", "这一行不是“键: 值”的形式，或缩进与上一行不一致"),
    ("mapping values are not allowed", "这里不能出现“冒号加空格”"),
    ("could not find expected ':'", "缺少“键: 值”中的冒号"),
    ("found character that cannot start any token", "这个字符不能出现在值的开头"),
    ("did not find expected alphabetic or numeric character", "“*”或“&”在 YAML 中有特殊含义，不能出现在值的开头"),
    ("found undefined alias", "“*”在 YAML 中有特殊含义，不能出现在值的开头"),
    ("expected <block end>", "这一行的缩进与上文不一致"),
    ("did not find expected node content", "这里缺少内容"),
    ("did not find expected ',' or ']'", "方括号 [ ] 没有配对，或各项之间缺少半角逗号"),
    ("did not find expected ',' or '}'", "花括号 { } 没有配对，或各项之间缺少半角逗号"),
    ("found unexpected end of stream", "文件在引号或括号闭合之前就结束了"),
    ("found unknown escape character", "英文双引号里的反斜杠“\\”后面跟了不能转义的字符"),
    ("found a tab character", "有制表符（Tab）"),
    ("found unexpected ':'", "这里不能出现冒号"),
    ("expected a single document", "文件中有“---”分隔的多个文档；一个文件只能写一份报告"),
    ("found duplicate anchor", "锚点（&）重复"),
]


def parser_words(problem: str) -> str:
    """PyYAML's reason for a syntax error, said in Chinese."""
    for english, chinese in _PARSER_WORDS:
        if english in problem:
            return chinese
    return "YAML 无法读懂这里的写法"


_KEY_START = re.compile(r"^([ \t]*(?:- +)?)([A-Za-z_][A-Za-z0-9_]*|\d+):")
_PLAIN_VALUE = re.compile(r"""^([ \t]*(?:- +)?(?:[A-Za-z_][A-Za-z0-9_]*|\d+): +)(?=[^\s"'|>\[{#])""")
_INVISIBLE_SPACES = {"\u00a0": "不间断空格", "\u200b": "零宽空格", "\ufeff": "零宽不换行空格", "\u2060": "零宽连接符"}


def _explain(text: str, line: int, col: int) -> tuple[int, int, str, str] | None:
    """(line, column, message, hint) for the slips a Chinese IME or a paste from Word makes,
    which the parser reports as something general, often a line late."""
    lines = text.splitlines()
    candidates = [n for n in (line - 2, line - 1, line) if 1 <= n <= len(lines)]
    late = "" if not line else f"（解析器在第{line}行第{col}列报错）"
    for n in candidates:  # a space pasted from Word or a web page: looks like one, is not
        content = lines[n - 1]
        head = _outside_quotes(content)
        for char, name in _INVISIBLE_SPACES.items():
            at = head.find(char)
            if at >= 0 and (not head[:at].strip() or head[:at].rstrip().endswith(":")):
                return (
                    n,
                    at + 1,
                    f"有看不见的特殊字符⟨{name}⟩（从 Word、网页或聊天软件复制时常带入）",
                    ("缩进和分隔只能用普通的半角空格：请删去这一行开头的空白，重新用空格键输入"),
                )
    for n in reversed(candidates):
        content = lines[n - 1]
        # "…涉爆粉尘"回头看"…": the second " ended the text
        m = re.match(r"""^([ \t]*(?:- +)?[^\s#:"']+: +)"((?:[^"\\]|\\.)*)"(.*)$""", content)
        if m and m.group(3).strip() and not m.group(3).strip().startswith("#") and content.count('"') % 2 == 0:
            inner = len(m.group(1)) + 1 + len(m.group(2))
            return (
                n,
                inner + 1,
                "英文双引号里的文字中又用了英文双引号",
                ('YAML 在第二个 " 处就认为文字结束了；文字中的引号请改用中文引号“ ”，或写成 \\"' + late),
            )
        # status:推进中 — the colon needs a space after it
        m = _KEY_START.match(content)
        if (
            m
            and len(content) > m.end()
            and content[m.end()] not in " \t\u3000\u00a0"
            and not content[m.end() :].startswith("//")
        ):
            key, value = m.group(2), content[m.end() :].split(" #")[0].strip()
            return n, m.end(), "冒号后面缺少空格", f"YAML 的“键: 值”要在冒号后面加一个半角空格：{key}: {value}" + late
    return None


def _explain_late(text: str, line: int, col: int) -> tuple[int, int, str, str] | None:
    """(line, column, message, hint) for unquoted text YAML cannot take (checked after the
    full-width characters `syntax_culprit` looks for)."""
    lines = text.splitlines()
    candidates = [n for n in (line - 2, line - 1, line) if 1 <= n <= len(lines)]
    late = "" if not line else f"（解析器在第{line}行第{col}列报错）"
    for n in reversed(candidates):
        content = lines[n - 1]
        m = _PLAIN_VALUE.match(content)
        if not m:
            continue
        value = _outside_quotes(content)[m.end() :]
        if value[:1] in "*&@`%!":  # text starting with a sign YAML keeps for itself
            return (
                n,
                m.end() + 1,
                f"文字不能以“{value[0]}”开头（YAML 把它当作特殊符号）",
                (
                    "请把整段文字放在英文双引号里，例如 "
                    + content[m.start(1) : m.end()].strip()
                    + ' "'
                    + content[m.end() :].strip()[:20]
                    + '…"'
                ),
            )
        colon = value.find(": ")
        if colon >= 0:  # unquoted text holding ": " — YAML takes it for another key
            return (
                n,
                m.end() + colon + 1,
                "没加引号的文字中有“冒号加空格”，YAML 把它当成了又一个“键: 值”",
                ("请把整段文字放在英文双引号里（文字中的冒号也可以改用中文冒号“：”）"),
            )
    # text pasted over several lines without quotes: the next line is neither a key nor a list item
    for n in candidates[1:]:
        content, before = lines[n - 1], lines[n - 2]
        if (
            content.strip()
            and not re.match(r"^[ \t]*(?:- |#|[^\s:]+:(?: |$)|-$)", content)
            and _PLAIN_VALUE.match(before)
        ):
            indent = len(content) - len(content.lstrip(" "))
            return (
                n,
                indent + 1,
                "没加引号的文字换行后写到了下一行",
                ("分成几行的文字请放在英文双引号里，或用 | 写成多行（见 yejin new-report 生成的格式）" + late),
            )
    return None


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, display: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    message = f"YAML 语法错误：{parser_words(exc.problem or '')}"
    unclosed = unclosed_quote(text, line)
    explained = _explain(text, line, col) if not unclosed else None
    if explained:
        e_line, e_col, e_message, hint = explained
        return Problem(display, e_line, e_col, "Y002", f"YAML 语法错误：{e_message}", hint)
    if unclosed:  # the parser stops lines later; point at the quote that was never closed
        q_line, q_col = unclosed
        quote = text.splitlines()[q_line - 1][q_col - 1]
        kind = "双" if quote == '"' else "单"
        return Problem(
            display,
            q_line,
            q_col,
            "Y002",
            f"英文{kind}引号没有闭合",
            f"请在这段文字末尾补上 {quote}（解析器在第{line}行才发现问题）",
        )
    culprit = syntax_culprit(text, line, exc.problem or "")
    if culprit:  # point at the character that is wrong, not where the parser gave up
        c_line, c_col, hint = culprit
        if (c_line, c_col) != (line, col) and line:
            hint += f"（解析器在第{line}行第{col}列报错）"
        return Problem(display, c_line, c_col, "Y002", message, hint)
    explained = _explain_late(text, line, col)
    if explained:
        e_line, e_col, e_message, hint = explained
        return Problem(display, e_line, e_col, "Y002", f"YAML 语法错误：{e_message}", hint)
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
        elif not positions and content.count("'") % 2 == 1 and (single := _SINGLE_OPEN.match(content)):
            found = (number, single.end())  # `key: 'text` ('' inside is an escaped quote, so the count stays odd)
    return found


_SINGLE_OPEN = re.compile(r"^\s*(?:- +)?(?:[^\s#'\"][^#'\"]*?: +)?'")


def _outside_quotes(line: str) -> str:
    """The line with quoted text and the comment blanked out (columns kept), for finding a culprit."""
    out, quote = [], ""
    for i, ch in enumerate(line):
        if quote:
            out.append(" ")
            if ch == quote and not (quote == '"' and line[i - 1] == "\\"):
                quote = ""
        elif ch in "\"'":
            quote = ch
            out.append(" ")
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            break
        else:
            out.append(ch)
    return "".join(out)


def _chinese_quote_before_colon(line: str) -> int:
    """Where the first Chinese quote stands when a `: ` or ` #` follows it somewhere, else -1.

    (What re.search(r"([“‘]).*(: | #)") found, without its quadratic time on a long line of quotes.)"""
    first = min((i for i in (line.find("“"), line.find("‘")) if i >= 0), default=-1)
    rest = line[first + 1 :]
    return first if first >= 0 and (": " in rest or " #" in rest) else -1


def syntax_culprit(text: str, line: int, problem: str) -> tuple[int, int, str] | None:
    """(line, column, hint) of the usual culprit of a parser error, on that line or the one before.

    Chinese input methods type full-width characters that look like the ASCII ones YAML needs;
    quoted text and comments may hold them freely, so only the rest of each line is searched.
    """
    lines = text.splitlines()
    candidates = [n for n in (line, line - 1) if 1 <= n <= len(lines)] if line else range(1, len(lines) + 1)
    rules = [
        (
            lambda s: s.find("\t") if "\t" in s[: len(s) - len(s.lstrip(" \t\u3000"))] else -1,
            "缩进里有制表符（Tab）；YAML 只能用空格缩进，请把 Tab 换成空格",
        ),
        # in the indentation or right after a colon; inside free text a full-width space is just text
        (
            lambda s: m.end() - 1 if (m := re.match(r"^[ \u3000]*?\u3000|^[^:]*: ?\u3000", s)) else -1,
            "有全角空格“　”；缩进和分隔只能用半角空格，请切换到半角输入后重新输入空格",
        ),
        (
            lambda s: s.find("：") if ":" not in s else -1,
            "键后面用了全角冒号“：”；请改为半角冒号加空格，例如 status: 已完成",
        ),
        # Chinese quotes are plain text to YAML: they only break a line when they were meant to protect a `: ` or ` #`
        (_chinese_quote_before_colon, '用了中文引号“ ”；需要加引号时请用英文引号 " "'),
        (
            lambda s: s.find("，", m.end()) if (m := re.match(r"^\s*(?:- +)?(?:[^\s:][^:]*: +)?[\[{]", s)) else -1,
            "花括号或方括号里用了全角逗号“，”；各项之间请用半角逗号加空格分隔",
        ),
        (
            lambda s: s.find("\t") if "tab" in problem or "\\t" in problem else -1,
            "有制表符（Tab）；YAML 只能用空格缩进和分隔",
        ),
    ]
    for find, hint in rules:
        for number in candidates:
            index = find(_outside_quotes(lines[number - 1]))
            if index >= 0:
                if hint.startswith("键后面用了全角冒号"):  # show the line as it should be
                    fixed = lines[number - 1].strip().replace("：", ": ", 1).replace(":  ", ": ")
                    hint = zh(hint.split("，例如")[0], f"，写成 {fixed[:40]}")
                return number, index + 1, hint
    return None


def syntax_hint(text: str, line: int, problem: str) -> str:
    """Name the usual culprit of a parser error on or just before that line."""
    culprit = syntax_culprit(text, line, problem)
    if culprit:
        return culprit[2]
    lines = text.splitlines()
    nearby = lines[max(0, line - 2) : line] if line else lines
    joined = "\n".join(_outside_quotes(n) for n in nearby)
    # tabs, full-width spaces and colons where they do harm were found above; elsewhere they are just text
    if re.search(r"(?:^[ \t]*|[:\[{,-] *)[“‘]", joined, re.M):  # Chinese quotes where a value starts: meant as quotes
        return '用了中文引号“ ”；需要加引号时请用英文引号 " "'
    if "found character '\\t'" in problem:
        return "缩进里有制表符（Tab）；YAML 只能用空格缩进"
    return "请检查该行及上一行的缩进、冒号和引号是否成对"


class _Builder:
    def __init__(self, display: str, positions: bool = True, tags: bool = True, text: str = ""):
        self.doc = Document(display, None)
        self.text = text
        self.problems: list[Problem] = []
        self.nodes = 0
        self.record = positions  # positions of values and keys in doc
        self.tags = tags  # the text has a "!", so a scalar may carry an explicit tag

    def problem(self, node: yaml.Node, code: str, message: str, hint: str = "", detail: str = "") -> None:
        line, col = _mark(node)
        self.problems.append(Problem(self.doc.path, line, col, code, message, hint, detail=detail))

    def build(self, node: yaml.Node, key: Key, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES or depth > MAX_DEPTH:
            line, col = _mark(node)
            raise _Abort(
                Problem(
                    self.doc.path,
                    line,
                    col,
                    "Y006",
                    f"文件展开后超过{MAX_NODES:,}个节点或{MAX_DEPTH}层嵌套，可能是别名炸弹",
                    "月报中不需要使用锚点（&）和别名（*）",
                )
            )
        if self.record:
            self.doc.positions[key] = _mark(node)
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR_TAG:  # most values: nothing to check or convert
                if node.style and node.start_mark.line != node.end_mark.line and node.style in "\"'":
                    return self.lines_kept(node)
                return node.value
            return self.scalar(node, key)
        if node.tag not in _COLLECTION_TAGS:
            self.bad_tag(node, key)
            return None
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, key + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self.mapping(node, key, depth)

    def lines_kept(self, node: yaml.ScalarNode) -> str:
        """A quoted text pasted over several lines, with its line breaks (YAML would make each a space).

        Escapes (a backslash in double quotes) leave YAML's reading as it is."""
        raw = self.text[node.start_mark.index + 1 : node.end_mark.index - 1]
        if node.style == '"' and "\\" in raw:
            return node.value
        if node.style == "'":
            raw = raw.replace("''", "'")
        lines = [line.strip(" \t") for line in raw.split("\n")]
        return "\n".join(lines).strip("\n")

    def bad_tag(self, node: yaml.Node, key: Key) -> None:
        self.doc.reported.add(key)
        self.problem(
            node,
            "Y004",
            f"不允许的 YAML 标签 {node.tag.replace(_TAG, '!!')}",
            "报告文件只能包含文本、数字、日期、列表和映射；请删去以 ! 开头的标签",
        )

    def mapping(self, node: yaml.MappingNode, key: Key, depth: int) -> dict:
        result: dict = {}
        first_line: dict = {}
        pairs = list(node.value)
        skip = 0
        for i, (key_node, value_node) in enumerate(pairs):
            if skip:  # the digits after a thousands separator, which YAML took for keys
                skip -= 1
                continue
            if key_node.tag == _STR_TAG and isinstance(key_node, yaml.ScalarNode):
                k = key_node.value  # what scalar() returns for a text key, without the detour
            else:
                if key_node.tag == _MERGE_TAG:
                    self.problem(key_node, "Y004", "不支持合并键 <<", "请把需要的字段直接写出来")
                    continue
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problem(key_node, "Y010", "键必须是简单的文本或数字")
                    continue
                k = self.scalar(key_node, None)
                if not isinstance(k, (str, int)) or isinstance(k, bool):
                    self.problem(key_node, "Y010", f"键 {key_node.value!r} 不是文本", "请给键加引号，或改用字段名")
                    continue
            if k in result:
                self.problem(
                    key_node,
                    "Y003",
                    f"键 “{k}” 重复出现（第一次在第{_mark(first_line[k])[0]}行）",
                    "YAML 会静默丢弃前一个值；请合并这两处或删去其中一处",
                )
                continue
            first_line[k] = key_node
            child = key + (k,)
            if self.record:
                self.doc.key_positions[child] = _mark(key_node)
            result[k] = self.build(value_node, child, depth + 1)
            groups = _thousands(value_node, pairs[i + 1 :]) if node.flow_style else []
            if groups:
                skip = len(groups)
                typed = ",".join([value_node.value, *groups])
                self.doc.reported.add(child)
                self.problem(
                    value_node,
                    "Y103",
                    f"数字不要加千位分隔符：花括号里的半角逗号分隔各项，YAML 把“{typed}”读成了"
                    f"{value_node.value}和名为“{'”“'.join(groups)}”的键",
                    f"写成{typed.replace(',', '')}",
                )
                result[k] = typed  # as typed: no figure is taken from it
        return result

    def scalar(self, node: yaml.ScalarNode, key: Key | None) -> Any:
        tag, text = node.tag, node.value
        if tag not in _SCALAR_TAGS:
            if key is not None:
                self.bad_tag(node, key)
            else:
                self.problem(node, "Y004", f"不允许的 YAML 标签 {tag.replace(_TAG, '!!')}")
            return text
        if tag == _STR_TAG:
            return text
        if (
            tag == _INT_TAG
            and text.isdigit()
            and text.isascii()
            and (text[0] != "0" or len(text) == 1)
            and len(text) <= 100
            and not self.tags
        ):
            # a plain decimal count (the most common non-text value): what construct_yaml_int gives
            if key is not None and not node.style:
                self.doc.sources[key] = text
            return int(text)
        if self.tags and tag != _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)):
            # an explicit !!int, !!float, !!bool, !!null or !!timestamp on text that is not one
            # (`!!int abc`): PyYAML's constructors would raise, or silently drop the text
            if key is not None:
                self.doc.reported.add(key)
            self.problem(
                node,
                "Y004",
                f"标签 {tag.replace(_TAG, '!!')} 与取值“{text[:30]}”不符",
                "报告文件不需要 YAML 标签；请删去以 ! 开头的标签",
            )
            return text
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "int" and len(text) > 100:  # Python refuses to convert ints of over 4,300 digits
            if key is not None:
                self.doc.reported.add(key)
            self.problem(node, "Y110", f"数字{text[:20]}…有{len(text):,}位，太长了", "请检查是否误粘贴了内容")
            return text
        plain = not node.style  # None from the pure-Python composer, "" from libyaml
        if tag == _TAG + "bool":
            if plain and text.lower() not in _PLAIN_BOOL:
                return self.surprise(
                    node,
                    key,
                    f"未加引号的 {text} 被 YAML 1.1读成了布尔值 "
                    f"{'true' if text.lower() in ('yes', 'y', 'on') else 'false'}",
                    f'如果这是文字，请加引号："{text}"',
                )
            value: Any = text.lower() == "true"
        elif tag == _TAG + "timestamp":
            try:
                value = _CONSTRUCTOR.construct_yaml_timestamp(node)
            except (ValueError, OverflowError) as exc:
                if key is not None:
                    self.doc.reported.add(key)
                self.problem(
                    node,
                    "Y007",
                    f"日期{text}不存在",
                    NO_SUCH_DAY_HINT,
                    detail=str(exc),
                )
                return text
        elif tag == _TAG + "int":
            if plain and _SURPRISING_INT.match(text):
                value = _CONSTRUCTOR.construct_yaml_int(node)
                reading = (
                    "八进制"
                    if re.match(r"^[-+]?0[0-7_]+$", text)
                    else "六十进制"
                    if ":" in text
                    else "非十进制"
                    if re.match(r"^[-+]?0[xb]", text)
                    else "去掉下划线的"
                )
                return self.surprise(
                    node,
                    key,
                    f"未加引号的{_short(text)}被 YAML 1.1当作{reading}数读成了{_short(str(value))}",
                    _number_hint(text),
                )
            value = _CONSTRUCTOR.construct_yaml_int(node)
        else:  # float
            try:
                value = _CONSTRUCTOR.construct_yaml_float(node)
            except (OverflowError, ValueError):  # 1:1:…:1.5 with 175 parts is 60**174: more than a float holds
                value = None
            if plain and _SURPRISING_FLOAT.match(text):
                return self.surprise(
                    node,
                    key,
                    f"未加引号的{_short(text)}被 YAML 1.1当作六十进制数读成了"
                    + ("一个超出范围的数" if value is None else str(value)),
                    f'如果这是文字（如时间），请加引号："{_short(text)}"',
                )
            if value is None:
                if key is not None:
                    self.doc.reported.add(key)
                self.problem(node, "Y110", f"数字{_short(text)}超出了能表示的范围", "请检查是否误粘贴了内容")
                return text
        if key is not None and plain:
            self.doc.sources[key] = text
        return value

    def surprise(self, node: yaml.ScalarNode, key: Key | None, message: str, hint: str) -> str:
        """Report a YAML 1.1 surprise once; keep the text as typed so nothing else trips on it."""
        if key is not None:
            self.doc.reported.add(key)
        self.problem(node, "Y008", message, hint)
        return node.value


_GROUP = re.compile(r"^[0-9]{3}(\.[0-9]+)?$")  # the digits after a thousands separator (and a fraction)


def _thousands(value_node: yaml.Node, following: list) -> list[str]:
    """`{fixed: 1,234}`: in a flow mapping the comma separates pairs, so YAML reads the value 1 and a key
    234 without a value.  The groups of digits that follow a plain 1-3 digit number directly after a
    comma (no space), each a key without a value; [] when there are none."""
    if not (_plain_scalar(value_node) and re.fullmatch(r"[-+]?[0-9]{1,3}", value_node.value)):
        return []
    groups: list[str] = []
    end = value_node.end_mark
    for key_node, value in following:
        start = key_node.start_mark
        if not (
            _plain_scalar(key_node)
            and _GROUP.match(key_node.value)
            and (start.line, start.column) == (end.line, end.column + 1)  # one character between: the comma
            and isinstance(value, yaml.ScalarNode)
            and value.tag == _TAG + "null"
            and value.value == ""
        ):
            break
        groups.append(key_node.value)
        if "." in key_node.value:
            break
        end = key_node.end_mark
    return groups


def _plain_scalar(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and not node.style


def _short(text: str, limit: int = 40) -> str:
    """A value as messages quote it: at most `limit` characters (a pasted 100 KB value stays in its file)."""
    return text if len(text) <= limit else text[:limit] + "…"


def _number_hint(text: str) -> str:
    digits = text.replace("_", "")
    if re.match(r"^[-+]?0\d+$", digits) and len(digits) <= 100:
        return f'数量请不要以0开头（写{int(digits)}）；如果是编号或电话，请加引号："{_short(text)}"'
    if ":" in text:
        return f'如果这是时间或文字，请加引号："{_short(text)}"'
    return f'数量请直接写阿拉伯数字；如果这是文字，请加引号："{_short(text)}"'


_CONSTRUCTOR = yaml.constructor.SafeConstructor()  # only its stateless construct_yaml_* methods are used
_RESOLVER = yaml.resolver.Resolver()  # what a plain scalar's text means without an explicit tag


def is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
