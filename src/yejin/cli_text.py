"""The command line's own words in Chinese: help headings, placeholders and usage errors.

typer (and the click it vendors as `typer._click`) writes its help and its usage errors in
English.  Everything it shows passes through one of two places, both here:

- help: `ChineseFormatter`, the formatter of every command's context (`ChineseGroup` gives its
  context class to each command), translates headings, the usage line, placeholders such as
  `<str>` and the `[default: …; required]` notes, and never wraps inside `YYYY-MM-DD`;
- usage errors: `ChineseGroup.main` catches click's exceptions and prints `usage_error_text`.

Option names (`--month`), values the user types (`json`) and codes stay as they are.
"""

from __future__ import annotations

import difflib
import re
import sys
import unicodedata
from typing import Any, Optional

from typer import _click as click
from typer._click import exceptions as click_errors
from typer.core import TyperGroup
from typer.exceptions import Abort

HELP_COMMAND_HINT = "请运行 {command} --help 查看用法"

_HEADINGS = {"Options": "选项", "Arguments": "参数", "Commands": "命令"}
_USAGE_WORDS = [("[OPTIONS]", "[选项]"), ("COMMAND [ARGS]...", "命令 [参数]..."), ("[ARGS]...", "[参数]...")]
# the arguments of yejin's commands, as usage lines and help name them
ARGUMENT_NAMES = {
    "paths": "路径",
    "folder": "文件夹",
    "FOLDER": "文件夹",
    "PATHS": "路径",
    "files": "文件",
    "FILES": "文件",
}
# the placeholders typer derives from a parameter's type
_TYPE_WORDS = {
    "str": "文本",
    "int": "整数",
    "float": "数字",
    "Path": "路径",
    "path": "路径",
    "bool": "是/否",
    "list[Path]": "路径",
    "list[int]": "整数",
    "list[str]": "文本",
}
_TEXTS = {
    "Show this message and exit.": "显示本帮助并退出",
    "Install completion for the current shell.": "为当前终端（bash、zsh、fish、PowerShell）安装命令补全",
    "Show completion for the current shell, to copy it or customize the installation.": "显示当前终端的命令补全脚本（不安装），可复制或自行修改",
}
_NOTE_WORDS = [
    (re.compile(r"^env var: (.*)$"), r"环境变量：\1"),
    (re.compile(r"^default: (.*)$"), r"默认：\1"),
    (re.compile(r"^required$"), "必填"),
]


# the placeholder each option of yejin's shows in its help
OPTION_PLACEHOLDERS = {
    "--as-of": "日期",
    "--submitted": "日期",
    "--date": "日期",
    "--month": "月份",
    "--unit": "单位",
    "--title": "标题",
    "--category": "类别",
    "--summary": "摘要",
    "--name": "短名",
    "--within": "天数",
    "--output": "文件",
    "--measure": "措施序号",
    "--data": "目录",
    "--province-owner": "负责人",
}


def _placeholder(match: re.Match, option: str = "") -> str:
    inner = match.group(1)
    if option in OPTION_PLACEHOLDERS:
        return f"<{OPTION_PLACEHOLDERS[option]}>"
    if "|" in inner and not inner.startswith("list["):  # the values themselves: text|json|github
        return match.group(0)
    return f"<{_TYPE_WORDS.get(inner, '值')}>"


def translate_term(first: str) -> str:
    """An option's left column: `--as-of <str>` → `--as-of <文本>`."""
    first = re.sub(r"^(\w+)(?=\.\.\.| |$)", lambda m: ARGUMENT_NAMES.get(m.group(1), m.group(1)), first)
    if re.match(r"^[^-\s]+\.\.\. <", first):  # an argument: `路径... <路径>` says it twice
        first = first.split(" <")[0]
    long_names = re.findall(r"--[a-z][a-z-]*", first)
    option = long_names[0] if long_names else ""
    return re.sub(r"<([^<>]+)>", lambda m: _placeholder(m, option), first)


def translate_help(text: str) -> str:
    """An option's help text with typer's `[default: …; required]` note in Chinese."""
    text = _TEXTS.get(text, text)

    def notes(match: re.Match) -> str:
        parts = []
        for part in match.group(1).split("; "):
            for pattern, word in _NOTE_WORDS:
                part = pattern.sub(word, part)
            parts.append(part)
        return "[" + "；".join(parts) + "]"

    for english, chinese in _TEXTS.items():
        text = text.replace(english, chinese)
    return re.sub(r"\[((?:env var|default|required)[^\]]*)\]$", notes, text)


