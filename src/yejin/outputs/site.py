"""`yejin site`: the months' pictures as a static website a leader can open from a USB stick or a phone.

What the pages show comes from the picture (picture/aggregate.py) through the `status --json`
document (outputs/json_doc.py): the 总览 of a month is that document, laid out; the other pages take
the same document pieces (submissions, measures, indicator totals) or the picture's own objects.
Nothing here works out a figure, a state or a warning.

The site is HTML and one CSS file, charts are inline SVG, there is no script at all and every page
forbids scripts and any request outside the site (Content-Security-Policy), so it works from
file://.  Templates are files (site_templates/, jinja2) with escaping always on: text from the data
is shown as text, whatever it contains.  The same data gives byte-identical files (no timestamps,
everything in a fixed order), so a site can live in git.

Layout of the folder (all links relative):
    index.html                   → the chosen month's 总览
    style.css
    .yejin-site                  a mark: this folder is a yejin site (may be replaced with --force)
    2022-06/index.html           总览
    2022-06/measure-5.html       措施 5: units × months, indicator lines, units not done
    2022-06/unit-taiyuan.html    单位: submissions month by month, figures, progress, overdue
    2022-06/units.html           单位 (all of them, with their submission and measures done)
    2022-06/submissions.html     报送: unit × month grid
    2022-06/events.html          重要情况
    2022-06/problems.html        数据问题 (文件:行:列)
"""

from __future__ import annotations

import datetime as dt
import http.server
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Optional

from yejin import __version__
from yejin.outputs.files import OutputPathError, folder_ending_in_separator
from yejin.outputs.json_doc import events_json, indicator_json, picture_json, state_json
from yejin.picture.aggregate import MonthPicture, build_picture, measures_by_unit
from yejin.safe_text import visible
from yejin.words import (
    CARRIED,
    DONE,
    STATUS_CODES,
    SUBMISSION_CODES,
    WARNING_NAMES,
    carried_words,
    date_words,
    figure_text,
    month_words,
    number_text,
    short_month,
    zh,
)

if TYPE_CHECKING:
    from yejin.checking.dataset import Dataset

MARK = ".yejin-site"
MARK_TEXT = "这个文件夹由 yejin site 生成；再次生成时（--force）整个文件夹会被替换。\n"
CARRIED_MARK = "*"


# --- what the templates are given ---------------------------------------------------------------


def value_text(ind: dict, key: str = "value", total: bool = True) -> str:
    """An indicator figure of the JSON document as every output writes it (words.figure_text): 62家 / 71.1% /
    "/"; a yes/no indicator: 是 / 否 for one unit (total=False), 是8个 for a total."""
    value = ind[key]
    return figure_text(None if value is None else Decimal(str(value)), ind["unit"], ind["kind"], total=total)


def figure_parts(ind: dict, key: str = "value", total: bool = True) -> tuple[str, str, str]:
    """value_text split around its number (the number is what the 总览 marks for checking): ("", "62", "家")."""
    value = ind[key]
    number = number_text(None if value is None else Decimal(str(value)), "%" if ind["kind"] == "rate" else "")
    full = value_text(ind, key, total)
    before, found, after = full.partition(number)
    return (before, number, after) if found else ("", full, "")


def target_text(ind: dict) -> str:
    if ind["target"] is None:
        return ""
    return f"{ind['target']}{'%' if ind['kind'] == 'rate' else ind['unit']}"


def days_text(days_left: int, done: bool) -> str:
    from yejin.outputs.terminal import days_text as words

    return words(days_left, done)


@dataclass
class Chart:
    """An indicator's cumulative line against its target and the 序时进度 line, as SVG coordinates."""

    name: str
    width: int
    height: int
    points: str  # the line, "x,y x,y"
    dots: list[tuple[float, float, str]]  # x, y, label
    pace: str  # the 序时进度 line
    target_y: Optional[float]
    target_label: str
    ticks: list[tuple[float, str]]  # x, month label


