"""Speed for big data folders: a parse cache, parallel parsing and `validate`'s stored verdict.

yejin runs on every commit and every push, and a data repository may hold tens of thousands
of report files; most of them have not changed since the last run.  Measured figures and
the benchmark that produced them: README「性能」, benchmarks/run.py.

Parse cache (.yejin-cache/ in the data folder)
  One entry per file content: the entry is named by a hash (SHA-256) of the file's bytes and
  the name it is shown under, so an edited file simply has another entry and nothing is ever
  "invalidated in place" (size and modification time add nothing to a content hash, and a
  fresh CI checkout changes every mtime).  An entry holds what the loader made of the bytes:
  the plain data, the texts of unquoted values, the values already reported and the problems
  found while reading (Y001–Y010).  It holds no positions: the few files whose values need a
  line number later are read again then (yaml_loader.Document.relocate).  pydantic
  validation and the cross-file checks run every time: they are quick, and they depend on
  tasks.yaml and the other files.

  Entries live in a folder named after a fingerprint of everything that could change what
  the loader makes of a file: CACHE_VERSION, yejin's version and source files, Python, PyYAML
  (and whether libyaml is used) and pydantic; an upgrade or an edited source file uses a new
  folder, and folders unused for a week are removed.  A run that parsed anything appends the
  new entries to a pack file of its own (creating a file per entry cost more than parsing it),
  written under a temporary name and renamed when complete, so runs at the same time never
  see half a pack; after MAX_PACKS packs, a run rewrites the entries it used into one pack and
  removes the others (and with them the entries of contents that no longer exist).  Each entry
  and each pack index carries a checksum, and entries are read by an unpickler that knows
  nothing but dates, so a damaged (or planted) entry is ignored and the file parsed again,
  never trusted.  If the folder cannot be
  written (a read-only checkout) yejin carries on without it, silently.  .yejin-cache/ holds
  its own .gitignore, so git ignores it in any repository; deleting it is always safe.
  `--no-cache` or YEJIN_NO_CACHE=1 turns all of this off.

validate's verdict
  load_dataset also stores the problems it found, keyed by everything they depend on: yejin
  (the fingerprint), the day (Y213), the data folder as shown, every file's name and content
  hash, the misplaced and unreadable ones.  `yejin validate` over a folder where none of that
  changed prints the stored problems without importing pydantic or parsing anything.  Any
  file that cannot be read, any change, and the verdict is simply not used.

Parallel parsing
  When at least PARALLEL_MIN files need parsing (a cold cache), they are parsed in worker
  processes (fork, Linux only), one per available core; results come back in the files'
  order and are identical to parsing them here (tests/test_cache.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import hashlib
import importlib.util
import io
import json
import os
import pickle
import shutil
import struct
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional

from yejin import __version__
from yejin.problems import Problem, relative
from yejin.reading.yaml_loader import Document, load_bytes, load_file, read_source

CACHE_DIR = ".yejin-cache"
CACHE_VERSION = 1  # bump when the entry format or what the loader records changes
# Below this many files to parse, starting worker processes costs more than it saves.  Measured
# on 2 cores (load_dataset, ~16 KB reports, median of 7): parallel/serial time 1.31 at 64 files,
# 1.06 at 128, 0.84 at 256, 0.83 at 512 (the main process still validates and checks every file).
PARALLEL_MIN = 200
CHUNK = 8  # files per task sent to a worker
KEEP_DAYS = 7  # cache folders of other yejin versions unused this long are removed

_MAGIC = b"YJC1"
_SUM = 16  # bytes of the entry checksum
_GITIGNORE = b"# yejin's parse cache: safe to delete, never to commit\n*\n"
_CACHEDIR_TAG = (b"Signature: 8a477f597d28d172789f06886806bc55\n"
                 b"# This file is a cache directory tag created by yejin (https://bford.info/cachedir/).\n")


def enabled(no_cache: bool = False) -> bool:
    """Whether to use the cache: not with --no-cache, nor with YEJIN_NO_CACHE set to 1/true/yes."""
    return not no_cache and os.environ.get("YEJIN_NO_CACHE", "").strip().lower() in ("", "0", "false", "no")


def parallel_min() -> int:
    """PARALLEL_MIN, or YEJIN_PARALLEL_MIN (tests force parallel parsing with 1)."""
    try:
        return max(1, int(os.environ["YEJIN_PARALLEL_MIN"]))
    except (KeyError, ValueError):
        return PARALLEL_MIN


@functools.lru_cache(maxsize=None)
def fingerprint() -> str:
    """Everything besides a file's bytes that decides what the loader and the checks make of it."""
    import yaml

    from yejin.reading import yaml_loader

    parts: list[Any] = [CACHE_VERSION, __version__, sys.implementation.cache_tag, sys.version_info[:3],
                        yaml.__version__, yaml_loader._Loader.__name__]
    for source in sorted(Path(__file__).parent.glob("*.py")):
        st = source.stat()
        parts += [source.name, st.st_size, st.st_mtime_ns]
    for module in ("pydantic", "pydantic_core"):  # found, not imported: that is what takes time
        try:
            spec = importlib.util.find_spec(module)
            st = os.stat(spec.origin) if spec and spec.origin else None
        except (ImportError, ValueError, OSError):
            st = None
        parts += [module, st.st_size if st else 0, st.st_mtime_ns if st else 0]
    return hashlib.blake2b(repr(parts).encode(), digest_size=8).hexdigest()


