"""The body of a large sheet built in a forked process while this one builds the other sheets.

A 3,000-unit month's 进展情况 has 48,000 rows of long text: about 1 s to lay out and 0.5 s to turn
into XML, on one core of two.  start() forks a child that runs the sheet's `fill(cleaner, done)`,
which writes cells and row heights at rows from `first_row` on (with xlsx_style's put/put_row/
text_entry, nothing else) and calls done(row) when the rows above `row` are final.  The child turns
finished rows into XML as it goes, into a temporary file, and lets go of them: what it allocates
stays small, and so does what the fork costs in memory (the pages either process writes to are
copied).  The parent builds the other sheets meanwhile, takes the child's cleaning notes at join(),
and copies the XML into the package when the sheet is written (xlsx_style.sheet_data).

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

from yejin.outputs.xlsx import Cleaner, Extent, Style, _cells, extent_union, register, registered, row_pieces

# Measured on 2 cores: 48,000 rows (3,000 units) gained ~1 s; 16,000 rows (1,000 units, 10 months
# loaded) gained nothing measurable and the copied pages cost 107 MB.
MIN_ROWS = 20_000
BATCH = 1000  # rows turned into XML at a time in the child
_CHUNK = 1 << 20
_HEAD = struct.Struct("<Q")


def _tables(wb: Any) -> tuple[int, ...]:
    """The sizes of the workbook's style tables: the child must leave them as they were."""
    return (len(wb._fonts), len(wb._fills), len(wb._borders), len(wb._alignments), len(wb._protections),
            len(wb._number_formats), len(wb._cell_styles), len(wb._named_styles))


def can_fork() -> bool:
    """Linux, more than one usable core (on one, the child only competes with this process: 5.4 s
    against 4.5 s measured), and no other thread (one could hold a lock the child would wait on)."""
    import threading

    if not (sys.platform.startswith("linux") and hasattr(os, "fork")) or threading.active_count() != 1:
        return False
    try:
        return len(os.sched_getaffinity(0)) > 1
    except (AttributeError, OSError):  # pragma: no cover - Linux has it
        return (os.cpu_count() or 1) > 1


class Aside:
    """One sheet body: built in a child process, or (reason says why) in this one at join()."""

    def __init__(self, ws: Any, fill: Callable[[Cleaner, Callable[[int], None]], None], first_row: int):
        self.ws, self.fill, self.first_row = ws, fill, first_row
        self.pid: Optional[int] = None
        self.messages: Any = None  # the pipe the child reports on
        self.body: Any = None  # the temporary file the child writes the rows' XML to
        self.extent: Optional[Extent] = None  # of the child's cells, once built there
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
                self._reap()  # it ends right after reporting; the file stays for pieces()
            else:
                self.reason = message[1] if message is not None else "the child process ended early"
                self.close()
        if notes is None:
            notes = Cleaner()
            self.fill(notes, _nothing)
        cleaner.insert(at, notes)

    def pieces(self) -> Iterator[bytes]:
        """The body rows' XML, for xlsx_style._sheet_rows (nothing when they are in this process's table)."""
        if self.reason is not None:
            return
        try:
            self.body.seek(0)
            while chunk := self.body.read(_CHUNK):
                yield chunk
        finally:
            self.close()

    def close(self) -> None:
        """End the child (if still running) and let go of the pipe and the file; safe to call again."""
        self._reap(kill=True)
        for handle in (self.messages, self.body):
            if handle is not None:
                handle.close()
        self.messages = self.body = None

    def _reap(self, kill: bool = False) -> None:
        if self.pid is not None:
            try:
                if not kill or os.waitpid(self.pid, os.WNOHANG) == (0, 0):  # (else: it had ended)
                    if kill:
                        os.kill(self.pid, signal.SIGKILL)
                    os.waitpid(self.pid, 0)
            except ChildProcessError:
                pass
            self.pid = None

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
        """In the child: build the rows and write their XML, check, report."""
        def send(message: tuple) -> None:
            payload = pickle.dumps(message)
            report.write(_HEAD.pack(len(payload)) + payload)
            report.flush()

        try:
            wb, store, first = self.ws.parent, _cells(self.ws), self.first_row
            before = _tables(wb)
            kept = {r: len(cells) for r, cells in store.rows.items() if r < first}
            kept_heights = {r for r in store.heights if r < first}
            sheet = _sheet_state(self.ws)
            xf: dict[int, int] = {}
            extents: list[Optional[Extent]] = []
            flushed = first  # rows from `first` up to here are written and gone

            with os.fdopen(os.dup(self.body.fileno()), "wb", buffering=_CHUNK) as out:
                def done(row: int) -> None:
                    nonlocal flushed
                    if row - flushed < BATCH:
                        return
                    rows = sorted(r for r in set(store.rows) | set(store.heights) if flushed <= r < row)
                    registered(wb, store, rows, xf)
                    extents.append(store.extent(rows))
                    for piece in row_pieces(wb, store, xf, rows):
                        out.write(piece.encode("utf-8"))
                    for r in rows:
                        store.rows.pop(r, None)
                        store.heights.pop(r, None)
                    flushed = row

                notes = Cleaner()
                self.fill(notes, done)
                done(sys.maxsize)
            if _tables(wb) != before:
                send(("fallback", "the body needs a style not registered before the fork"))
            elif ({r: len(cells) for r, cells in store.rows.items() if r < first} != kept
                  or {r for r in store.heights if r < first} != kept_heights):
                send(("fallback", f"the body wrote above row {first}"))
            elif _sheet_state(self.ws) != sheet or self.ws._cells:
                send(("fallback", "the body changed the sheet beyond cells and row heights"))
            elif any(r >= first for r in (*store.rows, *store.heights)):  # behind `flushed`, left over
                send(("fallback", "the body wrote a row after done() said it was complete"))
            else:
                send(("built", notes.stripped, notes.truncated, extent_union(extents)))
        except BaseException as exc:  # noqa: BLE001 - whatever it is, the parent builds the rows itself
            try:
                send(("failed", f"{type(exc).__name__}: {exc}"))
            except BaseException:  # noqa: BLE001
                pass


