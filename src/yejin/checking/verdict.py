"""validate's stored verdict: an unchanged data folder is re-validated without parsing anything.

After a data folder has been loaded and checked, its problems are stored under a key made of
everything they depend on: yejin's own code and the libraries that read the files, the day
(Y213 compares with today), the data folder, and the name and content (SHA-256) of every file
that was read, with the misplaced files and unreadable folders.  `yejin validate` over a folder
where none of that changed prints the stored problems; any change, any file that cannot be read,
and the folder is simply loaded again.

The store lives outside the data folder, in the user's cache folder (platformdirs: on Linux
~/.cache/yejin/), one small JSON file per data folder: nothing a city commits can plant a
verdict.  It holds no parsed data, only problems.  `--no-cache` or YEJIN_NO_CACHE=1 neither
reads nor writes it; a cache folder that cannot be written is passed over silently.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from yejin import __version__
from yejin.problems import Problem, relative
from yejin.reading.layout import Listing, refusal, scan, shown, shown_all
from yejin.reading.yaml_loader import read_source

FORMAT = 3  # bump when what a verdict holds changes (2: refused links and files, Y013; related files; 3: detail)


@dataclass
class Verdict:
    """What `validate` prints: the same three things a Dataset gives it."""

    problems: list[Problem]
    files_checked: int
    tasks_path: str

    @property
    def ok(self) -> bool:
        return not any(p.level == "error" for p in self.problems)


def enabled(no_cache: bool = False) -> bool:
    """Whether to use the store: not with --no-cache, nor with YEJIN_NO_CACHE set to 1/true/yes."""
    return not no_cache and os.environ.get("YEJIN_NO_CACHE", "").strip().lower() in ("", "0", "false", "no")


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


@functools.lru_cache(maxsize=None)
def fingerprint() -> str:
    """yejin's code and the libraries that decide what a file means: another version, other problems."""
    import yaml

    h = hashlib.sha256(repr((FORMAT, __version__, sys.version, yaml.__version__, yaml.__with_libyaml__)).encode())
    package = Path(__file__).resolve().parents[1]
    for source in sorted(package.rglob("*.py")):
        h.update(source.relative_to(package).as_posix().encode() + b"\0" + source.read_bytes())
    for module in ("pydantic", "pydantic_core"):  # found, not imported: importing pydantic is what takes time
        import importlib.util

        spec = importlib.util.find_spec(module)
        with contextlib.suppress(OSError, TypeError):
            st = os.stat(spec.origin)  # type: ignore[union-attr, arg-type]
            h.update(f"{module}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()


def key(root: Path, today: dt.date, listing: Listing, digests: list[tuple[str, str]]) -> str:
    inputs = [
        fingerprint(),
        today.isoformat(),
        relative(root),
        os.path.abspath(root),
        digests,
        [shown(root, p) for p in listing.misplaced],
        [(shown(root, p), reason) for p, reason in listing.unreadable],
        [(shown(root, p), reason) for p, reason in listing.refused],
    ]
    return hashlib.sha256(json.dumps(inputs, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()


def _store_path(root: Path) -> Path:
    from platformdirs import user_cache_path

    name = hashlib.sha256(os.path.abspath(root).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return user_cache_path("yejin", appauthor=False) / "verdicts" / f"{name}.json"


def current_key(root: Path, today: dt.date) -> Optional[str]:
    """The key of the folder as it is now; None when a file cannot be read (then load it)."""
    listing = scan(root)
    if not root.is_dir() or not listing.tasks.is_file() or refusal(root, listing.tasks):
        return None
    digests = []
    paths = [listing.tasks, *listing.reports, *listing.events]
    for path, name in zip(paths, shown_all(root, paths)):
        raw, _ = read_source(path, name)
        if raw is None:
            return None
        digests.append((name, digest(raw)))
    return key(root, today, listing, digests)


def lookup(root: Path, today: dt.date) -> Optional[Verdict]:
    """The stored verdict when nothing it depends on changed; None otherwise."""
    try:
        stored = json.loads(_store_path(root).read_text(encoding="utf-8"))
        if not isinstance(stored, dict) or stored.get("key") != current_key(root, today):
            return None
        problems = [
            Problem(*row[:7], tuple(row[7] if len(row) > 7 else ()), row[8] if len(row) > 8 else "")
            for row in stored["problems"]
        ]
        if not all(
            isinstance(p.path, str)
            and isinstance(p.line, int)
            and isinstance(p.column, int)
            and isinstance(p.code, str)
            and isinstance(p.message, str)
            and all(isinstance(r, str) for r in p.related)
            and isinstance(p.detail, str)
            for p in problems
        ):
            return None
        return Verdict(problems, int(stored["files_checked"]), str(stored["tasks_path"]))
    except Exception:  # missing, damaged, unreadable: validate the folder
        return None


def store(verdict_key: str, root: Path, verdict: Verdict) -> None:
    """Keep a verdict for the next run; quietly nothing when the cache folder cannot be written."""
    doc = {
        "key": verdict_key,
        "files_checked": verdict.files_checked,
        "tasks_path": verdict.tasks_path,
        "problems": [
            [p.path, p.line, p.column, p.code, p.message, p.hint, p.level, list(p.related), p.detail]
            for p in verdict.problems
        ],
    }
    path = _store_path(root)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(json.dumps(doc, ensure_ascii=False).encode("utf-8", "surrogatepass"))
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