def line_chart(
    name: str, months: list[str], values: list[Optional[float]], labels: list[str], target, target_label: str, pace
):
    """Coordinates only: the figures are the document's (values), target and pace (target × 序时进度)."""
    width, height, left, right, top, bottom = 480, 200, 40, 44, 28, 30
    known = [v for v in values if v is not None] + [p for p in pace if p is not None]
    top_value = max(known + [float(target or 0), 1.0])
    step = (width - left - right) / max(len(months) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return round(left + i * step, 1), round(top + (height - top - bottom) * (1 - v / top_value), 1)

    dots = [(*xy(i, v), labels[i]) for i, v in enumerate(values) if v is not None]
    pace_points = " ".join("{},{}".format(*xy(i, p)) for i, p in enumerate(pace) if p is not None)
    return Chart(
        name,
        width,
        height,
        " ".join(f"{x},{y}" for x, y, _ in dots),
        dots,
        pace_points,
        xy(0, float(target))[1] if target is not None else None,
        f"目标{target_label}" if target is not None else "",
        [(xy(i, 0)[0], short_month(m)) for i, m in enumerate(months)],
    )


# --- the pages ------------------------------------------------------------------------------------


def site_months(data: "Dataset", month: str, as_of: dt.date) -> list[str]:
    """The months the site shows: each month of the year up to `month` with a counted report, and `month`."""
    months = {
        r.month
        for r in data.valid_reports()
        if r.month[:4] == month[:4] and r.month <= month and r.report.submitted <= as_of
    }
    return sorted(months | {month})


class _Builder:
    def __init__(self, data: "Dataset", months: list[str], as_of: dt.date, within: int) -> None:
        self.data = data
        self.campaign = data.campaign
        self.months = months
        self.pictures: dict[str, MonthPicture] = {m: build_picture(data, m, as_of, within) for m in months}
        self.docs = {m: picture_json(self.campaign, p) for m, p in self.pictures.items()}
        self.reports = {(r.unit_id, r.month): r.report for r in data.valid_reports()}
        self.by_unit = {m: {s["unit_id"]: s for s in doc["submissions"]} for m, doc in self.docs.items()}
        self.env = _environment()
        self.templates: dict[str, Any] = {}
        self._cells: dict[tuple[str, int], dict[str, dict]] = {}

    def render(self, path: str, template: str, **context: Any) -> tuple[str, bytes]:
        if template not in self.templates:
            self.templates[template] = self.env.get_template(template)
        return path, self.templates[template].render(**context).encode("utf-8")

    def build(self, chosen: str) -> Iterator[tuple[str, bytes]]:
        yield MARK, MARK_TEXT.encode("utf-8")
        yield self.render("index.html", "home.html", **self.common(chosen, ""), target=f"{chosen}/index.html")
        yield "style.css", _template_file("style.css")
        for month in self.months:
            yield from self.month_pages(month)

    def common(self, month: str, root: str = "../") -> dict:
        doc = self.docs[month]
        return {
            "root": root,
            "campaign": doc["campaign"],
            "month": month,
            "months": self.months,
            "doc": doc,
            "version": __version__,
            "measures": [(m["number"], m["short_title"]) for m in doc["measures"]],
        }

    def month_pages(self, month: str) -> Iterator[tuple[str, bytes]]:
        picture, doc = self.pictures[month], self.docs[month]
        common = self.common(month)
        shown = self.months[: self.months.index(month) + 1]
        carried = [s for s in doc["submissions"] if s["carried_from"]]
        yield self.render(f"{month}/index.html", "overview.html", **common, page="index.html", carried=carried)
        for measure in doc["measures"]:
            yield self.render(
                f"{month}/measure-{measure['number']}.html",
                "measure.html",
                **common,
                page=f"measure-{measure['number']}.html",
                m=measure,
                **self.measure_views(measure, shown),
            )
        by_unit = measures_by_unit(picture)
        for s in doc["submissions"]:
            unit_id = s["unit_id"]
            rows = self.unit_rows(picture, unit_id, by_unit.get(unit_id, []))
            yield self.render(
                f"{month}/unit-{unit_id}.html",
                "unit.html",
                **common,
                page=f"unit-{unit_id}.html",
                s=s,
                history=[(past, self.by_unit[past][unit_id]) for past in shown],
                report=self.reports.get((unit_id, month)),
                rows=rows,
                enforcement=[indicator_json(t) for t in picture.figures[unit_id].enforcement.values()],
                overdue=[r for r in rows if r["overdue"]],
                excluded=[e for e in doc["excluded_files"] if e["unit_id"] == unit_id],
            )
        grid = [(s, [(past, self.by_unit[past][s["unit_id"]]) for past in shown]) for s in doc["submissions"]]
        yield self.render(f"{month}/units.html", "units.html", **common, page="units.html")
        yield self.render(f"{month}/submissions.html", "submissions.html", **common, page="submissions.html", grid=grid)
        listed = [e for e in self.data.events_in(month) if e.event.date <= picture.as_of]
        events = events_json(self.campaign, listed)
        yield self.render(f"{month}/events.html", "events.html", **common, page="events.html", events=events)
        problems = sorted(self.data.problems)
        yield self.render(f"{month}/problems.html", "problems.html", **common, page="problems.html", problems=problems)

    def measure_views(self, measure: dict, shown: list[str]) -> dict:
        number = measure["number"]
        by_month = [self.cells(past, number) for past in shown]
        current = by_month[-1]
        grid = [(current[u], [cells.get(u) for cells in by_month]) for u in current]
        charts = []
        for i, ind in enumerate(measure["indicators"]):
            series = [next(m for m in self.docs[past]["measures"] if m["number"] == number) for past in shown]
            values = [s["indicators"][i]["value"] for s in series]
            pace = [ind["target"] * s["time_share"] if ind["target"] is not None else None for s in series]
            labels = [value_text(s["indicators"][i]) for s in series]
            charts.append(line_chart(ind["name"], shown, values, labels, ind["target"], target_text(ind), pace))
        not_done = []
        for u in measure["units_not_done"]:
            report = self.reports.get((u["unit_id"], u["status_month"])) if u["status_month"] else None
            entry = report.measures.get(number) if report else None
            not_done.append((u, entry.progress if entry else None))
        return {"grid": grid, "charts": charts, "not_done": not_done, "note": self.campaign.measures[number].note}

    def cells(self, month: str, number: int) -> dict[str, dict]:
        """Each responsible unit's state on a measure in a month (worked out once: every later month's grid shows it)."""
        key = (month, number)
        if key not in self._cells:
            progress = next(p for p in self.pictures[month].measures if p.measure.number == number)
            self._cells[key] = {u.unit.id: state_json(u) for u in progress.units}
        return self._cells[key]

    def unit_rows(self, picture: MonthPicture, unit_id: str, measures) -> list[dict]:
        fig = picture.figures[unit_id]
        rows = []
        for progress, state in measures:
            m = progress.measure
            report = self.reports.get((unit_id, state.month)) if state.month else None
            entry = report.measures.get(m.number) if report else None
            rows.append(
                {
                    "number": m.number,
                    "short_title": m.short_title,
                    "note": m.note,
                    "deadline": progress.deadline.isoformat(),
                    "days_left": progress.days_left,
                    "state": state_json(state),
                    "overdue": progress.days_left < 0 and not state.done,
                    "progress": entry.progress if entry else None,
                    "indicators": [
                        indicator_json(fig.values[(m.number, i.key)])
                        for i in m.indicators
                        if (m.number, i.key) in fig.values
                    ],
                }
            )
        return rows


def _template_file(name: str) -> bytes:
    from importlib.resources import files

    return files("yejin.outputs").joinpath("site_templates", name).read_bytes()


def _environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("yejin.outputs", "site_templates"),
        autoescape=True,  # every value is escaped, in text and in attributes
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        value=value_text,
        parts=figure_parts,
        target=target_text,
        visible=visible,
        zh=zh,
        month_words=month_words,
        short_month=short_month,
        carried_words=carried_words,
        date_words=lambda text: date_words(dt.date.fromisoformat(text)),
        num=lambda n: "/" if n is None else f"{n:,}",
        percent=lambda share: f"{share:.0%}",
    )
    env.globals.update(
        days_text=days_text,
        WARNING_NAMES=WARNING_NAMES,
        STATUS_CODES=STATUS_CODES,
        SUBMISSION_CODES=SUBMISSION_CODES,
        DONE=DONE,
        CARRIED=CARRIED,
        CARRIED_MARK=CARRIED_MARK,
    )
    return env


