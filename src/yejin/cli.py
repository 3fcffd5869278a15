"""The command line: parse options, call plain functions, render, choose the exit code.

Heavy modules (pydantic models, openpyxl) are imported inside the commands that
need them, so `yejin --help` and `yejin --version` start fast.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from yejin import __version__
from yejin.cli_text import ChineseGroup
from yejin.words import month_words

if TYPE_CHECKING:
    from yejin.checking.dataset import Dataset
    from yejin.checking.verdict import Verdict

# exit codes (退出码), decided here only; typer itself ends usage errors with 2 and Ctrl-C with 130
EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

app = typer.Typer(
    cls=ChineseGroup,  # help and usage errors in Chinese; --data also after the command
    help="冶金制造安全专项整治三年行动：数据校验、进度汇总、统计表导出。",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_show_locals=False,  # never print report contents in a crash
)


class State:
    data: Path = Path("data")
    no_cache: bool = False


def _cache() -> bool:
    """Keep and use validate's stored verdict? Not with --no-cache or YEJIN_NO_CACHE=1."""
    from yejin.checking.verdict import enabled

    return enabled(State.no_cache)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"yejin {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    data: Annotated[
        Path,
        typer.Option("--data", envvar="YEJIN_DATA", help="数据目录（含 tasks.yaml 和 reports/）", show_default=True),
    ] = Path("data"),
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本号并退出")
    ] = False,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="不使用也不保存上次的校验结论（存放在用户缓存文件夹中）；也可设置环境变量 YEJIN_NO_CACHE=1",
        ),
    ] = False,
) -> None:
    from typer._click.core import ParameterSource

    if ctx.get_parameter_source("data") is ParameterSource.DEFAULT:
        from yejin.checking.dataset import find_data_folder

        data = find_data_folder(Path.cwd()) or data  # like git: from any folder inside the data repository
    State.data = data
    State.no_cache = no_cache


class Format(str, Enum):
    text = "text"
    json = "json"
    github = "github"


def _print_problems(data: "Dataset | Verdict", fmt: Format, only: set[str] | None = None, strict: bool = False) -> int:
    """Print a data folder's problems (only those of the files in `only`, those these files cause in
    other files, and tasks.yaml's, if given) and the summary line; the exit code they call for
    (reminders count only when strict)."""
    from yejin.problems import render

    problems = [
        p
        for p in data.problems
        if only is None or p.path in only or only.intersection(p.related) or p.path == data.tasks_path
    ]
    typer.echo(render(fmt.value, data.files_checked if only is None else len(only), problems, _terminal_width()))
    return EXIT_INVALID if any(strict or p.level == "error" for p in problems) else EXIT_OK


def _terminal_width(err: bool = False) -> Optional[int]:
    """The terminal's width when stdout (stderr) is one; None for a pipe or a file (lines stay whole there)."""
    import shutil
    import sys

    return shutil.get_terminal_size().columns if (sys.stderr if err else sys.stdout).isatty() else None


StrictOpt = Annotated[
    bool,
    typer.Option(
        "--strict",
        help="数据中有任何错误就不执行，退出码为1（默认：有误的文件不计入并列出，其余照常汇总）",
    ),
]


def load_valid(strict: bool = False, announce: bool = True) -> "Dataset":
    """The data folder, as the 统计口径 (README) counts it: a file with an error is left out and named
    (announce: on stderr, for commands that do not show the list themselves), the others count.
    Without a usable tasks.yaml, or with --strict and any error: the problems and exit 1."""
    from yejin.checking.dataset import load_dataset

    data = load_dataset(State.data, cache=_cache())
    if not data.tasks_ok or (strict and not data.ok):
        typer.echo("数据未通过校验，请先改正以下错误（yejin validate 可单独检查）：", err=True)
        _print_problems(data, Format.text)
        raise typer.Exit(EXIT_INVALID)
    if announce and data.excluded():
        from yejin.outputs.terminal import excluded_text

        typer.echo(excluded_text(data.campaign, data.excluded(), _terminal_width(err=True)), err=True)
    return data


