"""`yejin validate` without typer and without pydantic (entry.py, lite.py): the same answers, fewer imports.

- the validate command line is read without typer; everything else goes to typer unchanged;
- its output and exit codes are those of the same command run through typer (CliRunner);
- plainly valid files are read by lite.py without importing pydantic, and lite.py never accepts
  what the models refuse nor makes other values than they do (checked field by field on every
  YAML file in the repository and on randomly damaged ones).
Timing is the benchmark's business (benchmarks/run.py), not these tests'.
"""

from __future__ import annotations

import copy
import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError
from typer.testing import CliRunner

from conftest import CLEAN_ENV, INVALID, MINIMAL_REPORT, REPO, SHIPPED_DATA, TESTS, subprocess_env
from hardening_helpers import budget
from test_invalid_cases import CASES, build_case
from yejin import lite
from yejin.campaign import models
from yejin.cli import app
from yejin.checking.dataset import load_dataset
from yejin.entry import Request, read_argv
from yejin.reading.yaml_loader import load_file

HEAVY = {"typer", "click", "rich", "openpyxl", "docx", "pydantic", "pydantic_core"}
ENV_CLEAN = {**CLEAN_ENV, "YEJIN_NO_CACHE": None, "YEJIN_PARALLEL_MIN": None}
JUNE = "data/reports/taiyuan/2022-06.yaml"
BAD_STATUS = "\n  1:\n    status: 完成\n"  # Y104, under `measures:`


def _env(**extra: str | None) -> dict[str, str]:
    return subprocess_env(PYTHONDONTWRITEBYTECODE=None, **extra)


