"""Every regular expression that sees user text runs in time linear in its input.

A city's report can hold up to 2 MB of text and `yejin validate` runs on every commit, so one
pattern that backtracks over a long run of spaces stalls everyone (a date typo with 1,500 spaces
once took 16 s, 4,000 spaces 5 minutes).  Three checks:

- find_regexes() reads src/ and lists every pattern with how it is used (match, fullmatch, search,
  sub …); the list must equal REVIEWED, so a new pattern fails here until someone has looked at it;
- each pattern, used as the code uses it, is fed 100 KB strings built to make it backtrack (runs of
  every character it mentions, with and without a prefix it accepts, ending in one it refuses);
- each function that hands user text to a pattern is fed 100 KB of its own worst case.

Time is measured here, with a bound far above the milliseconds these take (CI machines vary).
"""

from __future__ import annotations

import ast
import re
import string
import time
from pathlib import Path

import pytest

from conftest import run_cli

SRC = Path(__file__).resolve().parents[1] / "src" / "yejin"
SIZE = 100_000
LIMIT = 2.0  # seconds for one pattern over all its inputs, or for one function's worst case

_METHODS = {"compile", "match", "fullmatch", "search", "sub", "subn", "finditer", "findall", "split"}


def _constants(node: ast.AST) -> list[str] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List)) and all(
        isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts
    ):
        return [e.value for e in node.elts]
    return None


