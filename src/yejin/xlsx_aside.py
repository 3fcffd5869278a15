"""The body of a large sheet built in a forked process while this one builds the other sheets.

A 3,000-unit month's 进展情况 has 48,000 rows of long text: about 1 s to lay out and 0.5 s to turn
into XML, on one core of two.  start() forks a child that runs the sheet's `fill` (which writes
cells and row heights at rows from `first_row` on, with xlsx_style's put/put_row/text_entry, and
nothing else) and writes those rows' XML to a temporary file.  The parent builds the other sheets
meanwhile, takes the child's cleaning notes at join(), and copies the XML into the package when the
sheet is written (xlsx_style.sheet_data).

Style ids are the catch: the child's cells point into the workbook's font, fill, border … and
cellXfs tables, which the parent goes on adding to.  So every style the body uses is registered
before the fork (`styles`), at the same place in both processes, and the child checks that it
added nothing to any table.  When it did (a style nobody listed), or anything else goes wrong, the
parent builds the rows itself at join(), as it does without a fork: the workbook is the same either
way, byte for byte.

Linux only (fork; elsewhere, and for bodies under MIN_ROWS rows, fill() simply runs at join()).
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import sys
import tempfile
from typing import Any, Callable, Iterable, Iterator, Optional

from .xlsx_style import Cleaner, Style, _cells, register, registered, row_pieces

MIN_ROWS = 2000  # below this a fork (tens of ms for a large heap) gains nothing
_CHUNK = 1 << 20
_HEAD = struct.Struct("<Q")


def _tables(wb: Any) -> tuple[int, ...]:
    """The sizes of the workbook's style tables: the child must leave them as they were."""
    return (len(wb._fonts), len(wb._fills), len(wb._borders), len(wb._alignments), len(wb._protections),
            len(wb._number_formats), len(wb._cell_styles), len(wb._named_styles))


def can_fork() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork")