def run_yejin(args: list[str], cwd: Path, **env: str | None) -> tuple[int, str, str, set[str]]:
    """`python -m yejin <args>` as a fresh process: exit code, stdout, stderr, top-level packages imported."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "yejin", *args], cwd=cwd, env=_env(**env),
                            capture_output=True, text=True, timeout=300)
    stderr, imported = [], set()
    for line in result.stderr.splitlines(keepends=True):
        if line.startswith("import time:"):
            imported.add(line.rsplit("|", 1)[1].strip().split(".")[0])
        else:
            stderr.append(line)
    return result.returncode, result.stdout, "".join(stderr), imported


def run_typer(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch, **env: str | None) -> tuple[int, str, str]:
    """The same command through typer, in this process: exit code, stdout, stderr."""
    monkeypatch.chdir(cwd)
    result = CliRunner(env={**ENV_CLEAN, **env}).invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """tmp/data: a copy of the shipped data (valid), without a parse cache; commands run in tmp."""
    shutil.copytree(SHIPPED_DATA, tmp_path / "data", ignore=shutil.ignore_patterns(".yejin-cache"))
    return tmp_path


def _break(work: Path) -> None:
    """The June report of 太原 with the status of measure 1 written 完成 (Y104)."""
    path = work / JUNE
    text = path.read_text(encoding="utf-8")
    assert "    status: 推进中" in text
    path.write_text(text.replace("    status: 推进中", "    status: 完成", 1), encoding="utf-8")


# --- reading the command line ------------------------------------------------------------------------

@pytest.mark.parametrize("argv, request_", [
    (["validate"], Request("data", False, [], None, None)),
    (["validate", "a.yaml", "b"], Request("data", False, ["a.yaml", "b"], None, None)),
    (["--no-cache", "validate", "x.yaml"], Request("data", True, ["x.yaml"], None, None)),
    (["--data", "d", "--no-cache", "validate"], Request("d", True, [], None, None)),
    (["--no-cache", "--data=d", "validate"], Request("d", True, [], None, None)),
    (["--data", "a", "--data", "b", "validate"], Request("b", False, [], None, None)),  # the last one, as typer
    (["validate", "-f", "json", "x.yaml"], Request("data", False, ["x.yaml"], "json", None)),
    (["validate", "x.yaml", "--format=github"], Request("data", False, ["x.yaml"], "github", None)),
    (["validate", "--format", "text", "--as-of", "2022-06-30"], Request("data", False, [], "text", "2022-06-30")),
    (["validate", "--as-of=2022-06-30"], Request("data", False, [], None, "2022-06-30")),
])
def test_the_validate_command_line_is_read_without_typer(argv: list[str], request_: Request,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_CLEAN:
        monkeypatch.delenv(name, raising=False)
    assert read_argv(argv) == request_


@pytest.mark.parametrize("argv", [
    [], ["--help"], ["-h"], ["--version"], ["status"], ["validate", "--help"], ["validate", "-h"],
    ["validate", "--no-such-option"], ["validate", "--no-cache"],  # a global option after the command
    ["--data"], ["--data", "--no-cache", "validate"], ["--data=", "validate"], ["--data", "", "validate"],
    ["validate", "-f"], ["validate", "-f", "xml"], ["validate", "-f", "json", "--format", "text"],
    ["validate", "-fjson"], ["validate", "--as-of"], ["validate", "--as-of", "2022-06-31"],
    ["validate", "--as-of", "x", "--as-of", "2022-06-30"], ["validate", "--"], ["validate", "-"],
    ["validate", ""], ["--no-such-option", "validate"], ["--no-cach", "validate"], ["valid"],
])
def test_anything_else_is_left_to_typer(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("YEJIN_DATA", raising=False)
    assert read_argv(argv) is None


def test_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YEJIN_DATA", "elsewhere")
    assert read_argv(["validate"]).data == "elsewhere"
    assert read_argv(["--data", "here", "validate"]).data == "here"
    monkeypatch.setenv("YEJIN_DATA", "")  # empty: the default, as typer takes it
    assert read_argv(["validate"]).data == "data"
    monkeypatch.setenv("_YEJIN_COMPLETE", "bash_complete")  # shell completion is typer's
    assert read_argv(["validate"]) is None


# --- the same answers as through typer, without importing it ------------------------------------------

CASES_CLI = [
    (["validate", JUNE], {}),
    (["--no-cache", "validate", JUNE], {}),
    (["--data", "data", "validate"], {}),
    (["--data=data", "--no-cache", "validate", "-f", "json"], {}),
    (["validate", "--format=github", JUNE, "data/reports/datong"], {}),
    (["validate", JUNE], {"GITHUB_ACTIONS": "true"}),
    (["validate", JUNE, "--as-of", "2022-06-01"], {}),  # Y213: submitted after "today"
    (["validate"], {"YEJIN_DATA": "data", "YEJIN_NO_CACHE": "1"}),
    (["--data", "nowhere", "validate"], {}),
    (["validate", "missing.yaml"], {}),
]


@pytest.mark.parametrize("broken", [False, True], ids=["valid", "invalid"])
@pytest.mark.parametrize("args, env", CASES_CLI)
def test_same_output_and_exit_code_as_through_typer(work: Path, args: list[str], env: dict, broken: bool,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    if broken:
        _break(work)
    code, out, err, imported = run_yejin(args, work, **env)
    assert imported.isdisjoint({"typer", "click", "rich", "openpyxl"}), imported
    assert (code, out, err) == run_typer(args, work, monkeypatch, **env)
    again = run_yejin(args, work, **env)  # with the parse cache and the verdict the first run stored
    assert again[:3] == (code, out, err)
    expected = 2 if args[-1] == "missing.yaml" else 1 if broken or "nowhere" in args or "2022-06-01" in args else 0
    assert code == expected, (out, err)


def test_a_draft_outside_the_data_folder(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    draft = work / "2022-06.yaml"
    for text in ((work / JUNE).read_text(encoding="utf-8"), MINIMAL_REPORT + "measures:" + BAD_STATUS):
        draft.write_text(text, encoding="utf-8")
        code, out, err, _ = run_yejin(["validate", "2022-06.yaml"], work)
        assert (code, out, err) == run_typer(["validate", "2022-06.yaml"], work, monkeypatch)


def test_terminal_escapes_in_report_text_are_removed_as_typer_removes_them(work: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = work / JUNE
    path.write_text(MINIMAL_REPORT + 'measures:\n  1:\n    status: "\\e[31m完成"\n', encoding="utf-8")
    code, out, err, _ = run_yejin(["validate", JUNE], work)
    assert code == 1 and "\x1b" not in out and "[31m" not in out
    assert (code, out, err) == run_typer(["validate", JUNE], work, monkeypatch)


@pytest.mark.parametrize("args", [["validate", "--no-such-option"], ["validate", "-f", "xml"], ["--data"],
                                  ["--no-cache", "validate", "--as-of", "2022-13-01"]])
def test_what_typer_refuses_it_still_refuses(work: Path, args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err, imported = run_yejin(args, work)
    assert (code, out) == (2, "") and "typer" in imported
    typer_code, _, typer_err = run_typer(args, work, monkeypatch)
    assert typer_code == 2
    assert err.strip().splitlines()[-1] == typer_err.strip().splitlines()[-1]  # the message; the usage line names the program


def test_other_commands_go_through_typer(work: Path) -> None:
    code, out, _, imported = run_yejin(["--version"], work)
    assert (code, out.strip()) == (0, "yejin 0.1.0") and "typer" in imported
    code, out, _, imported = run_yejin(["--data", "data", "tasks"], work)
    assert code == 0 and "rich" in imported and "任务分解清单" in out


# --- what the quick way imports ----------------------------------------------------------------------

def test_validate_imports_neither_typer_nor_pydantic_for_valid_data(work: Path) -> None:
    june = work / JUNE
    runs = [("cold", ["validate", JUNE]), ("verdict", ["validate", JUNE]), ("edited", ["validate", JUNE]),
            ("no cache", ["--no-cache", "validate", JUNE]), ("folder", ["--data", "data", "validate", "-f", "json"])]
    for name, args in runs:
        if name == "edited":
            june.write_text(june.read_text(encoding="utf-8") + "# 改动\n", encoding="utf-8")
        code, out, err, imported = run_yejin(args, work)
        assert code == 0, (name, out, err)
        assert imported.isdisjoint(HEAVY), (name, sorted(imported & HEAVY))
    assert (work / "data" / ".yejin-cache").is_dir()


def test_no_cache_writes_no_cache(work: Path) -> None:
    for args, env in ((["--no-cache", "validate", JUNE], {}), (["validate", JUNE], {"YEJIN_NO_CACHE": "1"})):
        assert run_yejin(args, work, **env)[0] == 0
        assert not (work / "data" / ".yejin-cache").exists()


def test_invalid_data_is_explained_by_the_models(work: Path) -> None:
    _break(work)
    code, out, _, imported = run_yejin(["--no-cache", "validate", JUNE], work)
    assert code == 1 and "Y104" in out
    assert "pydantic" in imported and imported.isdisjoint({"typer", "rich", "openpyxl"})


# --- lite.py: never looser than the models, the same values --------------------------------------------

def plain(value: object) -> object:
    """A model's or a lite record's values as nested plain data, types included (True is not 1)."""
    if isinstance(value, (BaseModel, lite.Record)):
        names = type(value).model_fields if isinstance(value, BaseModel) else type(value).FIELDS
        return type(value).__name__, [(name, plain(getattr(value, name))) for name in names]
    if isinstance(value, dict):
        return "dict", [(plain(k), plain(v)) for k, v in value.items()]
    if isinstance(value, list):
        return "list", [plain(v) for v in value]
    return type(value).__name__, repr(value)


def facts(spec: object) -> object:
    """What a campaign's measures and tasks say beyond their fields (rules.MeasureFacts, rules.TaskFacts)."""
    return [(t.targets, [(m.levels, m.deadline_date, list(m.indicator_map)) for m in t.measures])
            for t in spec.tasks]  # type: ignore[attr-defined]


