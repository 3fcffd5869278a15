"""The parse cache (.yejin-cache/), validate's stored verdict, parallel parsing and the export's cell writer:
none of them may change a single problem, figure or cell.

Most tests run `yejin` as a separate program (python -m yejin), as pre-commit and CI do, on a
copy of the shipped data/ with a few broken reports added, and compare its output with the
output of `yejin --no-cache` on the same files.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import subprocess_env
from yejin.checking import cache as fast
from yejin.checking.dataset import load_dataset

REPO = Path(__file__).resolve().parents[1]
YEJIN = [sys.executable, "-m", "yejin"]

# Broken reports: problems found while parsing (Y002, Y003, Y008), by the models (Y101, Y104, Y102,
# located through Document.relocate) and across files (Y207, Y202).
BROKEN = {
    "reports/taiyuan/2022-07.yaml": None,  # the June report with a figure that went down: Y207
    "reports/datong/2022-07.yaml": 'unit: 大同市\nmonth: "2022-07"\nsubmitted: 2022-07-20\ncontacts:\n'
                                    '  a: {name: 张三, phone: "0352-5550187"}\n  b: {name: 李四, phone: 010}\n'
                                    "measures:\n  1:\n    stauts: 推进中\n    status: 完成\n    status: 推进中\n",
    "reports/shuozhou/2022-07.yaml": 'unit: 朔州市\nmonth: "2022-07"\nsubmitted: 2022-07-20\ncontacts:\n  a: {name: "x"\n',
    "reports/xinzhou/2022-07.yaml": 'unit: 太原市\nmonth: "2022-07"\nsubmitted: 2022-07-20\ncontacts:\n'
                                     '  a: {name: 张三, phone: "0351-6819551"}\n  b: {name: 李四, phone: "13912345678"}\n',
    "reports/yangquan/2022-07.yaml": 'unit: 阳泉市\nmonth: "2022-07"\nsubmitted: 2022-07-20\n',  # Y102
}


env = subprocess_env


def yejin(folder: Path, *args: str, **extra: str | None) -> subprocess.CompletedProcess:
    return subprocess.run([*YEJIN, "--data", "data", *args], cwd=folder, env=env(**extra),
                          capture_output=True, text=True, timeout=300)


def problems(folder: Path, *args: str, **extra: str | None) -> dict:
    """validate --format json, parsed; --as-of fixed so that the day the tests run cannot matter."""
    result = yejin(folder, *args, "validate", "--format", "json", "--as-of", "2022-12-31", **extra)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """tmp/data: the shipped data with the BROKEN reports added; runs happen in tmp."""
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns(fast.CACHE_DIR))
    june = (data / "reports/taiyuan/2022-06.yaml").read_text(encoding="utf-8")
    for rel, text in BROKEN.items():
        if text is None:
            text = _decrease_first_figure(june)
        (data / rel).parent.mkdir(parents=True, exist_ok=True)
        (data / rel).write_text(text, encoding="utf-8")
    return tmp_path


def _decrease_first_figure(june: str) -> str:
    """The June report, as July, with its first indicator lower than June's: Y207."""
    out, done = [], False
    for line in june.replace('month: "2022-06"', 'month: "2022-07"').splitlines():
        if line.startswith("submitted:"):
            line = "submitted: 2022-07-25  # 报送日期"
        if not done and line.startswith("      ") and ": " in line and line.split(":")[1].split("#")[0].strip().isdigit():
            key, rest = line.split(":", 1)
            value = int(rest.split("#")[0])
            if value > 0:
                line, done = f"{key}: {value - 1}", True
        out.append(line)
    return "\n".join(out) + "\n"


def cache_dirs(data: Path) -> list[Path]:
    base = data / fast.CACHE_DIR
    return sorted(p for p in base.iterdir() if p.is_dir()) if base.is_dir() else []


def packs(data: Path) -> list[Path]:
    return [p for d in cache_dirs(data) for p in d.glob("*.pack")]


# --- the same problems, however they were found -------------------------------------------------