def translate_usage(args: str) -> str:
    for english, chinese in _USAGE_WORDS:
        args = args.replace(english, chinese)
    return re.sub(r"\b(\w+)\b", lambda m: ARGUMENT_NAMES.get(m.group(1), m.group(1)), args)


class ChineseFormatter(click.HelpFormatter):
    """click's help formatter speaking Chinese; columns measured in terminal cells (a Chinese
    character takes two) and lines never broken inside `2022-06-30`, `--as-of` or a word."""

    def write_usage(self, prog: str, args: str = "", prefix: Optional[str] = None) -> None:
        super().write_usage(prog, translate_usage(args), "用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_HEADINGS.get(heading, heading)}：\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        for paragraph in text.split("\n\n"):
            lines = wrap(" ".join(paragraph.split("\n")), max(self.width - self.current_indent, 20))
            self.write("".join(f"{indent}{line}\n" for line in lines))
            self.write("\n")
        if self.buffer and self.buffer[-1] == "\n":
            self.buffer.pop()

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(translate_term(first), translate_help(second)) for first, second in rows]
        if not rows:
            return
        first_width = min(max(cells(first) for first, _ in rows), col_max)
        lead = self.current_indent + first_width + col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if cells(first) <= first_width:
                self.write(" " * (first_width - cells(first) + col_spacing))
            else:
                self.write("\n" + " " * lead)
            lines = wrap(second, max(self.width - lead, 20))
            self.write(lines[0] + "\n")
            self.write("".join(" " * lead + line + "\n" for line in lines[1:]))


def cells(text: str) -> int:
    """Terminal cells a text takes: two for a Chinese (wide) character."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# (a full-width space U+3000 is a character of the text, as in 措施5　执法检查…: kept, never at a line's start)
_TOKEN = re.compile(r"\[[^\[\]]{1,30}\]|[\x21-\x7e]+|[ \t\r\n]+|.")
_NO_LINE_END = set("（《「『“‘(")
_NO_LINE_START = set("，。；：、）》」』”’！？,.;:)]%\u3000")


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` cells: break between Chinese characters or at spaces, never inside
    a run of ASCII (`YYYY-MM-DD`, `--as-of`, `tasks.yaml`), never before closing punctuation."""
    lines, line = [], ""
    for token in _TOKEN.findall(text):
        if token[0] in " \t\r\n":
            token = " "
            if not line:
                continue
        if line and cells(line) + cells(token) > width and token != " " and token[0] not in _NO_LINE_START:
            carried = line[-1] if line[-1] in _NO_LINE_END else ""
            lines.append(line[: len(line) - len(carried)].rstrip())
            line = carried + token
        else:
            line += token
    lines.append(line.rstrip())
    return lines


class ChineseContext(click.Context):
    formatter_class = ChineseFormatter


def _hint_name(param_hint: Any) -> str:
    if param_hint is None:
        return ""
    if isinstance(param_hint, (list, tuple)):
        param_hint = " / ".join(param_hint)
    return str(param_hint).replace("'", "")


def _option_names(ctx: Optional[click.Context]) -> list[str]:
    if ctx is None:
        return []
    return [name for param in ctx.command.get_params(ctx) for name in getattr(param, "opts", [])]


def _bad_value(message: str) -> str:
    """click's and typer's English reasons for a refused value, in Chinese (ours are Chinese already)."""
    head, one_of, tail = message.rpartition("' is not one of ")  # (a regex took minutes on a long value of ')
    if one_of and "'" in head and "\n" not in tail:
        choices = "、".join(c.strip(" '") for c in tail.removesuffix(".").split(","))
        value = head[head.index("'") + 1 :]
        return f"“{value}”不是可选的值；可选：{choices}"
    if "valid integer" in message:
        return "应为整数"
    if "valid number" in message or "valid float" in message:
        return "应为数字"
    if m := re.search(r"Value '?(.*?)'? is not a valid (\w+)", message):
        return f"“{m.group(1)}”不是有效的{_TYPE_WORDS.get(m.group(2), '值')}"
    if re.search(r"does not exist", message):
        return "路径不存在"
    if re.search(r"[\u4e00-\u9fff]", message):
        return message
    return "取值无效"


