"""Property tests: whatever lands in a report file, `yejin validate` answers 0 or 1 and never crashes.

One temporary data folder per module (tasks.yaml copied once, plus a valid May report so the
cross-month rules run too); each example overwrites reports/taiyuan/2022-06.yaml.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import MINIMAL_REPORT, SHIPPED_DATA, TASKS_YAML, assert_no_crash, make_data_dir, run_cli
from yejin.words import STATUSES

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SAMPLE = SHIPPED_DATA / "reports" / "taiyuan" / "2022-06.yaml"
PREVIOUS = SHIPPED_DATA / "reports" / "taiyuan" / "2022-05.yaml"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = make_data_dir(tmp_path_factory.mktemp("fuzz"), TASKS_YAML)  # the shipped 太原 reports: 市本级
    (data / "reports" / "taiyuan").mkdir()
    (data / "reports" / "taiyuan" / "2022-05.yaml").write_bytes(PREVIOUS.read_bytes())
    return data


def target(data: Path) -> Path:
    return data / "reports" / "taiyuan" / "2022-06.yaml"


def validate(data: Path, *extra: str):
    result = run_cli("--data", str(data), "validate", *extra)
    assert_no_crash(result)
    assert result.exit_code in (0, 1), result.output
    return result


def test_the_fuzz_folder_starts_valid(data: Path) -> None:
    target(data).write_bytes(SAMPLE.read_bytes())
    result = validate(data)
    assert result.exit_code == 0, result.output


# --- (a) arbitrary text and bytes --------------------------------------------------------------


@FUZZ
@given(text=st.text(max_size=300))
def test_any_text(data: Path, text: str) -> None:
    target(data).write_text(text, encoding="utf-8")
    validate(data)


@FUZZ
@given(raw=st.binary(max_size=300))
def test_any_bytes(data: Path, raw: bytes) -> None:
    target(data).write_bytes(raw)
    validate(data)


YAMLISH = st.sampled_from(
    [
        "unit: ",
        "month: ",
        "measures:\n",
        "  1:\n",
        "    status: ",
        "    indicators:\n",
        "      issues_found: ",
        "- ",
        "&a ",
        "*a",
        "!!",
        "<<: ",
        "? ",
        "{",
        "}",
        "[",
        "]",
        ", ",
        '"',
        "'",
        "#",
        "\n",
        "\t",
        "：",
        "　",
        "010",
        "10:30",
        "no",
        "2022-06-31",
        "~",
        "|\n",
        "太原市",
        "2022.10",
        "13912345678",
        "---\n",
        "...\n",
        "%YAML 1.1\n",
        "!!int ",
        "!!float ",
        "!!bool ",
        "!!null ",
        "!!timestamp ",
        "!!str ",
        "!!seq ",
        "!!map ",
        "9" * 120,
        "0x",
        "2022-06-24 10:30:00",
    ]
)


@FUZZ
@given(parts=st.lists(YAMLISH | st.text(max_size=5), max_size=40))
def test_yaml_like_text(data: Path, parts: list[str]) -> None:
    target(data).write_text("".join(parts), encoding="utf-8")
    validate(data)


TAGS = st.sampled_from(["", "!!int ", "!!float ", "!!bool ", "!!null ", "!!timestamp ", "!!str ", "!!binary ", "!x "])
NUMBERISH = st.from_regex(r"[-+]?[0-9_:.xXbBoOeE]{1,12}", fullmatch=True)


@FUZZ
@given(
    tag=TAGS,
    value=NUMBERISH | st.text(max_size=20) | st.sampled_from(["9" * 5000, "0x" + "f" * 4000]),
    quoted=st.booleans(),
    where=st.sampled_from(
        ["problems", "month", "submitted", "measures.1.indicators.fines", "measures.1.status", "contacts.a.phone"]
    ),
)
def test_any_scalar_with_any_tag(data: Path, tag: str, value: str, quoted: bool, where: str) -> None:
    """One scalar, plain or quoted, with or without an explicit tag, in a field of an otherwise valid report."""
    scalar = tag + (json.dumps(value, ensure_ascii=False) if quoted else value.replace("\n", " "))
    tree = yaml.safe_load(MINIMAL_REPORT + "measures: {1: {status: 推进中, indicators: {fines: 1.5}}}\n")
    *parents, last = [int(k) if k.isdigit() else k for k in where.split(".")]
    node = tree
    for part in parents:
        node = node[part]
    node[last] = "@@"
    target(data).write_text(dump(tree).replace("'@@'", scalar).replace("@@", scalar), encoding="utf-8")
    validate(data)


# --- (b) arbitrary YAML trees ------------------------------------------------------------------

LEAF = (
    st.none()
    | st.booleans()
    | st.integers(-(10**15), 10**15)
    | st.floats()
    | st.text(max_size=12)
    | st.dates()
    | st.datetimes()
    | st.sampled_from(
        [*STATUSES, "完成", "太原市", "taiyuan", 140100, "2022-06", "2022-13", "0351-6819551", "13912345678", "", " "]
    )
)
TREE = st.recursive(
    LEAF,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8) | st.integers(-3, 25), inner, max_size=4)
    ),
    max_leaves=25,
)
INDICATOR_KEYS = [
    "enterprises_checked",
    "issues_found",
    "issues_fixed",
    "fix_rate",
    "sources_inspected",
    "hazards_found",
    "hazards_fixed",
    "typical_cases",
    "fines",
    "items_found",
    "items_closed",
]
MEASURE = st.fixed_dictionaries(
    {"status": st.sampled_from(STATUSES) | LEAF},
    optional={
        "progress": st.text(max_size=10) | LEAF,
        "indicators": st.dictionaries(
            st.sampled_from(INDICATOR_KEYS) | st.text(max_size=6),
            st.integers(-3, 200) | st.floats(-1, 200) | LEAF,
            max_size=6,
        )
        | TREE,
        "cases": st.lists(
            st.fixed_dictionaries({"title": st.text(max_size=5), "enterprise": st.text(max_size=5), "summary": LEAF}),
            max_size=2,
        )
        | TREE,
        "extra": TREE,
    },
)
CONTACT = st.fixed_dictionaries(
    {
        "name": st.text(max_size=4) | LEAF,
        "phone": st.sampled_from(["0351-6819551", "13912345678", 13912345678, "12"]) | LEAF,
    }
)
REPORTISH = st.fixed_dictionaries(
    {
        "unit": st.sampled_from(["太原市", "太原", "taiyuan", 140100, "大同市", "省厅"]) | LEAF,
        "month": st.sampled_from(["2022-06", "2022-05", "2021-06", 2022.6]) | LEAF,
        "submitted": st.dates(dt.date(2021, 12, 1), dt.date(2022, 8, 1)) | LEAF,
        "contacts": st.fixed_dictionaries({"a": CONTACT, "b": CONTACT}) | TREE,
    },
    optional={
        "measures": st.dictionaries(st.integers(-1, 20), MEASURE, max_size=6) | TREE,
        "problems": LEAF,
        "next_steps": LEAF,
        "sample_data": LEAF,
        "other": TREE,
    },
)


def dump(tree: object) -> str:
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)


@FUZZ
@given(tree=TREE)
def test_any_yaml_tree(data: Path, tree: object) -> None:
    target(data).write_text(dump(tree), encoding="utf-8")
    validate(data)


@FUZZ
@given(tree=REPORTISH)
def test_report_shaped_trees(data: Path, tree: dict) -> None:
    target(data).write_text(dump(tree), encoding="utf-8")
    result = validate(data, "--format", "json")
    doc = json.loads(result.stdout)
    assert (result.exit_code == 1) == (doc["error_count"] > 0)
    for problem in doc["problems"]:
        assert problem["code"][0] == "Y" and problem["message"]


# --- (c) one mutation of a valid report --------------------------------------------------------

REQUIRED = {
    "unit",
    "month",
    "submitted",
    "contacts",
    "a",
    "b",
    "name",
    "phone",
    "status",
    "title",
    "enterprise",
    "summary",
}


def paths(node: object, prefix: tuple = ()) -> list[tuple]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += paths(value, prefix + (i,))
    return found


def get(node: object, path: tuple) -> object:
    for part in path:
        node = node[part]  # type: ignore[index]
    return node


SAMPLE_TREE = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
ALL_PATHS = paths(SAMPLE_TREE)
NON_EMPTY = st.one_of(st.integers(), st.text(min_size=1, max_size=8), st.booleans())
CONTAINER = st.lists(st.integers(), max_size=3) | st.dictionaries(
    st.text(min_size=1, max_size=5), st.integers(), min_size=1, max_size=2
)


@st.composite
def mutations(draw) -> tuple[str, tuple, object]:
    path = draw(st.sampled_from(ALL_PATHS))
    value = get(SAMPLE_TREE, path)
    kinds = ["retype"]
    if isinstance(path[-1], str) and path[-1] in REQUIRED:
        kinds.append("drop")
    if len(path) == 4 and path[2] == "indicators":
        kinds.append("negative")
    if path[-1] == "status":
        kinds.append("status")
    kind = draw(st.sampled_from(kinds))
    if kind == "drop":
        return kind, path, None
    if kind == "negative":
        return kind, path, draw(st.integers(-(10**6), -1) | st.floats(-1e6, -0.001))
    if kind == "status":
        return kind, path, draw(st.text(max_size=5).filter(lambda s: s not in STATUSES))
    # a scalar becomes a list or mapping; a list or mapping becomes a scalar: no field accepts both
    return kind, path, draw(NON_EMPTY if isinstance(value, (dict, list)) else CONTAINER)


def mutated(mutation: tuple) -> dict:
    """The sample report with one value dropped or replaced."""
    kind, path, new = mutation
    tree = copy.deepcopy(SAMPLE_TREE)
    parent = get(tree, path[:-1])
    if kind == "drop":
        del parent[path[-1]]
    else:
        parent[path[-1]] = new
    return tree


@FUZZ
@given(mutation=mutations())
def test_a_broken_sample_report_is_caught_inside_the_file(data: Path, mutation: tuple) -> None:
    tree = mutated(mutation)
    text = dump(tree)
    assume(text != dump(SAMPLE_TREE))
    file = target(data)
    file.write_text(text, encoding="utf-8")
    result = validate(data, "--format", "json")
    assert result.exit_code == 1, f"{mutation!r} passed validation"
    lines = text.count("\n")
    here = [p for p in json.loads(result.stdout)["problems"] if p["path"] == file.as_posix()]
    assert here, result.stdout
    assert any(1 <= p["line"] <= lines and p["column"] >= 1 for p in here), result.stdout


@FUZZ
@given(mutation=mutations())
def test_a_value_that_failed_its_own_rule_is_not_checked_again(data: Path, mutation: tuple) -> None:
    """A report that failed its model still goes through the cross-file rules (issue 16: every problem
    in one run), without its invalid values: no place gets a problem of its own (Y1xx) and one of the
    rules across files (Y2xx), and no problem comes twice."""
    tree = mutated(mutation)
    file = target(data)
    file.write_text(dump(tree), encoding="utf-8")
    result = validate(data, "--format", "json")
    here = [p for p in json.loads(result.stdout)["problems"] if p["path"] == file.as_posix()]
    places = [(p["line"], p["column"], p["code"], p["message"]) for p in here]
    assert len(places) == len(set(places)), result.stdout
    own = {(p["line"], p["column"]) for p in here if p["code"].startswith("Y1")}
    across = {(p["line"], p["column"]) for p in here if p["code"].startswith("Y2")}
    assert not own & across, result.stdout