def find_regexes() -> set[tuple[str, str, str]]:
    """(file, pattern, method) for every regular expression in src/yejin.

    Patterns given to re.<method>() directly, through a loop variable over a tuple of literals, or
    compiled into a module-level name whose .<method>() is called anywhere in src (also as
    module.NAME.<method>()).  string.Template's pattern counts too (bulletin templates).
    Anything else fails the test: name the pattern in a way this finder can see."""
    found: set[tuple[str, str, str]] = set()
    compiled: dict[str, tuple[str, str]] = {}  # NAME -> (file, pattern)
    calls: list[tuple[str, str, str]] = []  # (file, NAME, method) for NAME.method(...)
    unseen: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        loops = {
            node.target.id: _constants(node.iter)
            for node in ast.walk(tree)
            if isinstance(node, ast.For) and isinstance(node.target, ast.Name)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                value = node.value
                if (
                    isinstance(value, ast.Call)
                    and isinstance(value.func, ast.Attribute)
                    and ast.unparse(value.func) == "re.compile"
                ):
                    patterns = _constants(value.args[0])
                    assert patterns, f"{rel}:{node.lineno}: re.compile of something this test cannot read"
                    compiled[node.targets[0].id] = (rel, patterns[0])
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            func, method = node.func, node.func.attr
            owner = ast.unparse(func.value)
            if owner == "re" and method in _METHODS:
                if method == "compile":
                    continue  # seen above, with the name it is kept under
                arg = node.args[0]
                patterns = _constants(arg) or (loops.get(arg.id) if isinstance(arg, ast.Name) else None)
                if not patterns:
                    unseen.append(f"{rel}:{node.lineno}: {ast.unparse(node)[:80]}")
                    continue
                found.update((rel, p, method) for p in patterns)
            elif owner == "string.Template.pattern" and method in _METHODS:
                found.add((rel, string.Template.pattern.pattern, method))
            elif method in _METHODS - {"compile", "split"}:  # NAME.method(), module.NAME.method(), (A if x else B)…
                names = {n.id for n in ast.walk(func.value) if isinstance(n, ast.Name)}
                names |= {n.attr for n in ast.walk(func.value) if isinstance(n, ast.Attribute)}
                calls += [(rel, name, method) for name in names]
    for _rel, name, method in calls:
        if name in compiled:
            found.add((compiled[name][0], compiled[name][1], method))
    assert not unseen, "patterns this test cannot see:\n" + "\n".join(unseen)
    for name, (rel, pattern) in compiled.items():
        assert any(p == pattern for _, p, _ in found) or name.endswith("_PATTERN"), (
            f"{rel}: {name} is compiled but never used in a way this test can see"
        )
    return found


# Every pattern in src, as it is used.  Review a new one (is it linear? does it see user text?),
# then add it here: the timing below then covers it too.
REVIEWED: set[tuple[str, str, str]] = {
    ("campaign/rules.py", r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "match"),
    ("campaign/wording.py", r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*底\s*前$", "match"),
    ("campaign/wording.py", r"^(\d{4})\s*年\s*底\s*前$", "match"),
    ("campaign/wording.py", r"^(\d{4})-(\d{2})-(\d{2})$", "match"),
    ("campaign/wording.py", r"\s+", "sub"),
    ("campaign/wording.py", r"^([0-9]{4})-(0[1-9]|1[0-2])$", "match"),
    ("campaign/wording.py", r"^(\d{4})\s*年\s*(\d{1,2})\s*月份?$", "match"),
    ("campaign/wording.py", r"^(\d{4})[/.\-_](\d{1,2})$", "match"),
    ("campaign/wording.py", r"^(\d{4})(\d{2})$", "match"),
    ("campaign/wording.py", r"^(\d{1,2})\s*月份?$", "match"),
    (
        "campaign/wording.py",
        r"^(@[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+)$",
        "fullmatch",
    ),
    ("campaign/wording.py", r"^(0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?|1[3-9][0-9]{9})$", "match"),
    ("checking/hints.py", r"-?\d+(\.\d+)?", "fullmatch"),
    ("checking/hints.py", r"\d{1,3}(,\d{3})+(\.\d+)?", "fullmatch"),
    ("checking/hints.py", r"(\d+(?:\.\d+)?)\s*%", "fullmatch"),
    ("checking/hints.py", r"(\d+(?:\.\d+)?)\s*(家|个|项|次|人次|人|万元|元|期|起|处)", "fullmatch"),
    (  # wording.typed_date: the one reading of a typed date that message and hint share
        "campaign/wording.py",
        r"(\d{4})\s*[年/.\-]\s*(\d{1,2})\s*[月/.\-]\s*(\d{1,2})(?:\s*日)?([\sT]*\d{1,2}[:：].*)?",
        "fullmatch",
    ),
    ("cli.py", r"[A-Za-z0-9][A-Za-z0-9_-]*", "fullmatch"),
    ("outputs/bulletin.py", r"^（[一二三四五六七八九十]+）", "match"),
    # issue 17: no space between Chinese and digits (words.zh); the 通报's title lines and runs (bulletin_docx.py)
    (
        "words.py",
        r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])[ \t\u00a0]+(?=[0-9])"
        r"|(?<=[0-9%])[ \t\u00a0]+(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])",
        "sub",
    ),
    ("outputs/bulletin_docx.py", r"[\x00-\u1fff]+|[^\x00-\u1fff]+", "findall"),
    ("outputs/bulletin_docx.py", r"[\x00-\u1fff]+", "fullmatch"),
    ("outputs/bulletin_docx.py", r"(?<!\d)\d+年(?:\d+月份?)?|^关于", "finditer"),
    ("outputs/bulletin_docx.py", r"(?<!\d)\d+年(?:\d+月份?)?|(?<!\d)\d+月份?|《[^《》]*》|（[^（）]*）", "finditer"),
    ("outputs/bulletin_docx.py", r"\d+|工作|的通报", "finditer"),
    # from main while issue 15 was under way (cli_text.py, init_repo.py, the parser's messages): reviewed
    ("campaign/wording.py", r"(\d{4})-(\d{2})-(\d{2})", "fullmatch"),
    ("cli_text.py", r"--[a-z][a-z-]*", "findall"),
    ("cli_text.py", r"<([^<>]+)>", "sub"),
    ("cli_text.py", r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", "match"),
    ("cli_text.py", r"No such command '(.*)'\.", "match"),
    ("cli_text.py", r"Option '(.*)' does not take a value", "match"),
    ("cli_text.py", r"Option '(.*)' requires (?:an argument|(\d+) arguments)", "match"),
    ("cli_text.py", r"Value '?(.*?)'? is not a valid (\w+)", "search"),
    ("cli_text.py", r"[\u4e00-\u9fff]", "search"),
    ("cli_text.py", r"\[((?:env var|default|required)[^\]]*)\]$", "sub"),
    # issue 17: a full-width space (U+3000) is a character of the help text, not a space to collapse
    ("cli_text.py", r"\[[^\[\]]{1,30}\]|[\x21-\x7e]+|[ \t\r\n]+|.", "findall"),
    ("cli_text.py", r"\b(\w+)\b", "sub"),
    ("cli_text.py", r"^(\w+)(?=\.\.\.| |$)", "sub"),
    ("cli_text.py", r"^[^-\s]+\.\.\. <", "match"),
    ("cli_text.py", r"does not exist", "search"),
    ("outputs/init_repo.py", r"(?m)^Version: .*$", "sub"),
    ("reading/yaml_loader.py", r"(?:^[ \t]*|[:\[{,-] *)[“‘]", "search"),
    ("reading/yaml_loader.py", "[ \\t]*(?:- +)?[^\\s#:\"'\\[{][^:#]*: +", "match"),
    ("reading/yaml_loader.py", "^([ \\t]*(?:- +)?(?:[A-Za-z_][A-Za-z0-9_]*|\\d+): +)(?=[^\\s\"'|>\\[{#])", "match"),
    ("reading/yaml_loader.py", r"^([ \t]*(?:- +)?)([A-Za-z_][A-Za-z0-9_]*|\d+):", "match"),
    ("reading/yaml_loader.py", '^([ \\t]*(?:- +)?[^\\s#:"\']+: +)"((?:[^"\\\\]|\\\\.)*)"(.*)$', "match"),
    ("reading/yaml_loader.py", r"^[ \t]*(?:- |#|[^\s:]+:(?: |$)|-$)", "match"),
    ("outputs/bulletin.py", string.Template.pattern.pattern, "finditer"),
    ("outputs/files.py", r"yejin-(\d+)-[a-z0-9_]+\.tmp", "fullmatch"),
    ("outputs/files.py", r"[a-z0-9_]{8}\.tmp", "fullmatch"),
    ("outputs/workbook.py", r'[\\/:*?"<>|\x00-\x1f]', "sub"),
    ("outputs/xlsx.py", "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "search"),
    ("outputs/xlsx.py", "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "sub"),
    ("outputs/xlsx.py", "[&<>\r]", "search"),
    ("outputs/xlsx.py", "[\u3000-\u303e\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60]+", "sub"),
    ("outputs/xlsx.py", r'<dimension ref="[^"]*"/>', "sub"),
    ("safe_text.py", "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]", "search"),
    ("safe_text.py", "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]", "search"),
    ("safe_text.py", "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]", "sub"),
    ("safe_text.py", "\r\n|[\n\r\x0b\x0c\x85\u2028\u2029]", "sub"),
    ("safe_text.py", r"([\\`*_\[\]<>&|~])", "sub"),
    ("safe_text.py", r"\d+(?=[.)])", "match"),
    (
        "line_break.py",
        r"\d{4} ?年 ?\d{1,2} ?月(?: ?\d{1,2} ?日)?|\d{1,2} ?月 ?\d{1,2} ?日",
        "finditer",
    ),
    ("line_break.py", r"[!-~\u00c0-\u024f]", "match"),
    # issue 17: this month's part of a figure and a target, in brackets, stay whole (12项（+2）, （目标80个）)
    ("line_break.py", r"（(?:本月)?[+\-−]\d[\d,.]*）", "finditer"),
    ("line_break.py", r"（目标\d[^（）\n]{0,14}）", "finditer"),
    ("reading/layout.py", r"^\d{4}-\d{2}\.yaml$", "match"),
    ("reading/layout.py", r"^(\d{4}-\d{2}-\d{2})-[A-Za-z0-9][A-Za-z0-9_-]*\.yaml$", "match"),
    (
        "reading/yaml_loader.py",
        r"^[-+]?(0[0-9_]+|0x[0-9a-fA-F_]+|0b[01_]+|[0-9][0-9_]*(:[0-5]?[0-9])+|\d+_[\d_]*)$",
        "match",
    ),
    ("reading/yaml_loader.py", r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*$", "match"),
    ("reading/yaml_loader.py", r"^\s*(?:- +)?(?:[^\s#'\"][^#'\"]*?: +)?'", "match"),
    ("reading/yaml_loader.py", r"^[ \u3000]*?\u3000|^[^:]*: ?\u3000", "match"),
    ("reading/yaml_loader.py", r"^\s*(?:- +)?(?:[^\s:][^:]*: +)?[\[{]", "match"),
    ("reading/yaml_loader.py", r"^[-+]?0[0-7_]+$", "match"),
    ("reading/yaml_loader.py", r"^[-+]?0[xb]", "match"),
    ("reading/yaml_loader.py", r"^[-+]?0\d+$", "match"),
    # a thousands separator in a flow mapping ({fixed: 1,234}): anchored, bounded; the groups are YAML's scalars
    ("reading/yaml_loader.py", r"[-+]?[0-9]{1,3}", "fullmatch"),
    ("reading/yaml_loader.py", r"^[0-9]{3}(\.[0-9]+)?$", "match"),
    ("outputs/report_writer.py", r"[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9:]{8})?", "fullmatch"),
    ("reading/form_reader.py", r"\d{4}-\d{2}", "fullmatch"),
    ("reading/form_reader.py", r"^[0-9]+(\.[0-9]+)?$", "match"),
}


def test_every_regex_in_src_has_been_reviewed() -> None:
    found = find_regexes()
    assert found - REVIEWED == set(), "new patterns: review them, then add them to REVIEWED"
    assert REVIEWED - found == set(), "patterns no longer in src: remove them from REVIEWED"


def _pumps(pattern: str) -> list[str]:
    """100 KB strings meant to make `pattern` backtrack: each character the pattern names (and a few
    every pattern meets: spaces, digits, colons, quotes), repeated alone, in pairs and after a
    prefix the pattern accepts, each ending in a character nothing expects."""
    chars = {c for c in pattern if not c.isalnum() or ord(c) > 127} | set(" \t\u30000123456789:-_.,'\"“‘年月日aT")
    chars -= set("()[]{}|*+?^$\\")
    chars |= {"0", "1", "9", " "}
    units = sorted(chars) + ["1:", "0_", ": ", "- ", "a: ", "1,", "1.", "2022-", "2022年", "12", "@a"]
    prefixes = ["", "2022", "2022-06-24", "2022年6月", "a: ", "- a: ", "0", "1:1", "（", '<dimension ref="']
    out = []
    for unit in units:
        for prefix in prefixes:
            out.append(prefix + unit * (SIZE // len(unit)) + "\x00!")
    return out


def _use(compiled: re.Pattern, method: str, text: str) -> None:
    if method == "sub":
        compiled.sub("", text)
    elif method in ("findall", "finditer"):
        list(compiled.finditer(text))
    else:
        getattr(compiled, method)(text)


@pytest.mark.parametrize(
    "rel, pattern, method", sorted(REVIEWED), ids=[f"{r}:{m}:{p[:30]}" for r, p, m in sorted(REVIEWED)]
)
def test_each_regex_is_linear_on_100_kb(rel: str, pattern: str, method: str) -> None:
    compiled = re.compile(pattern)
    inputs = _pumps(pattern)
    slowest, worst = 0.0, ""
    start = time.perf_counter()
    for text in inputs:
        begin = time.perf_counter()
        _use(compiled, method, text)
        took = time.perf_counter() - begin
        if took > slowest:
            slowest, worst = took, text[:20]
    total = time.perf_counter() - start
    print(f"\n  {rel} {method} {pattern[:40]!r}: {len(inputs)} inputs in {total:.2f} s, slowest {slowest:.3f} s")
    assert slowest < LIMIT, f"{slowest:.2f} s on {worst!r}…"  # catastrophic backtracking on 100 KB takes minutes
    # The sum over all inputs depends on the machine and its load (a pattern matching every character makes
    # 100,000 match objects per input); what must hold is that the worst input's time grows linearly:
    # twice the text, about twice the time (a backtracking pattern would take four times or more).
    if slowest > 0.02:
        text = next(t for t in inputs if t.startswith(worst))
        once = min(_seconds(compiled, method, text) for _ in range(5))
        twice = min(_seconds(compiled, method, text[:-2] * 2 + "\x00!") for _ in range(5))
        # the best of 5 runs each: a busy machine only ever adds time; below 20 ms, scheduling noise dominates
        assert once < 0.02 or twice < once * 3 + 0.05, f"{once:.3f} s → {twice:.3f} s for twice the text: not linear"


def _seconds(compiled: re.Pattern, method: str, text: str) -> float:
    begin = time.perf_counter()
    _use(compiled, method, text)
    return time.perf_counter() - begin


def _spaces(head: str, tail: str = "x") -> str:
    return head + " " * SIZE + tail


def _timed(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def _worst_cases():
    from yejin.campaign import rules
    from yejin.campaign import wording as terms
    from yejin.checking import hints
    from yejin.reading import yaml_loader

    def raises(function):
        def call(*args):
            try:
                function(*args)
            except (ValueError, rules.Invalid):
                pass

        return call

    names = {"太原": "太原市", "太原市": "太原市", "大同": "大同市"}
    long_line = "a: " + "“" * SIZE
    return {
        "date_hint: a date, 100 KB of spaces, a letter": (hints.date_hint, _spaces("2022-06-24")),
        "date_hint: spaces inside the date": (hints.date_hint, _spaces("2022-", "06-24x")),
        "date_hint: 100 KB of T": (hints.date_hint, "2022-06-24" + "T" * SIZE + "x"),
        "number_hint: digits and a unit that is not one": (hints.number_hint, "1" * SIZE + "x"),
        "number_hint: digits, spaces, no %": (hints.number_hint, _spaces("12")),
        "number_hint: thousands separators": (hints.number_hint, "1" + ",000" * (SIZE // 4) + ",00"),
        "phone_hint": (hints.phone_hint, "１" * SIZE),
        "status_hint": (hints.status_hint, "完" * SIZE, ["未启动", "推进中", "已完成"]),
        "unit_hint": (hints.unit_hint, "太" * SIZE, names),
        "month_hint: year, spaces": (terms.month_hint, _spaces("2022")),
        "month_hint: digits, spaces, 月": (terms.month_hint, _spaces("12", "x月")),
        "parse_deadline: year, spaces": (raises(terms.parse_deadline), _spaces("2022", "年x")),
        "parse_deadline: 年 and spaces": (raises(terms.parse_deadline), _spaces("2022 年 9", "月底x")),
        "parse_responsible": (raises(terms.parse_responsible), _spaces("市、", "县")),
        "check_phone": (raises(terms.check_phone), "0" * SIZE),
        "check_owner: a user name and #": (raises(terms.check_owner), "@" + "a" * SIZE + "#"),
        "check_owner: nested groups": (raises(terms.check_owner), "@a" + "/a" * (SIZE // 2) + "/"),
        "check_owner: an address's dots": (raises(terms.check_owner), "a@" + "b." * (SIZE // 2) + "!"),
        "check_owner: a local part of dots": (raises(terms.check_owner), "a." * (SIZE // 2) + "#"),
        "cli_text: schema --kind with a value of 100 KB of quotes": (run_cli, "schema", "--kind", "'" * SIZE),
        "as_text: control characters": (raises(rules.as_text), "\x1b" * SIZE),
        "as_date": (raises(rules.as_date), _spaces("2022-06-24")),
        "syntax_culprit: a line of Chinese quotes": (yaml_loader.syntax_culprit, long_line, 1, ""),
        "syntax_culprit: spaces and full-width spaces": (
            yaml_loader.syntax_culprit,
            " " * SIZE + "\u3000x",
            1,
            "",
        ),
        "syntax_culprit: a key and spaces before a bracket": (yaml_loader.syntax_culprit, _spaces("a:", "x，"), 1, ""),
        "unclosed_quote": (yaml_loader.unclosed_quote, "a: '" + "'" * SIZE, 1),
        "load_text: a plain scalar of 1: (base 60)": (yaml_loader.load_text, "a: " + "1:" * (SIZE // 2) + "1.5\n", "x"),
        "load_text: a plain scalar of 0_": (yaml_loader.load_text, "a: " + "0_" * (SIZE // 2) + "x\n", "x"),
        "load_text: digits then a letter": (yaml_loader.load_text, "a: " + "1" * SIZE + "x\n", "x"),
        "load_text: a date and spaces": (yaml_loader.load_text, "a: 2022-06-24" + " " * SIZE + "x\n", "x"),
        "load_text: a broken line of Chinese quotes": (yaml_loader.load_text, "a: b\n" + long_line + ": [\n", "x"),
    }


@pytest.mark.parametrize("case", list(_worst_cases()))
def test_functions_on_user_text_take_100_kb_in_linear_time(case: str) -> None:
    function, *args = _worst_cases()[case]
    took = _timed(function, *args)
    print(f"\n  {case}: {took:.3f} s")
    assert took < LIMIT, f"{case}: {took:.2f} s"
