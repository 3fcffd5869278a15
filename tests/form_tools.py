"""Filling a `yejin workbook` form as a clerk would, by the defined names (the import's contract)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook


def cell_of(wb: Any, name: str) -> Any:
    (sheet, coord), *_ = wb.defined_names[name].destinations
    return wb[sheet][coord.replace("$", "")]


def fill(path: Path, values: dict[str, Any], out: Path | None = None) -> Path:
    """Type values into the named cells (None clears one) and save, as Excel would keep them."""
    wb = load_workbook(path)
    for name, value in values.items():
        cell_of(wb, name).value = value
    target = out or path
    wb.save(target)
    return target


def read_names(path: Path) -> dict[str, Any]:
    """Every defined name's cell value (as shown: data_only)."""
    wb = load_workbook(path, data_only=True)
    return {name: cell_of(wb, name).value for name in wb.defined_names}