def compare(data: object, model: str) -> tuple[object, object]:
    """(lite's object, the model's object or None); fails if lite accepts what the model refuses or differs."""
    before = copy.deepcopy(data)
    light = lite.read(data, model)
    assert plain(data) == plain(before), "lite.read changed its input"
    try:
        real = getattr(models, model).model_validate(copy.deepcopy(data))
    except ValidationError:
        real = None
    if light is not None:
        assert real is not None, f"lite accepted data the model refuses: {data!r}"
        assert plain(light) == plain(real)
        if model == "TasksFile":
            assert facts(light) == facts(real)
    return light, real


LITE_PAIRS = [(name, cls) for name, cls in vars(lite).items()
              if isinstance(cls, type) and issubclass(cls, lite.Record) and cls is not lite.Record]


@pytest.mark.parametrize("name, record", LITE_PAIRS, ids=[n for n, _ in LITE_PAIRS])
def test_lite_records_have_the_models_fields(name: str, record: type) -> None:
    model = getattr(models, name)
    assert list(record.FIELDS) == list(model.model_fields)
    for field, (_, default) in record.FIELDS.items():
        info = model.model_fields[field]
        assert info.is_required() == (default is lite._REQUIRED), field
        if default is not lite._REQUIRED:
            assert info.get_default(call_default_factory=True) == (default() if callable(default) else default), field