def digest(display: str, raw: bytes) -> str:
    """The entry name: a file's bytes and the name it is shown under (problems carry the name).

    SHA-256 (cut to 160 bits): with the CPU's SHA instructions it hashes ~1.5 GB/s, 2.5× BLAKE2b here."""
    h = hashlib.sha256(display.encode("utf-8", "surrogatepass"))
    h.update(b"\0")
    h.update(raw)
    return h.hexdigest()[:40]


def _checksum(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()[:_SUM]


_one_shot = False  # this process runs one command and ends: see one_shot()


def one_shot() -> None:
    """For the console script: what a paused block leaves alive stays alive until the process ends.

    So gc_paused() freezes it on leaving (gc.freeze: the collector no longer walks it, while
    reference counting still frees it).  Otherwise the first collection after a 3,000-unit load,
    and the ones after the aggregation and the workbook, each re-walk some 700,000 objects: about
    0.4 s of an export.  Not for a long-lived process (the tests): frozen cyclic garbage is never
    collected."""
    global _one_shot
    _one_shot = True


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a data folder loads.

    Parsing allocates millions of small objects and keeps most of them; each allocation burst
    makes the collector walk everything kept so far (a 10,000-file folder spent a third of its
    time there).  Nothing the loader builds has reference cycles, so nothing is left uncollected.
    In the console script (one_shot) what the block leaves alive is frozen on leaving it.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _one_shot:
            gc.freeze()
        if was:
            gc.enable()


# --- entries ----------------------------------------------------------------------------------

Entry = tuple  # (problem rows, data or None, sources, reported)


class _DatesOnly(pickle.Unpickler):
    """Unpickles plain data and dates, nothing else: no entry can make yejin run code."""

    _ALLOWED = {("datetime", "date"), ("datetime", "datetime"), ("datetime", "timezone"), ("datetime", "timedelta")}

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in self._ALLOWED:
            return getattr(dt, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache entry")


def _rows(problems: list[Problem]) -> list[tuple]:
    return [(p.line, p.column, p.code, p.message, p.hint, p.level) for p in problems]


def parse_entry(path: Path, display: str) -> tuple[Optional[str], Entry]:
    """Read and parse one file without positions: (content digest or None if unreadable, entry)."""
    raw, problems = read_source(path, display)
    if raw is None:
        return None, (_rows(problems), None, {}, set())
    doc, problems = load_bytes(raw, display, positions=False)
    if doc is None:
        return digest(display, raw), (_rows(problems), None, {}, set())
    return digest(display, raw), (_rows(problems), doc.data, doc.sources, doc.reported)


def dumps(entry: Entry) -> bytes:
    return pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)


def seal(payload: bytes) -> bytes:
    return _MAGIC + _checksum(payload) + payload


def unseal(blob: bytes) -> Optional[Entry]:
    """The entry in a cache file, or None for anything damaged, foreign or malformed."""
    try:
        head = len(_MAGIC) + _SUM
        if len(blob) <= head or not blob.startswith(_MAGIC):
            return None
        payload = blob[head:]
        if _checksum(payload) != blob[len(_MAGIC):head]:
            return None
        entry = _DatesOnly(io.BytesIO(payload)).load()
        rows, data, sources, reported = entry
        if not (isinstance(rows, list) and all(isinstance(r, tuple) and len(r) == 6 for r in rows)
                and (data is None or isinstance(data, dict)) and isinstance(sources, dict)
                and isinstance(reported, set)):
            return None
        return rows, data, sources, reported
    except Exception:  # whatever is wrong with it, the file is parsed again
        return None


def _relocate(path: Path, display: str) -> Optional[Document]:
    return load_file(path, display)[0]


def document(path: Path, display: str, entry: Entry) -> tuple[Optional[Document], list[Problem]]:
    rows, data, sources, reported = entry
    problems = [Problem(display, *row) for row in rows]
    if data is None:
        return None, problems
    return Document(display, data, sources=sources, reported=reported,
                    relocate=functools.partial(_relocate, path, display)), problems


def _write_atomic(path: Path, content: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
    try:
        with open(tmp, "xb") as fh:
            fh.write(content)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


# A pack: entries one after another, then their index, then a footer saying where the index is.
#   "YJP1" | entry… | index: (20-byte digest, 8-byte offset, 4-byte length)… | footer
# One pack per run that parsed something: creating a file per entry costs more than parsing it.
_PACK = b"YJP1"
_INDEX_ROW = struct.Struct("<20sQI")
_FOOTER = struct.Struct("<QQ16s4s")  # index offset, index length, index checksum, magic
MAX_PACKS = 8  # more than this and a run writes the entries it used into one pack, dropping the rest


class ParseCache:
    """The entries of one fingerprint under <data folder>/.yejin-cache/<fingerprint>/*.pack."""

    def __init__(self, root: Path):
        self.base = root / CACHE_DIR
        self.dir = self.base / fingerprint()
        self._writable: Optional[bool] = None
        self._index: Optional[dict[str, tuple[Path, int, int]]] = None
        self._packs: list[Path] = []
        self._open: dict[Path, Any] = {}
        self._out: Any = None  # the pack being written
        self._out_rows: list[bytes] = []
        self.used: set[str] = set()  # entries this run read or wrote

    # reading
    def _load_index(self) -> dict[str, tuple[Path, int, int]]:
        if self._index is None:
            self._index = {}
            try:  # newest first: an entry stored again (the old copy damaged) is found in the new pack
                packs = sorted(self.dir.glob("*.pack"), reverse=True)
            except OSError:
                packs = []
            for pack in packs:
                rows = _read_index(pack)
                if rows is None:
                    continue
                self._packs.append(pack)
                for raw, offset, length in rows:
                    self._index.setdefault(raw.hex(), (pack, offset, length))
        return self._index

    def _read(self, where: tuple[Path, int, int]) -> Optional[bytes]:
        pack, offset, length = where
        try:
            fh = self._open.get(pack)
            if fh is None:
                fh = self._open[pack] = open(pack, "rb")
            fh.seek(offset)
            blob = fh.read(length)
        except OSError:  # removed by a run compacting the cache meanwhile
            return None
        return blob if len(blob) == length else None

    def has(self, name: str) -> bool:
        return name in self._load_index()

    def get(self, name: str) -> Optional[Entry]:
        where = self._load_index().get(name)
        if where is None:
            return None
        blob = self._read(where)
        entry = unseal(blob) if blob is not None else None
        if entry is not None:
            self.used.add(name)
        return entry

    # writing
    def writable(self) -> bool:
        """Make the folder on first use; False (and quiet) when it cannot be written."""
        if self._writable is None:
            self._writable = self._prepare()
        return self._writable

    def put(self, name: str, payload: bytes) -> None:
        if name in self.used or not self.writable():
            return
        try:
            if self._out is None:
                tmp = self.dir / f".{time.time_ns():020d}-{os.getpid()}.pack.tmp"
                self._out = open(tmp, "xb")
                self._out.write(_PACK)
            blob = seal(payload)
            offset = self._out.tell()
            self._out.write(blob)
            self._out_rows.append(_INDEX_ROW.pack(bytes.fromhex(name), offset, len(blob)))
            self.used.add(name)
        except (OSError, ValueError):  # read-only, full, gone: stop trying for this run
            self._writable = False
            self._abandon()

    def close(self) -> None:
        """Finish the pack this run wrote (if any) and compact when there are too many."""
        try:
            if self._out is not None and self._writable:
                written = _finish_pack(self._out, self._out_rows)
                self._out = None
                if written is not None and len(self._packs) + 1 > MAX_PACKS:
                    self._compact(written)
        except OSError:
            pass
        finally:
            self._abandon()
            for fh in self._open.values():
                with contextlib.suppress(OSError):
                    fh.close()
            self._open.clear()

    def _abandon(self) -> None:
        if self._out is not None:
            with contextlib.suppress(OSError):
                self._out.close()
                os.unlink(self._out.name)
            self._out = None

    def _compact(self, written: Path) -> None:
        """One pack with the entries this run used; the old packs (and what nobody uses) go."""
        index = self._load_index()
        fresh = _read_index(written) or []
        where = {raw.hex(): (written, offset, length) for raw, offset, length in fresh}
        tmp = self.dir / f".{time.time_ns():020d}-{os.getpid()}.pack.tmp"
        rows: list[bytes] = []
        with open(tmp, "xb") as out:
            out.write(_PACK)
            for name in sorted(self.used):
                loc = where.get(name) or index.get(name)
                blob = self._read(loc) if loc else None
                if blob is None:
                    continue
                rows.append(_INDEX_ROW.pack(bytes.fromhex(name), out.tell(), len(blob)))
                out.write(blob)
            done = _finish_pack(out, rows)
        if done is None:
            return
        for fh in self._open.values():
            with contextlib.suppress(OSError):
                fh.close()
        self._open.clear()
        for pack in [*self._packs, written]:
            with contextlib.suppress(OSError):
                pack.unlink()

    def _prepare(self) -> bool:
        try:
            fresh = not self.dir.is_dir()
            self.dir.mkdir(parents=True, exist_ok=True)
            for name, content in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
                if not (self.base / name).exists():
                    _write_atomic(self.base / name, content)
        except OSError:
            return False
        self._prune(fresh)
        return True

    def _prune(self, fresh: bool) -> None:
        """Best effort: folders of other fingerprints unused for KEEP_DAYS; packs a crashed run left half-written."""
        cutoff = time.time() - KEEP_DAYS * 86400
        with contextlib.suppress(OSError):
            if fresh:
                for other in self.base.iterdir():
                    if other.is_dir() and other.name != self.dir.name and other.stat().st_mtime < cutoff:
                        shutil.rmtree(other, ignore_errors=True)
            for tmp in self.dir.glob(".*.pack.tmp"):
                if tmp.stat().st_mtime < time.time() - 86400:
                    tmp.unlink()


def _finish_pack(out: Any, rows: list[bytes]) -> Optional[Path]:
    """Write the index and footer of an open pack, close it and give it its final name."""
    index = b"".join(rows)
    offset = out.tell()
    out.write(index)
    out.write(_FOOTER.pack(offset, len(index), _checksum(index), _PACK))
    out.close()
    tmp = Path(out.name)
    if not rows:
        tmp.unlink()
        return None
    final = tmp.with_name(tmp.name[1:].removesuffix(".tmp"))  # ".<time>-<pid>.pack.tmp" -> "<time>-<pid>.pack"
    os.replace(tmp, final)
    return final


def _read_index(pack: Path) -> Optional[list[tuple[bytes, int, int]]]:
    """A pack's index, or None when the pack is damaged or not one."""
    try:
        with open(pack, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            if size < len(_PACK) + _FOOTER.size:
                return None
            fh.seek(size - _FOOTER.size)
            offset, length, checksum, magic = _FOOTER.unpack(fh.read(_FOOTER.size))
            if magic != _PACK or offset + length + _FOOTER.size != size or length % _INDEX_ROW.size:
                return None
            fh.seek(offset)
            index = fh.read(length)
        if _checksum(index) != checksum:
            return None
        rows = list(_INDEX_ROW.iter_unpack(index))
        if any(o < len(_PACK) or o + n > offset for _, o, n in rows):
            return None
        return rows
    except (OSError, struct.error, ValueError):
        return None


# --- loading many files -------------------------------------------------------------------------

def _workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _parse_chunk(chunk: list[tuple[str, str]]) -> list[tuple[Optional[str], bytes]]:
    """In a worker: parse files, send back (digest, pickled entry); the main process stores them."""
    out = []
    for path, display in chunk:
        name, entry = parse_entry(Path(path), display)
        out.append((name, dumps(entry)))
    return out


def _parallel(jobs: list[tuple[str, str]], workers: int) -> Iterator[tuple[Optional[str], Optional[bytes]]]:
    """(digest, pickled entry) for each job, in order; (None, None) for any the pool failed on."""
    import concurrent.futures as cf
    import multiprocessing

    chunks = [jobs[i:i + CHUNK] for i in range(0, len(jobs), CHUNK)]
    pool = cf.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    try:
        pending: deque = deque()
        queued = iter(chunks)
        for chunk in queued:  # a bounded window: results never pile up in memory
            pending.append((chunk, pool.submit(_parse_chunk, chunk)))
            if len(pending) >= workers * 4:
                break
        while pending:
            chunk, future = pending.popleft()
            try:
                results = future.result()
            except Exception:  # a worker died or failed: the caller parses these itself
                results = [(None, None)] * len(chunk)
            nxt = next(queued, None)
            if nxt is not None:
                pending.append((nxt, pool.submit(_parse_chunk, nxt)))
            yield from results
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@dataclass
class Session:
    """One load_dataset: the cache (or None), and the digest of every file read, for the verdict."""

    root: Path
    cache: Optional[ParseCache]
    digests: list[tuple[str, str]] = field(default_factory=list)  # (shown, digest) of tasks.yaml and reports
    complete: bool = True  # every file was read, and read once: the verdict may be stored

    def load_one(self, path: Path, display: str) -> tuple[Optional[Document], list[Problem]]:
        return next(self.load_many([(path, display)]))

    def load_many(self, items: list[tuple[Path, str]]) -> Iterator[tuple[Optional[Document], list[Problem]]]:
        """(document, problems) for each (path, shown name), in order."""
        cache = self.cache
        found: set[int] = set()  # in the cache: read when their turn comes, so memory stays flat
        names: list[Optional[str]] = [None] * len(items)
        if cache is not None:
            for i, (path, display) in enumerate(items):
                raw, _ = read_source(path, display)
                if raw is None:
                    self.complete = False
                    continue
                names[i] = name = digest(display, raw)
                if cache.has(name):
                    found.add(i)
        todo = [i for i in range(len(items)) if i not in found]
        parsed: Iterator[tuple[Optional[str], Optional[bytes]]] = iter(())
        workers = min(_workers(), -(-len(todo) // CHUNK))
        if len(todo) >= parallel_min() and workers > 1 and sys.platform.startswith("linux"):
            parsed = _parallel([(str(items[i][0]), items[i][1]) for i in todo], workers)
        for i, (path, display) in enumerate(items):
            entry = cache.get(names[i]) if i in found else None  # type: ignore[union-attr,arg-type]
            if entry is None and i in found:  # damaged after all: parse it here, store it again
                name, entry = parse_entry(path, display)
                if name is not None:
                    cache.put(name, dumps(entry))  # type: ignore[union-attr]
                if name != names[i]:
                    self.complete = False
            elif entry is None:
                name, payload = next(parsed, (None, None))
                if payload is not None:
                    entry = pickle.loads(payload)  # from our own worker
                    if cache is not None and name is not None:
                        cache.put(name, payload)
                else:
                    name, entry = parse_entry(path, display)
                    if cache is not None and name is not None:
                        cache.put(name, dumps(entry))
                if cache is not None and name != names[i]:
                    self.complete = False  # changed between two reads: no verdict from this run
            if names[i] is not None:
                self.digests.append((display, names[i]))
            yield document(path, display, entry)

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()


def session(root: Path, cache: Optional[bool] = None) -> Session:
    """A loading session for root; cache None means: unless YEJIN_NO_CACHE says otherwise."""
    use = enabled() if cache is None else cache
    return Session(root, ParseCache(root) if use else None, complete=use)


# --- validate's verdict -------------------------------------------------------------------------

_VERDICT = "verdict.json"


@dataclass
class Verdict:
    """What `validate` prints: the same three things a Dataset gives it."""

    problems: list[Problem]
    files_checked: int
    tasks_path: str

    @property
    def ok(self) -> bool:
        return not any(p.level == "error" for p in self.problems)


def verdict_key(root: Path, today: dt.date, digests: list[tuple[str, str]], misplaced: list[str],
                unreadable: list[tuple[str, str]]) -> str:
    inputs = [fingerprint(), today.isoformat(), relative(root), digests, misplaced, unreadable]
    return hashlib.sha256(json.dumps(inputs, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()


def store_verdict(session: Session, today: dt.date, misplaced: list[str], unreadable: list[tuple[str, str]],
                  problems: list[Problem], files_checked: int, tasks_path: str) -> None:
    cache = session.cache
    if cache is None or not session.complete or not cache.writable():
        return
    doc = {"key": verdict_key(session.root, today, session.digests, misplaced, unreadable),
           "files_checked": files_checked, "tasks_path": tasks_path,
           "problems": [[p.path, p.line, p.column, p.code, p.message, p.hint, p.level] for p in problems]}
    with contextlib.suppress(OSError):
        _write_atomic(cache.dir / _VERDICT, json.dumps(doc, ensure_ascii=False).encode("utf-8", "surrogatepass"))


def cached_verdict(root: Path, today: dt.date) -> Optional[Verdict]:
    """The stored verdict when nothing it depends on changed; None otherwise (then load the folder)."""
    from yejin.checking.dataset import inventory

    try:
        stored = json.loads((root / CACHE_DIR / fingerprint() / _VERDICT).read_bytes())
        if not isinstance(stored, dict):
            return None
        digests, misplaced, unreadable = inventory(root)
        if digests is None or verdict_key(root, today, digests, misplaced, unreadable) != stored["key"]:
            return None
        problems = [Problem(*row) for row in stored["problems"]]
        if not all(isinstance(p.line, int) and isinstance(p.column, int) and isinstance(p.message, str)
                   for p in problems):
            return None
        return Verdict(problems, int(stored["files_checked"]), str(stored["tasks_path"]))
    except Exception:  # missing, damaged, unreadable: validate the folder
        return None