def build_site(data: "Dataset", month: str, as_of: dt.date, within: int = 30) -> Iterator[tuple[str, bytes]]:
    """Every file of the site, one at a time (a large site is never held whole): (relative path with /, content)."""
    return _Builder(data, site_months(data, month, as_of), as_of, within).build(month)


# --- writing and serving --------------------------------------------------------------------------


class NotASite(OutputPathError):
    """The target folder exists, has other files in it and is not a yejin site: never replaced."""


class SiteExists(FileExistsError):
    """The target is a yejin site already and --force was not given."""


def is_site(folder: Path) -> bool:
    return (folder / MARK).is_file() and not (folder / MARK).is_symlink()


def resolve_site(path_text: Optional[str], default_name: str) -> Path:
    """The folder `-o path_text` asks for, by export's rules: none → default_name in the current
    folder; an existing folder that is not a site, or a path ending in a separator (made when
    missing) → default_name inside it; anything else is the site folder itself, in a folder that exists."""
    if path_text is None:
        return Path(default_name)
    inside = folder_ending_in_separator(path_text, default_name)
    if inside is not None:
        return inside
    path = Path(path_text)
    if path.is_dir() and not path.is_symlink() and not is_site(path) and any(path.iterdir()):
        return path / default_name
    if not path.parent.is_dir():
        raise OutputPathError(f"无法写入 {path}：文件夹 {path.parent} 不存在；请先创建它，或检查路径是否写错")
    return path