def _yaml_files() -> list[Path]:
    found = [*SHIPPED_DATA.rglob("*.yaml"), *(TESTS / "fixtures").rglob("*.yaml"), *INVALID.rglob("*.yaml")]
    return sorted(p for p in found if p.name != "expected.yaml" and ".yejin-cache" not in p.parts)


def test_lite_on_every_yaml_file_in_the_repository() -> None:
    accepted = 0
    for path in _yaml_files():
        doc, _ = load_file(path, path.name)
        if doc is None:
            continue
        for model in lite.MODELS:
            light, real = compare(doc.data, model)
            accepted += light is not None
            rel = path.relative_to(REPO)
            if real is not None and (rel.parts[0] == "data" or "fixtures" in rel.parts):
                assert light is not None, f"{rel}: plainly valid, yet lite.py left it to the models"
    assert accepted > 60


def _base_docs() -> dict[str, object]:
    tasks, _ = load_file(SHIPPED_DATA / "tasks.yaml", "tasks.yaml")
    report, _ = load_file(SHIPPED_DATA / "reports" / "lvliang" / "2022-05.yaml", "report.yaml")  # has cases
    event, _ = load_file(next((TESTS / "fixtures").rglob("events/*.yaml")), "event.yaml")
    docs = {"TasksFile": tasks.data, "Report": report.data, "Event": {"sample_data": True, **event.data}}
    for model, data in docs.items():
        assert compare(data, model)[0] is not None, model
    return docs


def _small(docs: dict[str, object]) -> dict[str, object]:
    """The documents with one of everything: every optional field of every model present once (fewer places to try)."""
    tasks = copy.deepcopy(docs["TasksFile"])
    tasks["units"] = [tasks["units"][0], {**tasks["units"][1], "aliases": ["并州"], "owners": ["@taiyuan"]}]
    task = tasks["tasks"][0]
    measure = task["measures"][0]
    measure["indicators"].append({"key": "sources", "name": "重大危险源数", "unit": "个", "kind": "count", "target": 80,
                                  "target_text": "全覆盖", "headline": True})
    tasks["tasks"] = [{**task, "measures": [measure]}]
    assert {"contact", "parent", "short_name", "numerator", "denominator"} <= {p[-1] for p in _places(tasks)}
    assert compare(tasks, "TasksFile")[0] is not None
    return {**docs, "TasksFile": tasks}


BASE = _base_docs()
WORDS = ["", " ", "x", " 2022-06 ", "2022-06", "2022-6", "2022-13", "2022-06-28", "2022-06-31", " 2022-06-28",
         "0351-6819551", " 13912345678 ", "1391234567", "已完成", "完成", "推进中", "太原市", "taiyuan", "140100",
         "１４０１００", "各级应急管理部门", "市、县应急管理部门", "省应急管理厅", "2022 年 9 月底前", "2022年底前",
         "count", "rate", "amount", "家", "%", "省", "市", "县", "事故", "其他", "abc", "Abc", "a_1", "a-b",
         "a\n", "\n", "typical_cases", "issues_found", "issues_fixed", "fix_rate", "０", "12家", "1,234"]
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-2, 3000), st.integers(), st.sampled_from([0.5, -1.0, 1e300, float("nan"),
                                                                                     float("inf"), 2022.06, 3.0]),
    st.sampled_from(WORDS), st.text(max_size=6), st.dates(dt.date(2021, 1, 1), dt.date(2023, 12, 31)),
    st.datetimes(dt.datetime(2022, 1, 1), dt.datetime(2022, 12, 31)))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(st.one_of(st.sampled_from(WORDS), st.integers(0, 20)),
                                                                       inner, max_size=3)), max_leaves=6)


