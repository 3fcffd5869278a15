"""xlsx_aside: 进展情况's rows built in a forked process give the workbook built without one, byte for
byte — and when the child cannot (a style nobody registered, an error, a crash, before or after
it reported the rows built), this process builds them itself and the workbook is still the same.

The fork threshold is lowered (MIN_ROWS) so the small export fixture is forked; forking only
happens on Linux.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from yejin.outputs import workbook as export
from yejin.outputs import sheets as export_sheets
from yejin.outputs import xlsx_aside
from yejin.picture.aggregate import build_picture
from yejin.checking.dataset import load_dataset

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "export"
pytestmark = pytest.mark.skipif(not xlsx_aside.can_fork(), reason="fork: Linux only")
PARENT = os.getpid()


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    """The export fixture, with text to clean in 进展情况 (太原 存在问题) and in 典型案例 (太原's case)."""
    data = tmp_path_factory.mktemp("aside") / "data"
    shutil.copytree(FIXTURE, data)
    report = data / "reports" / "taiyuan" / "2022-06.yaml"
    text = report.read_text(encoding="utf-8")
    for old, new in (('problems: "个别企业整改不到位。"', 'problems: "个别企业\\x0b整改不到位。"'),
                     ('title: "某铝业公司未设置报警仪案"', 'title: "某铝业公司\\x01未设置报警仪案"')):
        assert old in text
        text = text.replace(old, new)
    report.write_text(text, encoding="utf-8")
    loaded = load_dataset(data, cache=False)
    assert not [p for p in loaded.problems if p.level == "error"], loaded.problems
    return loaded, build_picture(loaded, "2022-06", None, 30)


def build(month, monkeypatch, tmp_path: Path, forked: bool, name: str) -> tuple[bytes, list[str], str | None]:
    """Export: the file's bytes, the notes, and why 进展情况's rows were built here (None: by the child)."""
    monkeypatch.setattr(xlsx_aside, "MIN_ROWS", 0 if forked else 10**9)
    monkeypatch.setattr(xlsx_aside, "BATCH", 7)  # the child writes the 36 rows in several goes
    seen: list[xlsx_aside.Aside] = []
    start = xlsx_aside.start

    def watched(*args, **kwargs):
        seen.append(start(*args, **kwargs))
        return seen[-1]

    monkeypatch.setattr(export_sheets.xlsx_aside, "start", watched)
    data, picture = month
    result = export.export_workbook(data, picture, tmp_path / name)
    assert len(seen) == 1 and seen[0].pid is None  # the child was waited for
    return result.path.read_bytes(), result.notes, seen[0].reason


@pytest.fixture
def serial(month, monkeypatch, tmp_path):
    made = build(month, monkeypatch, tmp_path, False, "serial.xlsx")
    assert made[2] == "not forked"
    return made


def test_forked_rows_give_the_same_workbook(month, monkeypatch, tmp_path, serial):
    content, notes, reason = build(month, monkeypatch, tmp_path, True, "forked.xlsx")
    assert reason is None  # the child built and wrote the rows
    assert content == serial[0]
    assert notes == serial[1]
    ws = load_workbook(tmp_path / "forked.xlsx")["进展情况"]
    assert ws.cell(4, 1).value == "山西省应急管理厅" and ws.max_column == 4
    assert [ws.cell(r, 2).value for r in (3, 4)] == ["工作措施", "1. 危险作业管理制度"]


def test_notes_in_sheet_order(month, monkeypatch, tmp_path):
    """进展情况's note comes before 典型案例's, although its rows were made first (and elsewhere)."""
    _, notes, reason = build(month, monkeypatch, tmp_path, True, "forked.xlsx")
    assert reason is None
    assert notes == ["以下文字含有 Excel 无法保存的控制字符，已删除：太原市 存在问题；太原市 典型案例 1。"]


def _in_child(fault):
    """Wrap xlsx_aside.start so that `fault` hits fill() in the child only."""
    start = xlsx_aside.start

    def faulty_start(ws, fill, *args):
        def faulty_fill(cleaner, done):
            if os.getpid() != PARENT:
                fault()
            fill(cleaner, done)
        return start(ws, faulty_fill, *args)
    return faulty_start


def _raise():
    raise RuntimeError("broken in the child")


def _die():
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.parametrize("fault, reason", [(_raise, "RuntimeError: broken in the child"),
                                           (_die, "the child process ended early")])
def test_a_child_that_fails_building(month, monkeypatch, tmp_path, serial, fault, reason):
    monkeypatch.setattr(xlsx_aside, "start", _in_child(fault))
    content, notes, why = build(month, monkeypatch, tmp_path, True, "forked.xlsx")
    assert why == reason
    assert (content, notes) == serial[:2]


@pytest.mark.parametrize("die", [False, True])
def test_a_child_that_fails_writing(month, monkeypatch, tmp_path, serial, die):
    """Writing the rows' XML fails in the child (a full disk, say): this process builds the rows."""
    pieces = xlsx_aside.row_pieces

    def faulty(*args, **kwargs):
        if os.getpid() != PARENT:
            if die:
                os.kill(os.getpid(), signal.SIGKILL)
            raise OSError(28, "No space left on device")
        return pieces(*args, **kwargs)

    monkeypatch.setattr(xlsx_aside, "row_pieces", faulty)
    content, notes, why = build(month, monkeypatch, tmp_path, True, "forked.xlsx")
    assert why == ("the child process ended early" if die else "OSError: [Errno 28] No space left on device")
    assert (content, notes) == serial[:2]


def test_a_style_nobody_registered(month, monkeypatch, tmp_path, serial):
    """The child finds it added to the style tables; this process builds the rows (same looks)."""
    start = xlsx_aside.start
    monkeypatch.setattr(xlsx_aside, "start", lambda ws, fill, first, rows, styles, quoted: start(ws, fill, first, rows, []))
    content, notes, why = build(month, monkeypatch, tmp_path, True, "forked.xlsx")
    assert why == "the body needs a style not registered before the fork"
    assert notes == serial[1]
    (tmp_path / "serial.xlsx").write_bytes(serial[0])
    a, b = (load_workbook(tmp_path / name)["进展情况"] for name in ("serial.xlsx", "forked.xlsx"))
    assert a.max_row == b.max_row > 30
    for ra, rb in zip(a.iter_rows(), b.iter_rows()):
        for x, y in zip(ra, rb):
            assert repr((x.value, x.font, x.fill, x.border, x.alignment, x.quotePrefix)) == \
                   repr((y.value, y.font, y.fill, y.border, y.alignment, y.quotePrefix)), x.coordinate
    assert [a.row_dimensions[r].height for r in range(1, a.max_row + 1)] == \
           [b.row_dimensions[r].height for r in range(1, b.max_row + 1)]


def test_a_failed_export_leaves_no_child(month, monkeypatch, tmp_path):
    """An error in another sheet after the fork: the child is ended, not left behind."""
    monkeypatch.setattr(xlsx_aside, "MIN_ROWS", 0)
    seen = []
    start = xlsx_aside.start
    monkeypatch.setattr(export_sheets.xlsx_aside, "start", lambda *a: seen.append(start(*a)) or seen[-1])

    def broken(*args):
        raise ValueError("broken sheet")

    monkeypatch.setattr(export_sheets, "cases", broken)
    data, picture = month
    with pytest.raises(ValueError, match="broken sheet"):
        export.export_workbook(data, picture, tmp_path / "out.xlsx")
    assert seen and seen[0].pid is None and seen[0].messages is None
    assert not (tmp_path / "out.xlsx").exists()
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child of this process left, not even a zombie


def test_small_bodies_are_not_forked(month, monkeypatch, tmp_path):
    assert xlsx_aside.MIN_ROWS > 100  # the fixture's 36 rows: not worth a process
    seen = []
    start = xlsx_aside.start
    monkeypatch.setattr(export_sheets.xlsx_aside, "start", lambda *a: seen.append(start(*a)) or seen[-1])
    data, picture = month
    export.export_workbook(data, picture, tmp_path / "out.xlsx")
    assert seen[0].reason == "not forked"


@pytest.mark.skipif(sys.platform != "linux", reason="Linux")
def test_the_rows_xml_is_not_left_on_disk(month, monkeypatch, tmp_path):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    build(month, monkeypatch, tmp_path, True, "forked.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["forked.xlsx"]


def test_a_child_that_changes_more_than_cells(month, monkeypatch, tmp_path, serial):
    """A column width set by the body would not reach the file from the child: it says so instead."""
    start = xlsx_aside.start

    def widening_start(ws, fill, *args):
        def widening_fill(cleaner, done):
            if os.getpid() != PARENT:
                ws.column_dimensions["H"].width = 5
            fill(cleaner, done)
        return start(ws, widening_fill, *args)

    monkeypatch.setattr(xlsx_aside, "start", widening_start)
    content, notes, why = build(month, monkeypatch, tmp_path, True, "forked.xlsx")
    assert why == "the body changed the sheet beyond cells and row heights"
    assert (content, notes) == serial[:2]


def test_no_fork_beside_another_thread(month, monkeypatch, tmp_path, serial):
    """Another thread could hold a lock the child would then wait on for ever."""
    import threading

    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not xlsx_aside.can_fork()
        content, notes, why = build(month, monkeypatch, tmp_path, True, "forked.xlsx")
    finally:
        release.set()
        other.join()
    assert why == "not forked"
    assert (content, notes) == serial[:2]
    assert xlsx_aside.can_fork()


@pytest.mark.parametrize("text, quoted", [("=1+1", True), ("+继续督促整改", True), ("-5", True), ("@专项", True),
                                          ("\x01=1", True), ("督促 =1", False), ("", False), ("（未填写）", False)])
def test_which_texts_may_be_quoted(text, quoted):
    from yejin.outputs.xlsx import may_be_quoted

    assert may_be_quoted(text) is quoted


def test_quoted_styles_registered_only_when_a_text_needs_them(month, monkeypatch, tmp_path):
    """The fixture has progress texts like “=1+1”; the shipped sample data has none, and its
    styles.xml then has no quote-prefixed cell format (no unused ones registered ahead)."""
    import zipfile

    from conftest import SHIPPED_DATA

    asked: list[bool] = []
    start = xlsx_aside.start
    monkeypatch.setattr(export_sheets.xlsx_aside, "start",
                        lambda *args: (asked.append(args[5]), start(*args))[1])
    data, picture = month
    export.export_workbook(data, picture, tmp_path / "fixture.xlsx")
    shipped = load_dataset(SHIPPED_DATA, cache=False)
    out = export.export_workbook(shipped, build_picture(shipped, "2022-06"), tmp_path / "shipped.xlsx").path
    assert asked == [True, False]
    with zipfile.ZipFile(out) as z:
        assert 'quotePrefix="1"' not in z.read("xl/styles.xml").decode()


def test_a_body_that_writes_a_row_it_said_was_complete(month, monkeypatch, tmp_path, serial):
    """Rows are written out as done() allows: one written again later would come out of order."""
    start = xlsx_aside.start

    def late_start(ws, fill, *args):
        def late_fill(cleaner, done):
            fill(cleaner, done)
            if os.getpid() != PARENT:
                ws.row_dimensions[5].height = 99  # row 5 went out with the first batch
        return start(ws, late_fill, *args)

    monkeypatch.setattr(xlsx_aside, "start", late_start)
    content, notes, why = build(month, monkeypatch, tmp_path, True, "forked.xlsx")
    assert why == "the body wrote a row after done() said it was complete"
    assert (content, notes) == serial[:2]
