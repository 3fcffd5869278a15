"""The `yejin` program: `yejin validate` as pre-commit and CI run it, without typer; all else through cli.py.

`yejin validate` runs on every commit and every push, so its cold start matters (README「性能」).
An empty typer command with validate's options already takes 1.6 times the import floor of
yaml, pydantic, typer and rich (typer 0.29 builds a pydantic TypeAdapter for each option before
running a command).  So main() reads the usual forms of the command line itself:

    yejin [--data DIR | --data=DIR] [--no-cache] validate [--format F | -f F | --format=F]
          [--as-of YYYY-MM-DD | --as-of=YYYY-MM-DD] [PATH…]

(global options in any order and repeated, the last one counting, as typer takes them; YEJIN_DATA
and YEJIN_NO_CACHE as with typer) and calls run_validate(), the one implementation of the command,
which cli.validate calls too.  Anything else — another command or option, --help, --version,
shell completion, a value typer would refuse or that this reader does not fully understand —
goes to the typer application in cli.py unchanged, so its messages and exit codes stay typer's.

Nothing here imports typer, rich, pydantic or openpyxl.  run_validate reads plainly valid files
with lite.py and imports pydantic only for a file that needs the models to say what is wrong with it
(or that lite.py is not sure about).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Callable, Iterator, NamedTuple, Optional

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

    from yejin.checking.cache import Verdict
    from yejin.checking.dataset import Dataset

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
FORMATS = ("text", "json", "github")  # cli.Format's values


def echo(message: str, err: bool = False) -> None:
    """typer.echo (click's echo) for text, without importing typer: same stream, newline and flush.

    Like click, ANSI escape sequences (from report text) are removed unless the stream is a
    terminal, and a stream whose encoding is ASCII is written to in UTF-8 (errors replaced)."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:  # no console (pythonw)
        return
    out = message + "\n"
    try:
        tty = stream.isatty()
    except Exception:
        tty = False
    if not tty or sys.platform.startswith("win"):  # (on Windows click translates them with colorama, if installed)
        import re

        out = re.sub(r"\033\[[;?0-9]*[a-zA-Z]", "", out)
    import codecs

    try:
        ascii_only = codecs.lookup(getattr(stream, "encoding", None) or "ascii").name == "ascii"
    except LookupError:
        ascii_only = False
    binary = getattr(stream, "buffer", None) if ascii_only else None
    if binary is not None:
        stream.flush()
        binary.write(out.encode("utf-8", "replace"))
        binary.flush()
        return
    stream.write(out)
    stream.flush()


def parse_date(value: str) -> "Optional[dt.date]":
    """An --as-of value as cli._date_option reads it; None when it is not a date."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


def find_root(path: "Path") -> "Optional[Path]":
    """The data folder a file or folder belongs to: the nearest one holding tasks.yaml."""
    from pathlib import Path

    # the folders the path names first (a unit folder may be a symlink to elsewhere), then the real ones
    for candidate in [path, *Path(os.path.abspath(path)).parents, *path.resolve().parents]:
        if candidate.is_dir() and (candidate / "tasks.yaml").is_file():
            return candidate
    return None


def print_problems(data: "Dataset | Verdict", fmt: str, only: "set[str] | None" = None,
                   echo: Callable[..., None] = echo) -> int:
    """Print a data folder's problems (only those of the files in `only`, and tasks.yaml's, if
    given) in the format asked for, and the summary line; the exit code they call for."""
    from yejin.problems import render_github, render_json, render_text, summary

    problems = [p for p in data.problems if only is None or p.path in only or p.path == data.tasks_path]
    files = data.files_checked if only is None else len(only)
    if fmt == "json":
        echo(render_json(files, problems))
    else:
        if problems:
            echo(render_github(problems) if fmt == "github" else render_text(problems))
        echo(summary(files, problems))
    return EXIT_INVALID if any(p.level == "error" for p in problems) else EXIT_OK


def run_validate(data_root: "Path", paths: "list[Path] | None" = None, fmt: Optional[str] = None,
                 today: "Optional[dt.date]" = None, cache: bool = True,
                 echo: Callable[..., None] = echo) -> int:
    """`yejin validate`: check the data folder (or the folder the given files and folders belong to),
    print the problems and return the exit code: 0 valid, 1 problems found, 2 a usage error.

    data_root is --data; fmt one of FORMATS or None (github in GitHub Actions, else text);
    cache: use the parse cache and the stored verdict (cache.enabled() has decided)."""
    import datetime as dt

    from yejin.checking.dataset import check_loose_file, inside_folder, load_dataset, looks_like_yaml, shown_path, walk_files

    if fmt is None:
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    root = data_root
    only: set[str] | None = None
    files: list[Path] | None = None
    if paths:
        missing = [p for p in paths if not p.exists()]
        if missing:
            echo(f"错误：路径不存在：{'、'.join(str(p) for p in missing)}", err=True)
            return EXIT_USAGE
        roots = {find_root(p) for p in paths}
        if None in roots:
            if len(paths) == 1 and paths[0].is_dir():
                roots = {paths[0]}  # let load_dataset say what is missing there
            else:
                roots = {data_root}
        if len(roots) > 1:
            echo("错误：一次只能检查一个数据目录中的文件", err=True)
            return EXIT_USAGE
        root = roots.pop()
        if not all(p.is_dir() and p.resolve() == root.resolve() for p in paths):
            files = [f for p in paths for f in ([f for f in walk_files(p) if looks_like_yaml(f)] if p.is_dir() else [p])]
    today = today or dt.date.today()
    loose = [f for f in files or [] if not inside_folder(root, f)]
    data: "Dataset | Verdict | None" = None
    if cache and not loose:  # nothing changed since the last run: its verdict, without parsing
        from yejin.checking.cache import cached_verdict

        data = cached_verdict(root, today)
    if data is None:
        data = load_dataset(root, today=today, cache=cache, lite=True)  # plainly valid files without pydantic
    if files is not None:
        only = {shown_path(root, f) for f in files}
        for f in loose:  # a draft outside the data folder is still checked, on its own
            data.problems += check_loose_file(data, f, today, lite=True)  # type: ignore[arg-type]  # loose: not a verdict
    return print_problems(data, fmt, only, echo)


class Request(NamedTuple):
    """A `yejin validate` command line, read without typer."""

    data: str
    no_cache: bool
    paths: list[str]
    fmt: Optional[str]
    as_of: Optional[str]


def _value(arg: str, names: tuple[str, ...], rest: Iterator[str]) -> Optional[str]:
    """The value of `NAME VALUE` (arg is one of names: the next argument) or `NAME=VALUE`; None if missing."""
    return next(rest, None) if arg in names else arg.split("=", 1)[1]


def read_argv(argv: list[str]) -> Optional[Request]:
    """The validate command line in argv (without the program name), or None: let typer read it."""
    if any(name.endswith("_COMPLETE") for name in os.environ):  # typer's shell completion
        return None
    data, no_cache = os.environ.get("YEJIN_DATA") or "data", False
    rest = iter(argv)
    for arg in rest:  # the global options, then the command
        if arg == "validate":
            break
        if arg == "--no-cache":
            no_cache = True
        elif arg == "--data" or arg.startswith("--data="):
            value = _value(arg, ("--data",), rest)
            if not value or value.startswith("-"):
                return None  # missing, or an odd value: typer says what it makes of it
            data = value
        else:
            return None
    else:
        return None  # no command: typer's help
    fmt: Optional[str] = None
    as_of: Optional[str] = None
    paths: list[str] = []
    for arg in rest:
        if arg in ("--format", "-f") or arg.startswith("--format="):
            value = _value(arg, ("--format", "-f"), rest)
            if fmt is not None or value not in FORMATS:
                return None  # given twice, missing or not a format: typer says so
            fmt = value
        elif arg == "--as-of" or arg.startswith("--as-of="):
            value = _value(arg, ("--as-of",), rest)
            if as_of is not None or value is None or parse_date(value) is None:
                return None
            as_of = value
        elif not arg or arg.startswith("-"):
            return None  # --help, an unknown option, "--", "-": typer
        else:
            paths.append(arg)
    return Request(data, no_cache, paths, fmt, as_of)


def main(argv: Optional[list[str]] = None) -> None:
    """The whole program; ends with SystemExit (console() runs it as the console script)."""
    try:
        request = read_argv(sys.argv[1:] if argv is None else argv)
        if request is None:
            from yejin.cli import app

            app(args=argv)  # None: click reads sys.argv, and names the program from it
            return
        from pathlib import Path

        from yejin.checking.cache import enabled

        code = run_validate(Path(request.data), [Path(p) for p in request.paths] or None, request.fmt,
                            parse_date(request.as_of) if request.as_of is not None else None,
                            enabled(request.no_cache))
        _flush()
        sys.exit(code)
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        echo("已中断", err=True)
        sys.exit(130)
    except BrokenPipeError:  # `yejin validate | head`: as click ends (exit 1, no traceback)
        _quiet_streams()
        sys.exit(1)


def console() -> None:
    """The console script and `python -m yejin`: main(), then the process ends without tearing
    the interpreter down.

    Freeing a 3,000-unit month object by object at exit took 0.4 s after the export was written
    (mypy ends the same way, for the same reason).  Everything is on disk by then: files are
    written atomically and the parse cache is closed when loading ends; only the standard streams
    may still hold output, and they are flushed here.  Ctrl-C ends with exit 130 as before (main
    and typer turn it into SystemExit); any other exception (a bug) ends the usual way, with its
    traceback."""
    from yejin.checking.cache import one_shot

    one_shot()
    try:
        main()
        code: object = 0
    except SystemExit as stop:
        code = stop.code
    message = None if code is None or isinstance(code, int) else str(code)  # sys.exit("message")
    exit_code = 1 if message is not None else code or 0
    try:
        if message is not None:  # printed as the interpreter would
            echo(message, err=True)
        _flush()
    except (BrokenPipeError, ValueError):  # `yejin status | head`, or a closed stream
        _quiet_streams()
        exit_code = exit_code or 1
    os._exit(int(exit_code) & 0xFF)  # as the interpreter passes sys.exit(n) on


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()


def _quiet_streams() -> None:
    """After a broken pipe: nothing more is written (interpreter shutdown would flush and fail)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                os.dup2(devnull, stream.fileno())
    except (OSError, ValueError, AttributeError):
        pass