def test_the_folder_has_problems_of_every_stage(folder: Path) -> None:
    found = problems(folder, "--no-cache")
    codes = {p["code"] for p in found["problems"]}
    assert {"Y002", "Y003", "Y008", "Y101", "Y104", "Y102", "Y202", "Y207"} <= codes, codes
    assert not (folder / "data" / fast.CACHE_DIR).exists()  # --no-cache writes nothing


def test_identical_problems_with_and_without_cache(folder: Path) -> None:
    expected = problems(folder, "--no-cache")
    cold = problems(folder)  # parses, fills the cache and stores the verdict
    assert packs(folder / "data") and (cache_dirs(folder / "data")[0] / "verdict.json").is_file()
    warm = problems(folder)  # the stored verdict
    (cache_dirs(folder / "data")[0] / "verdict.json").unlink()
    entries = problems(folder)  # every file from the cache, positions found again where needed
    assert cold == expected and warm == expected and entries == expected
    assert problems(folder, YEJIN_NO_CACHE="1") == expected


def test_text_and_github_output_identical_warm_and_cold(folder: Path) -> None:
    for fmt in ("text", "github"):
        expected = yejin(folder, "--no-cache", "validate", "-f", fmt, "--as-of", "2022-12-31")
        first = yejin(folder, "validate", "-f", fmt, "--as-of", "2022-12-31")
        second = yejin(folder, "validate", "-f", fmt, "--as-of", "2022-12-31")
        assert expected.stdout == first.stdout == second.stdout and expected.returncode == second.returncode == 1


def test_one_file_argument_uses_the_verdict_and_filters_it(folder: Path) -> None:
    target = "data/reports/datong/2022-07.yaml"
    expected = problems(folder, "--no-cache")
    yejin(folder, "validate")
    result = yejin(folder, "validate", target, "--format", "json", "--as-of", "2022-12-31")
    shown = json.loads(result.stdout)
    assert shown["problems"] and all(p["path"] in (target, "data/tasks.yaml") for p in shown["problems"])
    assert shown["problems"] == [p for p in expected["problems"] if p["path"] == target]


def test_status_and_export_identical_with_and_without_cache(folder: Path, tmp_path: Path) -> None:
    for rel in BROKEN:  # status and export need valid data
        (folder / "data" / rel).unlink()
    args = ("status", "--json", "--month", "2022-06")
    expected = yejin(folder, "--no-cache", *args)
    assert expected.returncode == 0, expected.stderr
    assert yejin(folder, *args).stdout == expected.stdout == yejin(folder, *args).stdout
    outputs = []
    for flags in (["--no-cache"], [], []):
        out = tmp_path / f"out{len(outputs)}.xlsx"
        result = yejin(folder, *flags, "export", "--month", "2022-06", "-o", str(out))
        assert result.returncode == 0, result.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]


# --- a stale entry, a damaged cache, two runs at once -------------------------------------------