def _mutate(data: object, draw) -> object:  # noqa: ANN001 - hypothesis' draw
    """One random change somewhere in the document: a value replaced, a key removed or added, an item dropped or doubled."""
    node = data
    while True:
        children = list(node.items()) if isinstance(node, dict) else list(enumerate(node)) if isinstance(node, list) else []
        if not children:
            return data
        key, child = children[draw(st.integers(0, len(children) - 1))]
        if isinstance(child, (dict, list)) and child and draw(st.booleans()):
            node = child
            continue
        action = draw(st.sampled_from(["replace", "replace", "remove", "add", "double"]))
        if action == "replace":
            node[key] = draw(VALUES)
        elif action == "remove":
            del node[key]
        elif action == "add" and isinstance(node, dict):
            node[draw(st.one_of(st.sampled_from([*WORDS, "status", "unit", "month", "name", "kind", "cases"]),
                                st.integers(0, 20), st.booleans()))] = draw(VALUES)
        elif action == "double" and isinstance(node, list):
            node.append(copy.deepcopy(child))
        else:
            node[key] = draw(VALUES)
        return data


@pytest.mark.parametrize("model", list(lite.MODELS))
@given(data=st.data())
@budget(300)
def test_lite_is_never_looser_than_the_models(model: str, data: st.DataObject) -> None:
    doc = copy.deepcopy(BASE[model])
    for _ in range(data.draw(st.integers(1, 3))):
        doc = _mutate(doc, data.draw)
    compare(doc, model)


class _Str(str):
    pass


EDGE_VALUES = [
    None, True, False, 0, 1, -1, 31, 32, 1999, 2000, 2100, 2101, 10**20, 1.0, 0.5, -0.5, float("nan"), float("inf"),
    "", " ", "\n", "x", " x ", "1", "2022-06", " 2022-06 ", "2022-6", "2022-13", "2022-06-28", " 2022-06-28",
    "2022-06-31", "2022-06-28T10:00", dt.date(2022, 6, 28), dt.datetime(2022, 6, 28, 10), "0351-6819551",
    " 13912345678 ", "1391234567", "已完成", "完成", "太原市", "140100", "１４０１００", "14010", "各级应急管理部门",
    "省应急管理厅", "国务院", "2022 年 9 月底前", "2022年13月底前", "count", "rate", "家", "省", "事故", "abc", "Abc",
    "a-b", "a_b", "a\n", "1abc", _Str("x"), _Str("2022-06"), [], ["x"], [1], [None], {}, {"x": 1}, {1: {"status": "推进中"}},
]


def _places(data: object, prefix: tuple = ()) -> list[tuple]:
    """The path of every mapping value and list item in a document, depth first."""
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    found = []
    for key, value in items:
        found.append(prefix + (key,))
        found += _places(value, prefix + (key,))
    return found


def _kind_of_place(path: tuple) -> tuple:
    """Places that hold the same field of the same model alike: list indexes, measure numbers and indicator keys are '*'."""
    return tuple("*" if isinstance(p, int) or (i and path[i - 1] == "indicators") else p for i, p in enumerate(path))


def _changed(doc: object, path: tuple, how: str, value: object = None) -> object:
    out = copy.deepcopy(doc)
    node = out
    for part in path[:-1]:
        node = node[part]
    if how == "set":
        node[path[-1]] = value
    elif how == "delete":
        del node[path[-1]]
    elif how == "extra" and isinstance(node, dict):
        node["extra_key"] = 1
    return out


@pytest.mark.parametrize("model", list(lite.MODELS))
def test_lite_at_every_kind_of_place_with_edge_values(model: str) -> None:
    """Each field of each model (the first place it occurs) set to each of EDGE_VALUES, removed, and given an extra
    sibling key: lite.py never accepts what the model refuses, and otherwise makes the same values."""
    doc, seen, accepted, refused = _small(BASE)[model], set(), 0, 0
    for path in _places(doc):
        if _kind_of_place(path) in seen:
            continue
        seen.add(_kind_of_place(path))
        changes = [("delete", None), ("extra", None), *(("set", v) for v in EDGE_VALUES)]
        for how, value in changes:
            light, real = compare(_changed(doc, path, how, value), model)
            accepted += light is not None
            refused += real is None
    assert len(seen) > 10 and accepted > 100 and refused > 100, (len(seen), accepted, refused)