def write_site(files: Iterable[tuple[str, bytes]], target: Path, force: bool = False) -> Path:
    """Write the whole site into a temporary folder beside target, then move it into place.

    An empty folder or a missing one is filled; a yejin site is replaced only with force; anything
    else (a folder with other files, a file, a link) is never replaced.  A failure part-way leaves
    the old site as it was and no temporary folder behind."""
    existing = _existing(target)
    if existing == "site" and not force:
        raise SiteExists(17, "网页文件夹已存在", str(target))
    sweep_leftovers(target)
    temp = Path(tempfile.mkdtemp(prefix=_temp_prefix(target), suffix=".tmp", dir=target.parent))
    old = None
    try:
        for name, content in files:
            path = temp / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        os.chmod(temp, 0o777 & ~_umask())
        if existing is not None:
            old = temp.with_name(temp.name.replace(".tmp", ".old"))
            os.rename(target, old)
        os.rename(temp, target)
    except BaseException:
        if old is not None and not target.exists():
            os.rename(old, target)
            old = None
        shutil.rmtree(temp, ignore_errors=True)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return target


# A run killed part-way (power cut, kill -9) cannot clean up after itself: its temporary folder is removed by
# the next run that writes the same site, once it is this old (no real run takes minutes: 1,000 units, 2 min)
LEFTOVER_AGE_SECONDS = 3600


def _temp_prefix(target: Path) -> str:
    return f".{target.name}.yejin-{os.getpid()}-"


def sweep_leftovers(target: Path, now: Optional[float] = None) -> list[Path]:
    """Remove what an earlier, killed run of write_site left beside target: folders named as only write_site
    names them (.<name>.yejin-<pid>-….tmp / .old), over LEFTOVER_AGE_SECONDS old, holding a site (or nothing).
    Anything else, however it is named, is left alone.  Returns what was removed."""
    prefix = f".{target.name}.yejin-"

    def named_by_us(name: str) -> bool:  # .<name>.yejin-<pid>-<random>.tmp or .old
        pid, dash, _ = name[len(prefix) :].partition("-")
        return name.startswith(prefix) and name.endswith((".tmp", ".old")) and pid.isdigit() and bool(dash)

    now = time.time() if now is None else now
    removed = []
    try:
        beside = list(target.parent.iterdir())
    except OSError:
        return removed
    for path in beside:
        if not named_by_us(path.name) or path.is_symlink() or not path.is_dir():
            continue
        try:
            old_enough = now - path.stat().st_mtime >= LEFTOVER_AGE_SECONDS
            ours = is_site(path) or not any(path.iterdir())
        except OSError:
            continue
        if old_enough and ours:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _existing(target: Path) -> Optional[str]:
    """None: nothing there; "empty": an empty folder; "site": a yejin site; NotASite for anything else."""
    if not os.path.lexists(target):
        return None
    if target.is_symlink() or not target.is_dir():
        raise NotASite(f"{target} 已存在，但不是文件夹；yejin 不会替换它，请另选一个文件夹名")
    if is_site(target):
        return "site"
    if any(target.iterdir()):
        raise NotASite(
            f"{target} 是一个已有内容的文件夹，不是 yejin 生成的网页；yejin 不会替换它（加 --force 也一样），"
            "请另选一个文件夹名"
        )
    return "empty"


def make_server(folder: Path, port: int = 8000) -> http.server.ThreadingHTTPServer:
    """A preview server for the site, on this computer only (127.0.0.1)."""
    handler = partial(_QuietHandler, directory=str(folder))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass
