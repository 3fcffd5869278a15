"""The command line: parse options, call plain functions, render, choose the exit code.

Heavy modules (pydantic models, openpyxl) are imported inside the commands that
need them, so `yejin --help` and `yejin --version` start fast.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from . import __version__

if TYPE_CHECKING:
    from .dataset import Dataset

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

app = typer.Typer(
    help="冶金制造安全专项整治三年行动：数据校验、进度汇总、统计表导出。",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_show_locals=False,  # never print report contents in a crash
)


class State:
    data: Path = Path("data")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"yejin {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    data: Annotated[Path, typer.Option("--data", envvar="YEJIN_DATA", help="数据目录（含 tasks.yaml 和 reports/）",
                                       show_default=True)] = Path("data"),
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="显示版本号并退出")] = False,
) -> None:
    State.data = data


class Format(str, Enum):
    text = "text"
    json = "json"
    github = "github"


def _find_root(path: Path) -> Path | None:
    """The data folder a file or folder belongs to: the nearest one holding tasks.yaml."""
    for candidate in [path, *path.resolve().parents]:
        if candidate.is_dir() and (candidate / "tasks.yaml").is_file():
            return candidate
    return None


def _print_problems(data: "Dataset", fmt: Format, only: set[str] | None = None) -> int:
    from .problems import render_github, render_json, render_text, summary

    problems = [p for p in data.problems if only is None or p.path in only or p.path == data.tasks_path]
    files = data.files_checked if only is None else len(only)
    if fmt is Format.json:
        typer.echo(render_json(files, problems))
    else:
        if problems:
            typer.echo(render_github(problems) if fmt is Format.github else render_text(problems))
        typer.echo(summary(files, problems))
    return EXIT_INVALID if any(p.level == "error" for p in problems) else EXIT_OK


def load_valid(fmt: Format = Format.text) -> "Dataset":
    """The data folder, or the validation errors and exit 1: never a picture from invalid data."""
    from .dataset import load_dataset

    data = load_dataset(State.data)
    if not data.ok:
        typer.echo("数据未通过校验，请先改正以下错误（yejin validate 可单独检查）：", err=True)
        _print_problems(data, fmt)
        raise typer.Exit(EXIT_INVALID)
    return data


@app.command()
def validate(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="要检查的数据目录或报告文件；默认为 --data 指定的目录")] = None,
    fmt: Annotated[Optional[Format], typer.Option("--format", "-f", help="输出格式：text、json、github（在 GitHub Actions 中默认 github）")] = None,
) -> None:
    """校验任务分解清单和各单位月报（用于提交前检查和 CI）。"""
    from .dataset import load_dataset
    from .problems import relative

    if fmt is None:
        fmt = Format.github if os.environ.get("GITHUB_ACTIONS") == "true" else Format.text
    root = State.data
    only: set[str] | None = None
    if paths:
        missing = [p for p in paths if not p.exists()]
        if missing:
            typer.echo(f"错误：路径不存在：{'、'.join(str(p) for p in missing)}", err=True)
            raise typer.Exit(EXIT_USAGE)
        roots = {_find_root(p) for p in paths}
        if None in roots:
            if len(paths) == 1 and paths[0].is_dir():
                roots = {paths[0]}  # let load_dataset say what is missing there
            else:
                roots = {State.data}
        if len(roots) > 1:
            typer.echo("错误：一次只能检查一个数据目录中的文件", err=True)
            raise typer.Exit(EXIT_USAGE)
        root = roots.pop()
        if not all(p.is_dir() and p.resolve() == root.resolve() for p in paths):
            only = set()
            for p in paths:
                files = sorted(p.rglob("*.yaml")) if p.is_dir() else [p]
                only.update(relative(f) for f in files)
    data = load_dataset(root)
    raise typer.Exit(_print_problems(data, fmt, only))


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        typer.echo("已中断", err=True)
        sys.exit(130)