class Aside:
    """One sheet body: built in a child process, or (reason says why) in this one at join()."""

    def __init__(self, ws: Any, fill: Callable[[Cleaner], None], first_row: int):
        self.ws, self.fill, self.first_row = ws, fill, first_row
        self.pid: Optional[int] = None
        self.messages: Any = None  # the pipe the child reports on
        self.body: Any = None  # the temporary file the child writes the rows' XML to
        self.extent: Optional[tuple[int, int, int, int]] = None  # of the child's cells, once built there
        self.reason: Optional[str] = "not forked"  # why this process built the rows (None: the child did)

    # --- this process ---------------------------------------------------------------------------

    def join(self, cleaner: Cleaner, at: tuple[int, int]) -> None:
        """Wait until the body is built, building it here if the child could not; its cleaning notes
        go into `cleaner` as if made at `at` (a Cleaner.mark())."""
        notes: Optional[Cleaner] = None
        if self.pid is not None:
            message = self._receive()
            if message is not None and message[0] == "built":
                notes, self.extent, self.reason = Cleaner(message[1], message[2]), message[3], None
            else:
                self.reason = message[1] if message is not None else "the child process ended early"
                self.close()
        if notes is None:
            notes = Cleaner()
            self.fill(notes)
        cleaner.insert(at, notes)

    def pieces(self, store: Any, xf: dict[int, int]) -> Iterator[bytes | str]:
        """The body rows' XML, for xlsx_style._sheet_rows (nothing when they are in this process's table)."""
        if self.reason is not None:
            return
        message = self._receive()
        try:
            if message is not None and message[0] == "written":
                self.body.seek(0)
                while chunk := self.body.read(_CHUNK):
                    yield chunk
                return
        finally:
            self.close()
        # built there but not written: build the rows here after all (styles.xml is already saved:
        # they must not need a style it lacks, and the child found they did not)
        self.reason = message[1] if message is not None else "the child process ended early"
        before, saved_rows = _tables(self.ws.parent), self.ws.row_dimensions
        self.ws.row_dimensions = store.heights  # sheet_data() gave openpyxl's back for saving
        try:
            self.fill(Cleaner())  # its notes were taken at join()
        finally:
            self.ws.row_dimensions = saved_rows
        rows = sorted(r for r in set(store.rows) | set(store.heights) if r >= self.first_row)
        registered(self.ws.parent, store, rows, xf)
        if _tables(self.ws.parent) != before:
            raise RuntimeError("a sheet body built again needed new styles")
        yield from row_pieces(self.ws.parent, store, xf, rows)

    def close(self) -> None:
        """End the child (if still running) and let go of the pipe and the file; safe to call again."""
        if self.pid is not None:
            try:
                if os.waitpid(self.pid, os.WNOHANG) == (0, 0):
                    os.kill(self.pid, signal.SIGKILL)
                    os.waitpid(self.pid, 0)
            except ChildProcessError:
                pass
            self.pid = None
        for handle in (self.messages, self.body):
            if handle is not None:
                handle.close()
        self.messages = self.body = None

    def _receive(self) -> Optional[tuple]:
        try:
            head = self.messages.read(_HEAD.size)
            if len(head) < _HEAD.size:
                return None
            payload = self.messages.read(_HEAD.unpack(head)[0])
            return pickle.loads(payload)
        except Exception:
            return None

    # --- the child ------------------------------------------------------------------------------

    def _run_child(self, report: Any) -> None:
        """In the child: build, check, report, write the XML; never returns."""
        def send(message: tuple) -> None:
            payload = pickle.dumps(message)
            report.write(_HEAD.pack(len(payload)) + payload)
            report.flush()

        try:
            wb, store = self.ws.parent, _cells(self.ws)
            before = _tables(wb)
            kept = {r: len(cells) for r, cells in store.rows.items() if r < self.first_row}
            kept_heights = {r for r in store.heights if r < self.first_row}
            notes = Cleaner()
            self.fill(notes)
            rows = sorted(r for r in set(store.rows) | set(store.heights) if r >= self.first_row)
            xf = registered(wb, store, rows, {})
            if _tables(wb) != before:
                send(("fallback", "the body needs a style not registered before the fork"))
            elif ({r: len(cells) for r, cells in store.rows.items() if r < self.first_row} != kept
                  or {r for r in store.heights if r < self.first_row} != kept_heights):
                send(("fallback", f"the body wrote above row {self.first_row}"))
            else:
                send(("built", notes.stripped, notes.truncated, store.extent(rows)))
                with os.fdopen(os.dup(self.body.fileno()), "wb", buffering=_CHUNK) as out:
                    for piece in row_pieces(wb, store, xf, rows):
                        out.write(piece.encode("utf-8"))
                send(("written",))
        except BaseException as exc:  # noqa: BLE001 - whatever it is, the parent builds the rows itself
            try:
                send(("failed", f"{type(exc).__name__}: {exc}"))
            except BaseException:  # noqa: BLE001
                pass
        finally:
            os._exit(0)


def start(ws: Any, fill: Callable[[Cleaner], None], first_row: int, rows: int,
          styles: Iterable[tuple[Style, Any]]) -> Aside:
    """Have fill(cleaner) build ws's rows from first_row on (about `rows` of them) in a child process.

    styles: every (Style, sample value) the body's cells use; each is registered now, with and
    without a quote prefix.  Call join() before anything needs the rows, their notes or the sheet's
    dimension, and close() (or let the export do it) when done."""
    aside = Aside(ws, fill, first_row)
    for style, sample in styles:  # (also in a plain openpyxl workbook, the tests' reference: same styles.xml)
        for quote in (False, True):
            register(ws, style, sample, quote)
    store = _cells(ws)
    if store is None or rows < MIN_ROWS or not can_fork():
        return aside
    store.aside = aside
    read_end = write_end = None
    try:
        aside.body = tempfile.TemporaryFile(prefix="yejin-")
        read_end, write_end = os.pipe()
        pid = os.fork()
    except OSError:
        for fd in (read_end, write_end):
            if fd is not None:
                os.close(fd)
        aside.close()
        return aside
    if pid == 0:
        os.close(read_end)
        aside._run_child(os.fdopen(write_end, "wb"))
    os.close(write_end)
    aside.pid, aside.messages, aside.reason = pid, os.fdopen(read_end, "rb"), None
    return aside


def close_all(wb: Any) -> None:
    """close() every Aside of the workbook's sheets (an export that failed half-way leaves no child)."""
    for ws in wb.worksheets:
        store = ws.__dict__.get("_yejin_cells")
        if store is not None and store.aside is not None:
            store.aside.close()