def test_edited_file_is_never_served_from_the_cache(folder: Path) -> None:
    report = folder / "data/reports/taiyuan/2022-06.yaml"
    problems(folder)  # cold: fills the cache
    before = {p["path"] for p in problems(folder)["problems"]}  # warm
    assert "data/reports/taiyuan/2022-06.yaml" not in before
    original = report.read_text(encoding="utf-8")
    stat = os.stat(report)
    edited_text = original.replace("status: 推进中", "status: 进行中", 1)
    assert len(edited_text.encode()) == len(original.encode())
    report.write_text(edited_text, encoding="utf-8")
    os.utime(report, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime: only the content differs
    edited = problems(folder)
    assert any(p["path"] == "data/reports/taiyuan/2022-06.yaml" and p["code"] == "Y104" for p in edited["problems"])
    assert edited == problems(folder, "--no-cache")
    report.write_text(original, encoding="utf-8")
    assert {p["path"] for p in problems(folder)["problems"]} == before


def test_verdict_depends_on_the_day(folder: Path) -> None:
    """Y213 (submitted in the future) depends on today: a verdict of another day is not reused."""
    late = problems(folder, "--no-cache")
    yejin(folder, "validate", "--as-of", "2022-12-31")
    early = json.loads(yejin(folder, "validate", "--format", "json", "--as-of", "2022-06-01").stdout)
    assert any(p["code"] == "Y213" for p in early["problems"])
    assert not any(p["code"] == "Y213" for p in late["problems"])
    assert early == json.loads(yejin(folder, "--no-cache", "validate", "--format", "json", "--as-of", "2022-06-01").stdout)


@pytest.mark.parametrize("damage", ["flip", "truncate", "garbage", "empty", "verdict"])
def test_damaged_cache_is_never_trusted(folder: Path, damage: str) -> None:
    expected = problems(folder, "--no-cache")
    problems(folder)
    (pack,) = packs(folder / "data")
    verdict = pack.parent / "verdict.json"
    blob = bytearray(pack.read_bytes())
    if damage == "flip":  # a bit in the middle of the entries
        for i in range(len(blob) // 3, len(blob) // 3 + 64):
            blob[i] ^= 0x55
        pack.write_bytes(bytes(blob))
        verdict.unlink()
    elif damage == "truncate":
        pack.write_bytes(bytes(blob[: len(blob) // 2]))
        verdict.unlink()
    elif damage == "garbage":
        (pack.parent / "0-0.pack").write_bytes(os.urandom(5000))
        pack.unlink()
        verdict.unlink()
    elif damage == "empty":
        pack.write_bytes(b"")
        verdict.write_text("{not json", encoding="utf-8")
    else:  # a verdict that does not match: its key is checked against the files
        stored = json.loads(verdict.read_text(encoding="utf-8"))
        stored["problems"] = []
        verdict.write_text(json.dumps({**stored, "key": "0" * 64}), encoding="utf-8")
    assert problems(folder) == expected
    assert problems(folder) == expected  # and the entries written again serve the next run


def test_planted_entry_cannot_run_code(folder: Path, tmp_path: Path) -> None:
    """An entry that unpickles to a call (os.system …) is refused: only plain data and dates load."""
    import pickle

    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    payload = pickle.dumps(([], {"x": Evil()}, {}, set()), protocol=pickle.HIGHEST_PROTOCOL)
    assert fast.unseal(fast.seal(payload)) is None and not marker.exists()
    expected = problems(folder, "--no-cache")
    problems(folder)  # a cache to plant into: replace every entry's payload with the evil one
    (pack,) = packs(folder / "data")
    rows = fast._read_index(pack)
    evil = fast.seal(payload)
    out, index = bytearray(fast._PACK), []
    for raw, _, _ in rows:
        index.append(fast._INDEX_ROW.pack(raw, len(out), len(evil)))
        out += evil
    table = b"".join(index)
    out += table + fast._FOOTER.pack(len(out), len(table), fast._checksum(table), fast._PACK)
    pack.write_bytes(bytes(out))
    (pack.parent / "verdict.json").unlink()
    assert problems(folder) == expected
    assert not marker.exists()


def test_two_runs_at_once(folder: Path) -> None:
    expected = problems(folder, "--no-cache")
    args = [*YEJIN, "--data", "data", "validate", "--format", "json", "--as-of", "2022-12-31"]
    for parallel in ("100000", "1"):  # serial parsing, and each run with its own worker processes
        shutil.rmtree(folder / "data" / fast.CACHE_DIR, ignore_errors=True)
        runs = [subprocess.Popen(args, cwd=folder, env=env(YEJIN_PARALLEL_MIN=parallel), stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for _ in range(3)]
        outputs = [run.communicate(timeout=300) for run in runs]
        assert all(json.loads(out) == expected for out, _ in outputs), [err for _, err in outputs]
        assert all(not err for _, err in outputs)
        assert problems(folder) == expected  # whatever the three left behind
        (verdict,) = [d / "verdict.json" for d in cache_dirs(folder / "data")]
        verdict.unlink()
        assert problems(folder) == expected


def test_many_small_packs_are_compacted(folder: Path) -> None:
    report = folder / "data/reports/taiyuan/2022-06.yaml"
    original = report.read_text(encoding="utf-8")
    expected = problems(folder, "--no-cache")
    for i in range(fast.MAX_PACKS + 2):  # each run parses one edited file: a small pack each
        report.write_text(original + f"# 修改 {i}\n", encoding="utf-8")
        problems(folder)
        assert len(packs(folder / "data")) <= fast.MAX_PACKS
    report.write_text(original, encoding="utf-8")
    assert problems(folder) == expected


def test_cache_that_cannot_be_written_is_skipped_silently(folder: Path) -> None:
    (folder / "data" / fast.CACHE_DIR).write_text("not a folder", encoding="utf-8")
    expected = problems(folder, "--no-cache")
    result = yejin(folder, "validate", "--format", "json", "--as-of", "2022-12-31")
    assert json.loads(result.stdout) == expected and result.stderr == ""


def test_cache_folder_is_ignored_by_git(folder: Path) -> None:
    problems(folder)
    base = folder / "data" / fast.CACHE_DIR
    assert (base / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert (base / "CACHEDIR.TAG").read_bytes().startswith(b"Signature: 8a477f597d28d172789f06886806bc55")
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q"], cwd=folder, check=True)
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=folder,
                                capture_output=True, text=True, check=True).stdout
        assert fast.CACHE_DIR not in status and "data/tasks.yaml" in status


def test_cache_is_invalidated_by_another_yejin(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = folder / "data"
    load_dataset(data, cache=True)
    (first,) = cache_dirs(data)
    fast.fingerprint.cache_clear()
    monkeypatch.setattr(fast, "CACHE_VERSION", fast.CACHE_VERSION + 1)
    try:
        load_dataset(data, cache=True)
        assert len(cache_dirs(data)) == 2 and first in cache_dirs(data)
    finally:
        fast.fingerprint.cache_clear()


# --- parallel parsing ---------------------------------------------------------------------------

def test_parallel_parsing_gives_what_serial_parsing_gives(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = folder / "data"
    results = []
    for parallel in ("100000", "1"):
        monkeypatch.setenv("YEJIN_PARALLEL_MIN", parallel)
        loaded = load_dataset(data, cache=False)
        results.append((loaded.problems, [(r.path, r.report) for r in loaded.reports], loaded.files_checked))
    assert results[0] == results[1]
    assert problems(folder, "--no-cache", YEJIN_PARALLEL_MIN="1") == problems(folder, "--no-cache",
                                                                              YEJIN_PARALLEL_MIN="100000")


def test_parallel_workers_fill_the_cache(folder: Path) -> None:
    expected = problems(folder, "--no-cache")
    assert problems(folder, YEJIN_PARALLEL_MIN="1") == expected
    (cache_dirs(folder / "data")[0] / "verdict.json").unlink()
    assert problems(folder, YEJIN_PARALLEL_MIN="100000") == expected


# --- the export's cell writer -------------------------------------------------------------------

def test_export_cells_written_as_openpyxl_writes_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """export writes cells itself (xlsx_style.fast_cells); the package must be the one openpyxl writes."""
    from yejin.outputs import workbook as export
    from yejin.picture.aggregate import build_picture

    data = load_dataset(REPO / "tests" / "fixtures" / "export", cache=False)
    picture = build_picture(data, "2022-06")
    fast_out = export.export_workbook(data, picture, tmp_path / "fast.xlsx").path
    monkeypatch.setattr(export, "fast_cells", lambda wb: None)
    plain_out = export.export_workbook(data, picture, tmp_path / "plain.xlsx").path
    with zipfile.ZipFile(fast_out) as a, zipfile.ZipFile(plain_out) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            mine, theirs = a.read(name), b.read(name)
            if name.startswith("xl/worksheets/sheet"):  # ours in UTF-8, openpyxl's as &#NNNNN;
                mine, theirs = html.unescape(mine.decode("utf-8")), html.unescape(theirs.decode("ascii"))
            if name == "xl/styles.xml":  # the 统计表 registers its figure styles column by column, before
                mine, theirs = _cell_looks(mine), _cell_looks(theirs)  # its rows: fonts numbered otherwise
            assert mine == theirs, name


def _cell_looks(styles_xml: bytes) -> list[tuple]:
    """styles.xml's cell formats (the s="N" of the sheets) with the fonts, fills, borders and number
    formats they point to written out: the same looks, whatever order those lists are in."""
    from xml.etree import ElementTree as ET

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    root = ET.fromstring(styles_xml)

    def listed(tag: str) -> list[bytes]:
        found = root.find(f"m:{tag}", ns)
        return [ET.tostring(e) for e in (found if found is not None else [])]

    fonts, fills, borders = listed("fonts"), listed("fills"), listed("borders")
    found = root.find("m:numFmts", ns)
    formats = {e.get("numFmtId"): e.get("formatCode") for e in (found if found is not None else [])}
    looks = []
    for xf in root.find("m:cellXfs", ns):
        attrs = {k: v for k, v in xf.attrib.items() if k not in ("fontId", "fillId", "borderId", "numFmtId")}
        looks.append((fonts[int(xf.get("fontId", 0))], fills[int(xf.get("fillId", 0))],
                      borders[int(xf.get("borderId", 0))], formats.get(xf.get("numFmtId"), xf.get("numFmtId")),
                      sorted(attrs.items()), [ET.tostring(child) for child in xf]))
    return looks


def test_positions_found_again_are_the_positions_of_a_full_parse(folder: Path) -> None:
    """load_dataset parses without positions and reads a file again when a problem needs one."""
    from yejin.campaign.models import Event, Report
    from yejin.checking.validation import validate
    from yejin.reading.yaml_loader import load_file

    data = folder / "data"
    files = sorted((data / "reports").rglob("*.yaml"))
    assert len(files) > 40
    for path in files:
        shown = path.relative_to(folder).as_posix()
        eager, eager_problems = load_file(path, shown)
        lazy, lazy_problems = fast.document(path, shown, fast.parse_entry(path, shown)[1])
        assert lazy_problems == eager_problems, shown
        if eager is None:
            assert lazy is None
            continue
        assert (lazy.data, lazy.sources, lazy.reported) == (eager.data, eager.sources, eager.reported)
        model = Event if "/events/" in shown else Report
        assert validate(lazy, model)[1] == validate(eager, model)[1], shown
        for key in list(eager.positions) + list(eager.key_positions):
            assert lazy.position(key) == eager.position(key) and \
                lazy.position(key, prefer_key=True) == eager.position(key, prefer_key=True)


# --- `yejin validate` without typer's option processing (entry.py) --------------------------------

TYPER_ONLY = "from yejin.cli import app; app(prog_name='python -m yejin')  # the name click gives python -m yejin"


@pytest.mark.parametrize("args, extra", [
    (["validate"], {}),
    (["validate", "-f", "json"], {}),
    (["validate", "--format=github"], {}),
    (["validate"], {"GITHUB_ACTIONS": "true"}),
    (["--data", "data", "validate", "data/reports/datong/2022-07.yaml", "data/reports/taiyuan"], {}),
    (["validate", "data/reports/shuozhou/2022-07.yaml"], {"YEJIN_DATA": "data"}),
    (["validate", "missing.yaml"], {}),
    (["validate", "-f"], {}),
    (["validate", "-f", "xml"], {}),
    (["validate", "-f", "json", "--format", "text"], {}),
    (["--data", "nowhere", "validate"], {}),
    (["validate", "--no-such-option"], {}),
])
def test_validate_without_typer_is_validate_with_typer(folder: Path, args: list[str], extra: dict) -> None:
    runs = []
    for argv in ([*YEJIN, *args], [sys.executable, "-c", TYPER_ONLY, *args]):
        for _ in range(2):  # cold, then with the cache (and its verdict)
            result = subprocess.run(argv, cwd=folder, env=env(**extra), capture_output=True, text=True, timeout=300)
            runs.append((result.returncode, result.stdout, result.stderr))
    assert runs[0] == runs[1] == runs[2] == runs[3], runs