def _sheet_state(ws: Any) -> tuple:
    """What else a body could change on its sheet, which the rows' XML would not carry home."""
    return (len(ws.merged_cells.ranges), len(ws.column_dimensions), len(ws._hyperlinks),
            len(ws.conditional_formatting), len(ws.data_validations.dataValidation), len(ws._images),
            len(ws._charts), ws.freeze_panes, ws.print_title_rows)


def _nothing(row: int) -> None:
    """done() when the rows stay in this process's table."""


def start(ws: Any, fill: Callable[[Cleaner, Callable[[int], None]], None], first_row: int, rows: int,
          styles: Iterable[tuple[Style, Any]], quoted: bool = True) -> Aside:
    """Have fill(cleaner, done) build ws's rows from first_row on (about `rows` of them) in a child
    process; fill calls done(row) whenever the rows above `row` are complete.

    styles: every (Style, sample value) the body's cells use; each is registered now, and also with
    a quote prefix if `quoted` (some text may start like a formula: xlsx_style.may_be_quoted).
    Call join() before anything needs the rows, their notes or the sheet's dimension, and close()
    (or let the export do it) when done."""
    aside = Aside(ws, fill, first_row)
    for style, sample in styles:  # (also in a plain openpyxl workbook, the tests' reference: same styles.xml)
        for quote in (False, True) if quoted else (False,):
            register(ws, style, sample, quote)
    store = _cells(ws)
    if store is None or rows < MIN_ROWS or not can_fork():
        return aside
    store.aside = aside
    read_end = write_end = None
    try:
        aside.body = tempfile.TemporaryFile(prefix="yejin-")
        read_end, write_end = os.pipe()
        aside.pid = os.fork() or None  # at once: close_all() reaps it whatever happens next
    except OSError:
        for fd in (read_end, write_end):
            if fd is not None:
                os.close(fd)
        aside.close()
        return aside
    if aside.pid is None:  # the child: never returns to the caller's code
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent ends it
            os.close(read_end)
            aside._run_child(os.fdopen(write_end, "wb"))
        finally:
            os._exit(0)
    os.close(write_end)
    aside.messages, aside.reason = os.fdopen(read_end, "rb"), None
    return aside


def close_all(wb: Any) -> None:
    """close() every Aside of the workbook's sheets (an export that failed half-way leaves no child)."""
    for ws in wb.worksheets:
        store = ws.__dict__.get("_yejin_cells")
        if store is not None and store.aside is not None:
            store.aside.close()
