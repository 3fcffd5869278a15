"""Shanxi's county-level divisions (县级行政区划, 2022): the registry counties are taken from.

counties.csv, next to this module, is the one home of the list (117 市辖区、县级市、县 with their
GB/T 2260 codes, ASCII ids and parent city); its header names the public dataset and commit it was
taken from.  A city opts in for its counties in tasks.yaml (`counties: {report: true}`); the
campaign (campaign.py) then turns that city's divisions into county units.  A division belongs to
the city whose code shares its first four digits.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from yejin.campaign.models import Unit
from yejin.words import LEVELS

if TYPE_CHECKING:  # annotations only
    from collections.abc import Iterable

LEVEL = LEVELS[2]  # 县
SUFFIXES = ("区", "县", "市")
# A rate's denominator no report gives: the number of 重点县区 tasks.yaml lists under the city
# (`counties: {key: [...]}`), so measure 10's coverage (复核县区数 / 应复核) is computed, not typed.
KEY_COUNTIES = "key_counties"  # 小店区 → 小店, 清徐县 → 清徐, 古交市 → 古交 (not 城区, 应县: too short)
KEY_COUNTIES_NAME = "重点县区数"  # its name where a rate over it is explained (the fill-in form)


@dataclass(frozen=True)
class Division:
    code: str  # GB/T 2260, six digits
    name: str  # as the dataset writes it: 小店区, 城区
    id: str  # taiyuan-xiaodian: the parent city's id and the name in pinyin
    parent: str  # the parent city's id in tasks.yaml

    @property
    def city_prefix(self) -> str:
        return self.code[:4]


@lru_cache(maxsize=1)
def divisions() -> tuple[Division, ...]:
    """Every county-level division of Shanxi, in code order (the official order within a city)."""
    text = resources.files("yejin.campaign").joinpath("counties.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return tuple(Division(r["code"], r["name"], r["id"], r["parent"]) for r in rows)


def of_city(city: Unit) -> list[Division]:
    """The divisions of a city, by the first four digits of its code."""
    return [d for d in divisions() if d.city_prefix == city.code[:4] and city.code.endswith("00")]


def _ambiguous() -> set[str]:
    seen: dict[str, int] = {}
    for d in divisions():
        seen[d.name] = seen.get(d.name, 0) + 1
    return {name for name, n in seen.items() if n > 1}


def county_unit(division: Division, city: Unit) -> Unit:
    """A division as a reporting unit under its city.  A name two divisions share (城区 of 阳泉 and of
    晋城) is written with the city's name in front, as documents do (阳泉市城区)."""
    city_short = city.short_name or city.name
    name = f"{city.name}{division.name}" if division.name in _ambiguous() else division.name
    short = division.name[:-1] if len(division.name) > 2 and division.name.endswith(SUFFIXES) else None
    aliases = {f"{city.name}{division.name}", f"{city_short}{division.name}"} - {name}
    if short and division.name not in _ambiguous():
        aliases.add(f"{city_short}{short}")
    plan = city.counties
    owners = next((o for key, o in plan.owners.items() if find([division], key)), []) if plan else []
    return Unit(
        id=division.id,
        name=name,
        short_name=short if short and division.name not in _ambiguous() else None,
        aliases=sorted(aliases),
        code=division.code,
        level=LEVEL,
        parent=city.id,
        owners=owners,
    )


def find(divisions_: Iterable[Division], name: str | int) -> Division | None:
    """A division of the list by name (小店区, 小店), id or code."""
    key = str(name).strip()
    for d in divisions_:
        short = d.name[:-1] if len(d.name) > 2 and d.name.endswith(SUFFIXES) else None
        if key in (d.code, d.id, d.name, short):
            return d
    return None