@app.command()
def validate(
    paths: Annotated[
        Optional[list[Path]], typer.Argument(help="要检查的数据目录或报告文件；默认为 --data 指定的目录")
    ] = None,
    fmt: Annotated[
        Optional[Format],
        typer.Option("--format", "-f", help="输出格式：text、json、github（在 GitHub Actions 中默认 github）"),
    ] = None,
    as_of: Annotated[
        Optional[str],
        typer.Option(
            "--as-of", help="把哪一天当作今天（YYYY-MM-DD），用于检查报送日期是否晚于今天（Y213）；默认为今天"
        ),
    ] = None,
    git_tracked: Annotated[
        bool,
        typer.Option(
            "--git-tracked",
            help="只检查 git 已跟踪或已暂存的文件，未跟踪的文件（如下个月的草稿）不参与检查；提交前检查（pre-commit）用",
        ),
    ] = False,
    strict: Annotated[bool, typer.Option("--strict", help="提醒（草稿、状态倒退）也算错误，退出码为1")] = False,
) -> None:
    """校验任务分解清单和各单位月报（用于提交前检查和 CI）。有错误时退出码为1；提醒只在 --strict 时算错误。"""
    import datetime as dt

    from yejin.checking.dataset import UsageError, check_paths

    today = _date_option(as_of) or dt.date.today()
    if fmt is None:
        fmt = Format.github if os.environ.get("GITHUB_ACTIONS") == "true" else Format.text
    try:
        checked = check_paths(State.data, paths, today, _cache(), git_tracked)
    except UsageError as exc:
        typer.echo(f"错误：{exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    raise typer.Exit(_print_problems(checked.result, fmt, checked.only, strict))


def _month_option(month: Optional[str]) -> Optional[str]:
    from yejin.campaign import wording as terms

    if month is None:
        return None
    try:
        terms.parse_month(month.strip())
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--month") from None
    return month.strip()


def _campaign_month(campaign, month: str, option: str = "--month") -> str:
    """A month of the campaign (统计口径: from the notice's month to the end of its year), or a usage error."""
    outside = campaign.month_problem(month)
    if outside:
        raise typer.BadParameter(
            f"{outside}；本专项行动的月份为{campaign.first_month}至{campaign.last_month}", param_hint=option
        )
    return month


def _date_option(value: Optional[str], name: str = "--as-of"):
    import datetime as dt

    if value is None:
        return None
    from yejin.campaign.wording import option_date_hint

    text = value.strip()
    try:
        if len(text) != 10:
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(option_date_hint(value), param_hint=name) from None


def picture_for(month: Optional[str], as_of: Optional[str], within: int = 30, strict: bool = False, announce=True):
    """Valid data and the month's picture; as_of defaults to today, the month to the latest one with a
    report counted by then."""
    import datetime as dt

    from yejin.picture.aggregate import build_picture, latest_month

    month = _month_option(month)
    as_of_date = _date_option(as_of) or dt.date.today()
    if within < 0:
        raise typer.BadParameter("天数不能为负", param_hint="--within")
    data = load_valid(strict, announce)
    if month is None:
        month = latest_month(data, as_of_date)
        if month is None:
            if as_of is None:
                why = "有误的文件未计入，见上" if data.excluded() else "用 yejin new-report 填写月报"
                typer.echo(f"还没有可汇总的月报（{why}）；用 --month 指定月份", err=True)
                raise typer.Exit(EXIT_INVALID)
            month = as_of_date.strftime("%Y-%m")
    _campaign_month(data.campaign, month)
    return data, build_picture(data, month, as_of_date, within)


MonthOpt = Annotated[
    Optional[str], typer.Option("--month", "-m", help="月份 YYYY-MM（报告期）；默认为最近有报告的月份")
]
AsOfOpt = Annotated[
    Optional[str],
    typer.Option(
        "--as-of",
        help="统计日（YYYY-MM-DD）：这一天及以前报送的报告才计入，并据此判断按时/迟报/未报；默认为今天。"
        "完成时限和序时进度按该月最后一天计算",
    ),
]
WithinOpt = Annotated[int, typer.Option("--within", help="距完成时限多少天内亮黄灯")]
JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON（供脚本和看板使用）")]


@app.command()
def status(
    month: MonthOpt = None,
    as_of: AsOfOpt = None,
    unit: Annotated[
        Optional[str], typer.Option("--unit", "-u", help="只看一个单位：太原市 / 太原 / taiyuan / 140100")
    ] = None,
    within: WithinOpt = 30,
    as_json: JsonOpt = False,
    strict: StrictOpt = False,
) -> None:
    """本月总览：报送情况、各项措施进展、序时进度和红黄绿灯预警（统计口径见 README）。"""
    from yejin.outputs import json_doc as status_json
    from yejin.outputs import terminal as status_view

    data, picture = picture_for(month, as_of, within, strict, announce=as_json)
    campaign = data.campaign
    if unit is not None:
        from yejin.picture.aggregate import city_view

        found = _unit_option(campaign, unit)
        if found.id in picture.counties:  # a city whose counties report: its own month, by county
            view = city_view(campaign, picture, found)
            if as_json:
                typer.echo(status_json.dumps(status_json.city_json(campaign, view)))
            else:
                status_view.render_city(status_view.make_console(), campaign, view)
            return
        if found.parent in picture.counties:  # a county: one row of its city's own view
            picture = city_view(campaign, picture, campaign.unit_by_id[found.parent])
        if as_json:
            typer.echo(status_json.dumps(status_json.unit_json(campaign, picture, found)))
        else:
            status_view.render_unit(status_view.make_console(), campaign, picture, found)
        return
    if as_json:
        typer.echo(status_json.dumps(status_json.picture_json(campaign, picture)))
    else:
        status_view.render_status(status_view.make_console(), campaign, picture, len(data.events_in(picture.month)))


@app.command()
def deadlines(
    as_of: AsOfOpt = None,
    within: WithinOpt = 30,
    month: MonthOpt = None,
    as_json: JsonOpt = False,
    strict: StrictOpt = False,
) -> None:
    """按完成时限列出全部措施及红黄绿灯，未完成的单位列在下面（按该月最后一天计算）。"""
    from yejin.outputs import json_doc as status_json
    from yejin.outputs import terminal as status_view

    data, picture = picture_for(month, as_of, within, strict)
    if as_json:
        typer.echo(status_json.dumps(status_json.deadlines_json(data.campaign, picture)))
    else:
        status_view.render_deadlines(status_view.make_console(), picture)


@app.command()
def tasks(strict: StrictOpt = False) -> None:
    """任务分解清单：任务 → 措施，含目标要求、责任单位、完成时限。"""
    from yejin.outputs import terminal as status_view

    data = load_valid(strict, announce=False)
    status_view.render_tasks(status_view.make_console(), data.campaign)


def _unit_option(campaign, name: str, option: str = "--unit"):
    from yejin.checking.hints import unit_hint

    unit = campaign.resolve_unit(name)
    if unit is None:  # the same suggestion as validate gives for the name in a file (Y109)
        guess = campaign.dormant_county(name) or unit_hint(
            name, {n: campaign.unit_by_id[i].name for n, i in campaign.names.items()}
        )
        known = "、".join(u.short_name or u.name for u in campaign.units)
        raise typer.BadParameter(f"无法识别单位“{name}”。{guess}已知单位：{known}", param_hint=option)
    return unit


def _text_option(value: str, option: str, multiline: bool) -> None:
    """The rule the file's field will be checked with (Y111): refused here, not in the file written."""
    from yejin.campaign.rules import Invalid, as_text
    from yejin.safe_text import visible

    try:
        as_text(value, multiline)
    except Invalid as exc:
        raise typer.BadParameter(f"“{visible(value)}”{exc.message}", param_hint=option) from None


@contextmanager
def _write_errors(path: Path, can_force: bool = True, force: bool = False):
    """Turn a refused overwrite or a failed write into a Chinese message naming `path` and exit 1;
    say what --force replaced; first clear away what a killed earlier write to `path` left behind."""
    from yejin.outputs.files import NotARegularFile, describe_existing, describe_os_error, stale_temps

    removed, others = stale_temps(path)
    for name in removed:
        typer.echo(f"注意：已删除上次中断的写入留下的临时文件 {name}", err=True)
    for name in others:
        typer.echo(f"注意：{name} 可能是中断的写入留下的临时文件；确认没有其他 yejin 正在写入后可以删除", err=True)
    replaced = describe_existing(path) if force else None
    try:
        yield
    except NotARegularFile as exc:
        typer.echo(f"错误：{describe_os_error(exc, path)}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    except FileExistsError:
        fix = "如需覆盖请加 --force" if can_force else "yejin 不会覆盖已有文件；如需重写，请先自行删除或改名"
        typer.echo(f"错误：{path} 已存在，未覆盖；{fix}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    except OSError as exc:
        typer.echo(f"错误：{describe_os_error(exc, path)}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    if replaced:
        typer.echo(f"已覆盖 {path}（{replaced}）", err=True)


def _output(text: str, default_name: str, suffixes: tuple[str, ...]) -> Path:
    """The file `-o text` names (outputs/files.py resolve_output); a wrong extension is a usage error (2),
    a missing folder exit 1."""
    from yejin.outputs.files import OutputPathError, WrongSuffix, resolve_output

    try:
        return resolve_output(text, default_name, suffixes)
    except WrongSuffix as exc:
        raise typer.BadParameter(str(exc), param_hint="-o/--output") from None
    except OutputPathError as exc:
        typer.echo(f"错误：{exc}", err=True)
        raise typer.Exit(EXIT_INVALID) from None


def _check_suffix(text: Optional[str], suffixes: tuple[str, ...]) -> None:
    """A wrong extension in `-o` is a usage error (2) said before any data is read."""
    from yejin.outputs.files import WrongSuffix, check_suffix

    if text is None:
        return
    try:
        check_suffix(text, suffixes)
    except WrongSuffix as exc:
        raise typer.BadParameter(str(exc), param_hint="-o/--output") from None


def _write_new(path: Path, text: str) -> None:
    """Write a file that must not exist yet (new-report, new-event)."""
    from yejin.outputs.files import write_text_atomic
    from yejin.problems import relative

    with _write_errors(Path(relative(path)), can_force=False):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, text)


@app.command("new-report")
def new_report(
    unit: Annotated[str, typer.Option("--unit", "-u", help="报送单位：太原市 / 太原 / taiyuan / 140100")],
    month: Annotated[str, typer.Option("--month", "-m", help="月份 YYYY-MM")],
    submitted: Annotated[Optional[str], typer.Option("--submitted", help="报送日期 YYYY-MM-DD；默认为今天")] = None,
    strict: StrictOpt = False,
) -> None:
    """生成某单位某月的月报草稿（draft: true）：沿用上一次报告的状态、累计数和联系人，进展情况留空待填。"""
    import datetime as dt

    from yejin.outputs.scaffold import new_report_text, report_path
    from yejin.problems import relative

    month = _month_option(month)
    submitted_date = _date_option(submitted, "--submitted") or dt.date.today()
    data = load_valid(strict)
    _campaign_month(data.campaign, month)
    found = _unit_option(data.campaign, unit)
    path = report_path(State.data, found, month)
    _write_new(path, new_report_text(data, found, month, submitted_date))
    typer.echo(relative(path))
    typer.echo(
        f"已生成{found.name}{month_words(month)}月报草稿：请填写各项进展情况、核对累计数，删去 draft: true 这一行，"
        "然后运行 yejin validate（草稿不计入汇总）",
        err=True,
    )


@app.command()
def workbook(
    month: Annotated[str, typer.Option("--month", "-m", help="月份 YYYY-MM")],
    unit: Annotated[
        Optional[str], typer.Option("--unit", "-u", help="报送单位：太原市 / 太原 / taiyuan / 140100")
    ] = None,
    all_units: Annotated[bool, typer.Option("--all", help="每个报送单位一份，写入一个文件夹")] = False,
    output: Annotated[
        Optional[str],
        typer.Option(
            "--output",
            "-o",
            help="输出文件（.xlsx）或文件夹；默认为当前文件夹中的“太原-2022-07.xlsx”，--all 时为文件夹“填报表-2022-07/”",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已有文件")] = False,
    strict: StrictOpt = False,
) -> None:
    """生成 Excel / WPS 填报表：预填上一次报告的状态、累计数和联系人，填好后用 yejin import 导入。

    退出码：0表示已生成；1表示文件已存在（未加 --force）或无法写入；2表示参数错误。
    """
    from yejin.outputs.form import build_form, default_name, form_time
    from yejin.outputs.xlsx import save

    month = _month_option(month)
    if all_units == (unit is not None):
        raise typer.BadParameter(
            "请用 --unit 指定一个单位，或用 --all 生成全部单位的填报表（二者选一）", param_hint="--unit"
        )
    data = load_valid(strict)
    _campaign_month(data.campaign, month)
    units = data.campaign.units if all_units else [_unit_option(data.campaign, unit)]
    if all_units:
        folder = Path(output if output is not None else f"填报表-{month}")
        with _write_errors(folder, can_force=False):
            if folder.exists() and not folder.is_dir():
                raise typer.BadParameter(f"{output} 不是文件夹", param_hint="-o/--output")
            folder.mkdir(parents=True, exist_ok=True)
        targets = [folder / default_name(u, month) for u in units]
    else:
        name = default_name(units[0], month)
        targets = [Path(name) if output is None else _output(output, name, (".xlsx",))]
    from yejin.outputs.files import write_atomic

    for one, path in zip(units, targets):
        wb = build_form(data, one, month)
        with _write_errors(path, force=force):
            write_atomic(path, lambda tmp, wb=wb: save(wb, tmp, form_time(month)), force=force)
        typer.echo(str(path))
    typer.echo(
        f"已生成{len(targets)}份{month_words(month)}填报表：在浅黄色单元格中填写，保存为 .xlsx 后用 yejin import 导入",
        err=True,
    )


@app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(help="填好的填报表（.xlsx），可以有多个", show_default=False)],
    submitted: Annotated[
        Optional[str], typer.Option("--submitted", help="填报表中报送日期空着时用的日期 YYYY-MM-DD；默认为今天")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已有的月报，并列出改动的字段")] = False,
    partial: Annotated[
        bool, typer.Option("--partial", help="有的文件有错误时，仍写入没有错误的文件（默认：一个也不写）")
    ] = False,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="问题的输出格式：text、json、github")] = Format.text,
) -> None:
    """导入填好的填报表：写成 reports/<单位>/<YYYY-MM>.yaml（与 new-report 同一写法），并按月报的全部规则校验。

    错误指到单元格，如 太原-2022-07.xlsx!月报!E31（措施5　执法检查重大危险源数）: Y103 ……

    退出码：0表示全部导入；1表示有文件有错误（未加 --partial 时一个也不写）、月报已存在（未加 --force）或无法写入；2表示参数错误。
    """
    import datetime as dt

    from yejin.outputs.files import write_text_atomic
    from yejin.outputs.form_import import changes, import_forms, previous_version
    from yejin.problems import relative, render
    from yejin.safe_text import visible as safe

    day = _date_option(submitted, "--submitted") or dt.date.today()
    data = load_valid(announce=False)
    results = import_forms(data, [(p, relative(p)) for p in files], day, force)
    problems = [p for r in results for p in r.problems]
    good = [r for r in results if r.ok]
    bad = [r for r in results if not r.ok]
    if problems or fmt != Format.text:  # stdout: the problems (json: only them), then the files written
        typer.echo(render(fmt.value, len(results), problems))
    if bad and not partial:
        typer.echo(
            f"有{len(bad)}个文件有错误，没有写入任何月报；改正后重新导入（或加 --partial 先写入没有错误的文件）",
            err=True,
        )
        raise typer.Exit(EXIT_INVALID)
    for result in good:
        old = previous_version(data, result) if result.target.exists() else None
        with _write_errors(Path(relative(result.target)), force=force):
            result.target.parent.mkdir(parents=True, exist_ok=True)  # a unit that never reported
            write_text_atomic(result.target, result.text, force=force)
        typer.echo(relative(result.target), err=fmt == Format.json)
        if old is not None and result.report is not None:
            lines = changes(old, result.report)
            typer.echo(f"  改动{len(lines)}处" + ("：" if lines else "（内容相同）"), err=True)
            for line in lines:
                typer.echo(f"    {safe(line)}", err=True)
        what = "草稿（还有未填写的内容，见上面的提醒；填好后重新导入）" if result.draft else "月报"
        typer.echo(f"  已导入{result.form.unit.name}{month_words(result.form.month)}{what}：{result.source}", err=True)
    if bad:
        typer.echo(f"未导入（有错误）：{'、'.join(safe(r.source) for r in bad)}", err=True)
        raise typer.Exit(EXIT_INVALID)


@app.command("new-event")
def new_event(
    unit: Annotated[str, typer.Option("--unit", "-u", help="报送单位")],
    date: Annotated[str, typer.Option("--date", "-d", help="日期 YYYY-MM-DD")],
    title: Annotated[str, typer.Option("--title", "-t", help="标题")],
    category: Annotated[
        str, typer.Option("--category", "-c", help="类别：事故、险情、重大隐患、执法行动、其他")
    ] = "其他",
    measure: Annotated[Optional[list[int]], typer.Option("--measure", help="涉及的措施序号，可重复")] = None,
    summary: Annotated[str, typer.Option("--summary", help="情况摘要")] = "",
    name: Annotated[str, typer.Option("--name", help="文件名中的英文短名（字母、数字、- 和 _）")] = "event",
    strict: StrictOpt = False,
) -> None:
    """生成一份重要情况（随时报送）文件；摘要或联系人还没有时写成草稿（draft: true），填好后删去这一行。"""
    import re

    from yejin.outputs.scaffold import event_path, free_event_name, new_event_text
    from yejin.problems import relative
    from yejin.words import EVENT_CATEGORIES

    day = _date_option(date, "--date")
    if category not in EVENT_CATEGORIES:
        raise typer.BadParameter(f"类别应为 {'、'.join(EVENT_CATEGORIES)} 之一", param_hint="--category")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", name):
        raise typer.BadParameter("英文短名只能包含字母、数字、- 和 _", param_hint="--name")
    _text_option(title, "--title", multiline=False)
    _text_option(summary, "--summary", multiline=True)
    data = load_valid(strict)
    _campaign_month(data.campaign, day.strftime("%Y-%m"), "--date")
    found = _unit_option(data.campaign, unit)
    unknown = [n for n in measure or [] if n not in data.campaign.measures]
    if unknown:
        raise typer.BadParameter(f"措施{unknown[0]}不存在", param_hint="--measure")
    path = event_path(State.data, found, day, free_event_name(State.data, found, day, name))
    _write_new(path, new_event_text(data, found, day, title, category, sorted(set(measure or [])), summary))
    typer.echo(relative(path))


@app.command()
def events(
    month: Annotated[
        Optional[str], typer.Option("--month", "-m", help="只列出这个月份（YYYY-MM）的；默认列出专项行动期间全部月份的")
    ] = None,
    unit: Annotated[Optional[str], typer.Option("--unit", "-u", help="只看一个单位")] = None,
    as_json: JsonOpt = False,
    strict: StrictOpt = False,
) -> None:
    """列出重要情况（随时报送的事故、险情、重大隐患、执法行动等；草稿标明“草稿”）。"""
    from yejin.outputs import json_doc
    from yejin.outputs import terminal as status_view

    month = _month_option(month)
    data = load_valid(strict)
    if month is not None:
        _campaign_month(data.campaign, month)
    found = _unit_option(data.campaign, unit) if unit else None
    listed = data.events_in(month, found.id if found else None, drafts=True)
    if as_json:
        typer.echo(json_doc.dumps(json_doc.events_json(data.campaign, listed)))
        return
    status_view.render_events(status_view.make_console(), data.campaign, listed, month, found)


class SchemaKind(str, Enum):
    report = "report"
    tasks = "tasks"
    event = "event"


@app.command()
def schema(
    kind: Annotated[
        SchemaKind, typer.Option("--kind", "-k", help="文件类型：report（月报）、tasks（任务清单）、event（重要情况）")
    ] = SchemaKind.report,
    output: Annotated[
        Optional[str],
        typer.Option("--output", "-o", help="写入文件（.json，已存在时需 --force）或文件夹；默认输出到屏幕"),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已有文件")] = False,
) -> None:
    """输出 JSON Schema（draft 2020-12），供编辑器补全和检查 YAML 文件。"""
    from yejin.outputs.files import write_text_atomic
    from yejin.outputs.schema import render_schema

    text = render_schema(kind.value)
    if output is None:
        typer.echo(text, nl=False)
        return
    path = _output(output, f"{kind.value}.schema.json", (".json",))
    with _write_errors(path, force=force):
        write_text_atomic(path, text, force=force)
    typer.echo(str(path))


@app.command()
def migrate(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只列出要改的地方，不改文件")] = False,
) -> None:
    """一次性改写旧格式的月报：把措施下的行政处罚、罚款、执法检查移到 enforcement（执法情况），其余内容和注释不动。"""
    from yejin.checking.dataset import load_tasks
    from yejin.outputs.migrate import Refused, migrate_file, report_files

    campaign, _, problems, _ = load_tasks(State.data)
    if campaign is None:
        typer.echo("tasks.yaml 未通过校验，请先改正（yejin validate 可检查）", err=True)
        raise typer.Exit(EXIT_INVALID)
    changed = refused = 0
    for path in report_files(State.data):
        display = str(path)
        try:
            result = migrate_file(campaign, path, display, write=not dry_run)
        except Refused as exc:
            refused += 1
            typer.echo(f"{display}：未改动，{exc}", err=True)
            continue
        if result.changes:
            changed += 1
            typer.echo(f"{display}：" + ("将改写" if dry_run else "已改写"))
            for line in result.changes:
                typer.echo(f"  {line}")
            for line in result.warnings:
                typer.echo(f"  注意：{line}")
    verb = "需要改写" if dry_run else "改写"
    typer.echo(f"{verb}{changed}份月报" + (f"，{refused}份未改动（见上）" if refused else ""))
    if refused:
        raise typer.Exit(EXIT_INVALID)


@app.command()
def codeowners(
    province: Annotated[
        Optional[list[str]], typer.Option("--province-owner", help="任务清单的负责人（默认取省级单位的 owners）")
    ] = None,
    strict: StrictOpt = False,
) -> None:
    """输出 CODEOWNERS 文件：每个单位的报告文件夹归该单位的负责人，tasks.yaml 归省厅。"""
    from yejin.campaign.wording import check_owner
    from yejin.outputs.codeowners import render_codeowners
    from yejin.safe_text import visible

    for owner in province or []:
        try:
            check_owner(owner)
        except ValueError as exc:
            raise typer.BadParameter(visible(str(exc)), param_hint="--province-owner") from None
    data = load_valid(strict)
    typer.echo(render_codeowners(data.campaign, State.data, province or []), nl=False)


class BulletinFormat(str, Enum):
    md = "md"
    docx = "docx"


@app.command()
def bulletin(
    month: MonthOpt = None,
    date: Annotated[
        Optional[str],
        typer.Option("--date", "-d", help="成文日期（YYYY-MM-DD），通报落款的日期；默认为今天"),
    ] = None,
    as_of: Annotated[
        Optional[str],
        typer.Option("--as-of", help="统计日（YYYY-MM-DD）：这一天及以前报送的报告才计入；默认为成文日期"),
    ] = None,
    fmt: Annotated[
        BulletinFormat,
        typer.Option("--format", "-f", help="md（Markdown，默认输出到屏幕）或 docx（公文格式的 Word 文件）"),
    ] = BulletinFormat.md,
    output: Annotated[
        Optional[str],
        typer.Option(
            "--output", "-o", help="输出文件（.md 或 .docx）或文件夹；docx 默认按专项行动和月份命名，写在当前文件夹"
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已有文件")] = False,
    public: Annotated[
        Optional[str], typer.Option("--public", help="公开属性，写在成文日期下，如“此件公开发布”“此件不公开”")
    ] = None,
    copy_to: Annotated[
        Optional[list[str]], typer.Option("--cc", help="版记的抄送机关，可重复，如 --cc 省政府安委办")
    ] = None,
    printed_by: Annotated[
        Optional[str], typer.Option("--printed-by", help="版记的印发机关（印发日期即成文日期）；默认为发文机关")
    ] = None,
    strict: StrictOpt = False,
) -> None:
    """起草本月工作进展情况通报（每句话都来自数据；“下步要求”来自数据目录中的模板）。

    三个日期：数据截至该月最后一天；统计日（--as-of，默认为成文日期）以前报送的报告才计入；成文日期（--date）是落款。
    """
    import datetime as dt

    from yejin.outputs import bulletin as circular
    from yejin.outputs.files import write_atomic, write_text_atomic
    from yejin.outputs.json_doc import events_json, picture_json

    written_on = _date_option(date, "--date") or dt.date.today()
    _check_suffix(output, (f".{fmt.value}",))
    data, picture = picture_for(month, as_of or written_on.isoformat(), strict=strict)
    campaign = data.campaign
    try:
        template = circular.load_template(State.data)
        listed = [e for e in data.events_in(picture.month) if e.event.date <= picture.as_of]
        events = events_json(campaign, listed)
        attachment = campaign.table_file_name(picture.month).removesuffix(".xlsx")
        imprint = circular.Imprint(public or "", tuple(copy_to or ()), printed_by or "")
        blocks = circular.build(
            picture_json(campaign, picture), events, template, attachment, written_on, imprint=imprint
        )
    except circular.TemplateError as exc:
        typer.echo(f"错误：{exc}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    if fmt is BulletinFormat.md and output is None:
        typer.echo(circular.to_markdown(blocks), nl=False)
        return
    suffix = f".{fmt.value}"
    default_name = blocks[0].text.replace(" ", "") + suffix
    output = Path(default_name) if output is None else _output(output, default_name, (suffix,))
    with _write_errors(output, force=force):
        if fmt is BulletinFormat.md:
            write_text_atomic(output, circular.to_markdown(blocks), force=force)
        else:
            from yejin.outputs.bulletin_docx import write_docx

            stamp = dt.datetime.combine(written_on, dt.time())
            write_atomic(output, lambda temp: write_docx(blocks, temp, stamp), force=force)
    typer.echo(str(output))


@app.command()
def export(
    month: MonthOpt = None,
    output: Annotated[
        Optional[str],
        typer.Option(
            "--output", "-o", help="输出文件（.xlsx）或文件夹；默认为当前文件夹中的“<统计表标题>（2022年6月）.xlsx”"
        ),
    ] = None,
    date: Annotated[
        Optional[str],
        typer.Option(
            "--date", "-d", help="填报日期（YYYY-MM-DD），填在统计表上；默认为统计日（--as-of），未指定时为今天"
        ),
    ] = None,
    as_of: Annotated[
        Optional[str],
        typer.Option("--as-of", help="统计日（YYYY-MM-DD）：这一天及以前报送的报告才计入；默认为填报日期"),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已有文件")] = False,
    unit: Annotated[
        Optional[str],
        typer.Option("--unit", "-u", help="县（区）单独报送的设区市：导出本市的统计表（各县（区）、市本级和合计）"),
    ] = None,
    strict: StrictOpt = False,
) -> None:
    """导出附件2统计表（Excel，A4 横向，每块按页宽打印）：统计表（按任务分块）、填报说明、任务进展、进展情况、典型案例、报送情况、图表。

    退出码：0表示已导出（有误的文件不计入，列在填报说明中）；1表示加了 --strict 时数据有错误、文件已存在（未加 --force）
    或无法写入；2表示参数错误。
    """
    from yejin.outputs.workbook import default_filename, export_workbook

    _check_suffix(output, (".xlsx",))
    filled_on = _date_option(date, "--date")
    data, picture = picture_for(month, as_of or (filled_on.isoformat() if filled_on else None), strict=strict)
    city = None
    if unit is not None:
        from yejin.picture.aggregate import city_view

        city = _unit_option(data.campaign, unit)
        if city.parent in picture.counties:
            parent = data.campaign.unit_by_id[city.parent]
            raise typer.BadParameter(
                f"{city.name}是{parent.name}的县（区），它的数据在{parent.name}的统计表中（--unit {parent.short_name or parent.name}）",
                param_hint="--unit",
            )
        if city.id not in picture.counties:
            raise typer.BadParameter(
                f"{city.name}的县（区）没有单独报送，全省统计表中{city.name}一行即其全市数；"
                "县（区）单独报送的设区市才能导出本市的统计表",
                param_hint="--unit",
            )
        picture = city_view(data.campaign, picture, city)
    # the workbook needs the campaign and the picture, which keeps the reports it shows (the month's
    # and each unit's one before): the other months of a 10,000-file folder go before the cells come
    data.reports, data.events = [], []
    name = default_filename(data.campaign, picture.month, city)
    path = Path(name) if output is None else _output(output, name, (".xlsx",))
    with _write_errors(path, force=force):
        result = export_workbook(data, picture, path, force=force, filled_on=filled_on)
    for note in result.notes:
        typer.echo(f"注意：{note}", err=True)
    typer.echo(str(result.path))


@app.command()
def site(
    month: Annotated[
        Optional[str],
        typer.Option(
            "--month",
            "-m",
            help="打开网页时显示的月份 YYYY-MM；网页包含本年度到这个月为止有数据的每个月；默认为最近有报告的月份",
        ),
    ] = None,
    output: Annotated[
        Optional[str],
        typer.Option(
            "--output",
            "-o",
            help="网页文件夹；默认为当前文件夹中的“<专项行动名称>进展网页”；已有的文件夹中会新建这个文件夹",
        ),
    ] = None,
    as_of: AsOfOpt = None,
    within: WithinOpt = 30,
    force: Annotated[bool, typer.Option("--force", help="替换以前生成的网页文件夹（不会替换其他文件夹）")] = False,
    serve: Annotated[
        bool, typer.Option("--serve", help="生成后在本机预览（只在127.0.0.1上提供，其他电脑打不开；按中断键结束）")
    ] = False,
    port: Annotated[int, typer.Option("--port", help="预览用的端口（--serve）")] = 8000,
    strict: StrictOpt = False,
) -> None:
    """生成离线网页（无需联网和服务器，双击 index.html 即可打开，手机也能看）：总览、措施、单位、报送、重要情况、数据问题。

    退出码：0表示已生成（有误的文件不计入，列在“数据问题”页）；1表示文件夹已存在（未加 --force）、不是 yejin 生成的网页或无法写入；2表示参数错误。
    """
    from yejin.outputs import site as website
    from yejin.outputs.files import OutputPathError

    data, picture = picture_for(month, as_of, within, strict)
    default_name = f"{data.campaign.info.name}进展网页"
    try:
        target = website.resolve_site(output, default_name)
        files = website.build_site(data, picture.month, picture.as_of, within)
        website.write_site(files, target, force=force)
    except OutputPathError as exc:
        typer.echo(f"错误：{exc}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    except FileExistsError:
        typer.echo(f"错误：{target} 已存在，未覆盖；如需替换以前生成的网页请加 --force", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    except OSError as exc:
        from yejin.outputs.files import describe_os_error

        typer.echo(f"错误：{describe_os_error(exc, target)}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    typer.echo(str(target / "index.html"))
    if serve:
        try:
            server = website.make_server(target, port)
        except OSError as exc:
            typer.echo(f"错误：无法在127.0.0.1:{port}上预览（{exc.strerror}）；请用 --port 换一个端口", err=True)
            raise typer.Exit(EXIT_INVALID) from None
        host, bound = server.server_address[:2]
        typer.echo(f"预览：http://{host}:{bound}/ （只有本机能打开；按 Ctrl-C 结束）", err=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="新数据仓库的文件夹；默认为当前文件夹", show_default=False)] = Path(
        "."
    ),
    git: Annotated[bool, typer.Option("--git/--no-git", help="同时建 git 仓库（git init，需已安装 git）")] = True,
) -> None:
    """新建数据仓库：任务清单、通报模板、各单位文件夹、编辑器用的 Schema、说明、提交前检查和 CI 配置。

    不覆盖已有文件：文件夹中已有其中任何一个文件时什么也不做（退出码为1）。
    """
    from yejin.outputs.init_repo import InitError, init_repository

    try:
        created = init_repository(folder, git=git)
    except InitError as exc:
        typer.echo(f"错误：{exc}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    except OSError as exc:
        from yejin.outputs.files import describe_os_error

        typer.echo(f"错误：{describe_os_error(exc)}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    typer.echo(f"已在 {folder} 中新建数据仓库（{len(created.files)}个文件）")
    if created.git:
        typer.echo(created.git)
    typer.echo("下一步：阅读其中的 README.md；运行 pre-commit install 启用提交前检查；然后 git add -A 并 git commit")


def main() -> None:
    """The console script and `python -m yejin`.  Usage errors end with exit 2 (said in Chinese by
    cli_text.ChineseGroup), Ctrl-C with 130, a closed pipe (`yejin status | head`) quietly with 1;
    a bug with its traceback."""
    app(prog_name="yejin")