def test_lite_refuses_what_the_loader_never_makes() -> None:
    report = copy.deepcopy(BASE["Report"])

    for field, value in (("problems", _Str("无")), ("unit", True), ("sample_data", 1), ("measures", [])):
        changed = {**report, field: value}
        assert lite.read(changed, "Report") is None, field
    assert lite.read({**report, "contacts": {"a": report["contacts"]["a"]}}, "Report") is None
    assert lite.read([report], "Report") is None


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_validate_finds_the_same_problems_with_and_without_lite(case: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    build_case(case, tmp_path)
    root = tmp_path / "data"
    today = dt.date(2022, 7, 15)
    with_lite = load_dataset(root, today=today, cache=False, lite=True)
    with_models = load_dataset(root, today=today, cache=False, lite=False)
    assert with_lite.problems == with_models.problems
    assert with_lite.files_checked == with_models.files_checked


@pytest.mark.parametrize("kind", ["tasks", "report", "event"])
def test_lite_was_checked_against_the_models_as_they_are(kind: str) -> None:
    """A tripwire: when models.py changes (and with it the committed schema), lite.py must be looked at."""
    import hashlib

    from yejin import lite

    digest = hashlib.sha256((REPO / "schemas" / f"{kind}.schema.json").read_bytes()).hexdigest()[:16]
    assert digest == lite.CHECKED_AGAINST[kind], (
        f"schemas/{kind}.schema.json changed: check that lite.py reads every field and rule of the "
        f"model as the model does (never looser), then set lite.CHECKED_AGAINST[{kind!r}] = {digest!r}")


# --- console(): the program ends without tearing the interpreter down --------------------------

CONSOLE = "import sys; from yejin import entry; {setup}; entry.console()"


def run_console(setup: str, args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", CONSOLE.format(setup=setup), *args], cwd=cwd, env=_env(),
                          capture_output=True, timeout=300)


def test_console_delivers_all_output_and_the_exit_code(work: Path) -> None:
    """Output still in the stream buffers when the process ends reaches the pipe; codes are the command's."""
    result = subprocess.run([sys.executable, "-m", "yejin", "status", "--json"], cwd=work, env=_env(),
                            capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout) > 8192  # more than one buffer's worth
    import json

    assert json.loads(result.stdout)["month"] == "2022-06"
    _break(work)
    for args, code in ((["validate"], 1), (["status"], 1), (["status", "--month", "2022-13"], 2)):
        result = subprocess.run([sys.executable, "-m", "yejin", *args], cwd=work, env=_env(),
                                capture_output=True, timeout=300)
        assert result.returncode == code, (args, result.stderr.decode())


@pytest.mark.parametrize("setup, code, stderr", [
    ("entry.main = lambda: sys.exit('出错了')", 1, "出错了\n"),  # as the interpreter prints sys.exit(text)
    ("entry.main = lambda: sys.exit(None)", 0, ""),
    ("entry.main = lambda: sys.exit(3)", 3, ""),
    ("entry.main = lambda: print('没有 SystemExit', end='')", 0, ""),
])
def test_console_exit_codes(work: Path, setup: str, code: int, stderr: str) -> None:
    result = run_console(setup, [], work)
    assert result.returncode == code
    assert result.stderr.decode() == stderr
    if "print" in setup:
        assert result.stdout.decode() == "没有 SystemExit"


def test_console_lets_a_bug_end_with_its_traceback(work: Path) -> None:
    result = run_console("entry.main = lambda: 1 / 0", [], work)
    assert result.returncode == 1
    assert "ZeroDivisionError" in result.stderr.decode()


def test_console_into_a_closed_pipe_ends_quietly(work: Path) -> None:
    """`yejin status | head -1`: no traceback, no “Exception ignored” at shutdown."""
    run = subprocess.Popen([sys.executable, "-m", "yejin", "status"], cwd=work, env=_env(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert run.stdout is not None and run.stderr is not None
    run.stdout.read(10)
    run.stdout.close()
    stderr = run.stderr.read().decode()
    assert run.wait(timeout=300) in (0, 1)
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr


def test_one_shot_process_freezes_what_paused_blocks_leave(work: Path) -> None:
    """In the console script, what a gc_paused block leaves alive is frozen (not walked again by the
    collector); in any other process (these tests) nothing is frozen."""
    code = ("import gc; from yejin.checking import cache\n"
            "{setup}\n"
            "with cache.gc_paused():\n"
            "    kept = [[i] for i in range(1000)]\n"
            "print(gc.get_freeze_count() >= 1000)")
    for setup, frozen in (("cache.one_shot()", "True"), ("", "False")):
        result = subprocess.run([sys.executable, "-c", code.format(setup=setup)], cwd=work, env=_env(),
                                capture_output=True, text=True, timeout=300)
        assert result.stdout.strip() == frozen, result.stderr