def usage_error_message(exc: click.ClickException) -> str:
    """The message of a usage error, in Chinese."""
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, click_errors.MissingParameter):
        name = _hint_name(exc.param_hint) or (
            " / ".join(exc.param.opts) if exc.param is not None and exc.param.opts else ""
        )
        if exc.param is not None and exc.param.param_type_name == "argument":
            return f"缺少参数 {ARGUMENT_NAMES.get(name, name)}"
        return f"缺少选项 {name}"
    if isinstance(exc, click_errors.BadParameter):
        name = _hint_name(exc.param_hint) or (" / ".join(exc.param.opts) if exc.param is not None else "")
        return f"{name} 的取值有误：{_bad_value(exc.message)}" if name else f"取值有误：{_bad_value(exc.message)}"
    if isinstance(exc, click_errors.NoSuchOption):
        known = _option_names(ctx)
        near = difflib.get_close_matches(exc.option_name, known, n=1, cutoff=0.6)
        text = f"没有选项 {exc.option_name}"
        return text + (f"，是否为 {near[0]}？" if near else "")
    if isinstance(exc, click_errors.BadOptionUsage):
        if m := re.match(r"Option '(.*)' requires (?:an argument|(\d+) arguments)", exc.message):
            return f"选项 {m.group(1)} 后面缺少取值"
        if m := re.match(r"Option '(.*)' does not take a value", exc.message):
            return f"选项 {m.group(1)} 后面不能跟取值"
        return _bad_value(exc.message)
    message = exc.message if hasattr(exc, "message") else str(exc)
    if m := re.match(r"No such command '(.*)'\.", message):
        commands = list(ctx.command.commands) if ctx is not None and hasattr(ctx.command, "commands") else []
        near = difflib.get_close_matches(m.group(1), commands, n=1, cutoff=0.5)
        return f"没有命令 {m.group(1)}" + (f"，是否为 {near[0]}？" if near else "")
    if message.startswith("Missing command"):
        return "缺少命令"
    if m := re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", message):
        return f"多出了参数：{m.group(1)}"
    if re.search(r"[\u4e00-\u9fff]", message):
        return message
    return "命令行有误"


def usage_error_text(exc: click.ClickException) -> str:
    """What a usage error prints: the usage line, where to find help, and the error, in Chinese."""
    ctx = getattr(exc, "ctx", None)
    lines = []
    if isinstance(exc, click_errors.UsageError) and ctx is not None:
        lines.append(ctx.get_usage())
        lines.append(HELP_COMMAND_HINT.format(command=ctx.command_path))
        lines.append("")
    lines.append(f"错误：{usage_error_message(exc)}")
    return "\n".join(lines)


def move_global_options(args: list[str], commands: set[str], options: tuple[str, ...] = ("--data",)) -> list[str]:
    """`yejin status --data X` read as `yejin --data X status`: the global options the group takes
    may also follow the command name (until `--`)."""
    command_at = None
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            return args
        if arg in options:
            index += 2
            continue
        if arg in commands:
            command_at = index
            break
        index += 1
    if command_at is None:
        return args
    front, moved, rest = args[:command_at], [], []
    tail = args[command_at + 1 :]
    index = 0
    while index < len(tail):
        arg = tail[index]
        if arg == "--":
            rest += tail[index:]
            break
        if arg in options and index + 1 < len(tail):
            moved += tail[index : index + 2]
            index += 2
            continue
        if any(arg.startswith(f"{o}=") for o in options):
            moved.append(arg)
            index += 1
            continue
        rest.append(arg)
        index += 1
    return [*front, *moved, args[command_at], *rest]


class ChineseGroup(TyperGroup):
    """yejin's command group: its commands' help and usage errors in Chinese, `--data` anywhere."""

    context_class = ChineseContext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for command in self.commands.values():
            command.context_class = ChineseContext

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, move_global_options(args, set(self.commands)))

    def main(self, args: Any = None, prog_name: Any = None, complete_var: Any = None, standalone_mode: bool = True, **extra: Any) -> Any:  # fmt: skip
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click_errors.NoArgsIsHelpError as exc:
            click.echo(exc.format_message(), err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(usage_error_text(exc), err=True)
            sys.exit(exc.exit_code)
        except Abort:
            click.echo("已中止", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)
