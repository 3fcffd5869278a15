"""`yejin init`: a new data repository, ready to fill, check and commit.

The files come from init_files/ (package data): the task list and the bulletin template as
shipped in data/, a README in Chinese for the clerks and the department, .gitignore, a
pre-commit configuration that runs the installed yejin (no network), and CI files for GitHub
and GitLab that install yejin from the repository's tools/ folder, where the yejin that runs is
packed as a wheel.  The schemas are rendered
from the models, so editors' `$schema=` lines resolve.  Nothing is overwritten.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from string import Template

from yejin import __version__
from yejin.checking.dataset import load_tasks
from yejin.outputs.files import write_atomic, write_text_atomic
from yejin.outputs.schema import render_schema

# file in the new repository → file in init_files/
FILES = {
    "data/tasks.yaml": "tasks.yaml",
    "data/bulletin-template.md": "bulletin-template.md",
    "README.md": "README.md",
    ".gitignore": "gitignore",
    ".pre-commit-config.yaml": "pre-commit-config.yaml",
    ".github/workflows/validate.yml": "github-validate.yml",
    ".gitlab-ci.yml": "gitlab-ci.yml",
}
SCHEMAS = {f"schemas/{kind}.schema.json": kind for kind in ("report", "tasks", "event")}
TOOLS_NOTE = (
    "yejin 的安装文件（yejin-*.whl）放在这个文件夹里，CI 从这里安装 yejin。yejin init 已放入当时运行的 yejin；\n"
    "升级时删去旧文件，放入新的（pip wheel --no-deps <yejin 源码文件夹> -w tools/），再提交。\n"
)


class InitError(Exception):
    """The folder cannot be made a data repository (files there already); the message is Chinese."""


@dataclass
class Created:
    root: Path
    files: list[str] = field(default_factory=list)
    git: str = ""  # what became of `git init`: "" not tried, or a sentence


def template(name: str) -> str:
    return resources.files("yejin.outputs").joinpath("init_files", name).read_text(encoding="utf-8")


def planned(root: Path, unit_ids: list[str]) -> dict[str, str]:
    """Every file `yejin init` writes, relative to the repository, with its text."""
    texts = {target: template(source) for target, source in FILES.items()}
    texts["README.md"] = Template(texts["README.md"]).safe_substitute(
        version=__version__, campaign_name="冶金制造安全专项整治三年行动"
    )
    texts.update({target: render_schema(kind) for target, kind in SCHEMAS.items()})
    texts["tools/README.txt"] = TOOLS_NOTE
    texts[f"tools/{wheel_name()}"] = ""  # written by write_wheel; named here so an existing one is never replaced
    for unit_id in unit_ids:  # git keeps no empty folder: each unit's folder holds a hidden placeholder
        texts[f"data/reports/{unit_id}/.gitkeep"] = ""
    return texts


def unit_ids() -> list[str]:
    """The units of the shipped task list: one folder each under reports/."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "tasks.yaml").write_text(template("tasks.yaml"), encoding="utf-8")
        campaign = load_tasks(Path(folder), [])[0]
    return [unit.id for unit in campaign.all_units] if campaign is not None else []


def init_repository(root: Path, git: bool = True) -> Created:
    """Write a new data repository into `root` (made if missing; existing files are never replaced)."""
    texts = planned(root, unit_ids())
    existing = [name for name in texts if (root / name).exists() or (root / name).is_symlink()]
    if root.exists() and not root.is_dir():
        raise InitError(f"{root} 已存在且不是文件夹")
    if existing:
        shown = "、".join(existing[:5]) + (f" 等{len(existing)}个" if len(existing) > 5 else "")
        raise InitError(f"{root} 中已有 {shown}，未做任何改动（yejin init 不覆盖已有文件）")
    created = Created(root)
    for name, text in texts.items():
        if name.endswith(".whl"):
            continue
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, text)
        created.files.append(name)
    wheel = write_wheel(root / "tools")
    if wheel is not None:
        created.files.append(wheel.relative_to(root).as_posix())
    if git:
        created.git = _git_init(root)
    return created


def wheel_name() -> str:
    return f"yejin-{__version__}-py3-none-any.whl"


def write_wheel(folder: Path) -> Path | None:
    """The yejin that runs, packed as a wheel into `folder` (the CI files install it from there), or
    None when yejin runs from a source tree that was never installed (no metadata to pack).

    Made from the package's own files and its installed metadata, so an editable install packs
    the source it runs; byte-for-byte the same for the same files (fixed times, sorted)."""
    import base64
    import hashlib
    import zipfile
    from importlib import metadata

    try:
        dist = metadata.distribution("yejin")
        meta = dist.read_text("METADATA") or dist.read_text("PKG-INFO")  # an egg-info of a source build
    except metadata.PackageNotFoundError:
        return None
    if not meta:
        return None
    package = Path(str(resources.files("yejin")))
    info = f"yejin-{__version__}.dist-info"
    entries = [
        (f"yejin/{path.relative_to(package).as_posix()}", path.read_bytes())
        for path in sorted(package.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    ]
    meta = re.sub(r"(?m)^Version: .*$", f"Version: {__version__}", meta)
    entries += [
        (f"{info}/METADATA", meta.encode("utf-8")),
        (f"{info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: yejin init\nRoot-Is-Purelib: true\nTag: py3-none-any\n"),
        (f"{info}/entry_points.txt", b"[console_scripts]\nyejin = yejin.cli:main\n"),
    ]
    record = [
        f"{name},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},{len(data)}"
        for name, data in entries
    ]
    entries.append((f"{info}/RECORD", ("\n".join([*record, f"{info}/RECORD,,"]) + "\n").encode("utf-8")))
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / wheel_name()

    def write(temp: Path) -> None:
        with zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as wheel:
            for name, data in entries:
                item = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                item.external_attr = 0o644 << 16
                item.compress_type = zipfile.ZIP_DEFLATED
                wheel.writestr(item, data)

    write_atomic(target, write)
    return target


def _git_init(root: Path) -> str:
    exe = shutil.which("git")
    if exe is None:
        return "没有找到 git，未建 git 仓库；装好 git 后在该文件夹中运行 git init"
    if (root / ".git").exists():
        return "已是 git 仓库"
    try:
        done = subprocess.run([exe, "init", "-q"], cwd=root, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        done = None
    if done is not None and done.returncode == 0:
        return "已建 git 仓库（git init）"
    return "git init 没有成功，请在该文件夹中自行运行 git init（文件都已写好）"
