"""Plainly valid files without pydantic: how `yejin validate` starts fast after a file was edited.

Importing pydantic's model machinery and building the models (models.py) takes longer than the
whole of the four-library import floor of README「性能」, and `yejin validate` runs on every
commit.  So validate first tries, for each file, this reading of the same three file kinds:

- read(data, model) returns the objects the model would make (a Record with the same field
  values, nested Records, the same dicts and lists, and the same derived properties: the
  mixins of rules.py, which models.py uses too) when the data is plainly valid;
- otherwise None, and the caller validates the file with the pydantic model, which also says
  what is wrong and where (validation.py).

It is stricter than the models, never looser: exact built-in types only (what the YAML loader
makes), ASCII digits in patterns, no conversions but the ones the models' own rule functions
make.  A valid file it does not accept only costs the pydantic import; it never accepts a file
the models refuse, and never makes other values than they do (tests/test_entry.py checks both
against the models, field by field).  The rules for single values are rules.py's,
the same functions models.py wraps, so there is one of each.

Only `validate` uses these objects (their problems are all it prints); every other command
loads the data through the models.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Optional

from yejin.campaign.rules import (Invalid, MeasureFacts, TaskFacts, as_date, as_deadline, as_month, as_number, as_phone,
                    as_responsible, rate_parts)

# --- reading plainly valid data ----------------------------------------------------------------------

class _Unsure(Exception):
    """Not plainly valid: let the model decide (and say what is wrong)."""


_REQUIRED = object()


class Record:
    """A model's fields as attributes, made from data the model accepts (see the module docstring)."""

    FIELDS: dict[str, tuple[Callable[[Any], Any], Any]] = {}  # name -> (reader, default or _REQUIRED)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={getattr(self, k)!r}' for k in self.FIELDS)})"

    @classmethod
    def read(cls, data: Any) -> "Record":
        if type(data) is not dict or not data.keys() <= cls.FIELDS.keys():
            raise _Unsure
        record = cls.__new__(cls)
        values = record.__dict__
        for name, (reader, default) in cls.FIELDS.items():
            if name in data:
                values[name] = reader(data[name])
            elif default is _REQUIRED:
                raise _Unsure
            else:
                values[name] = default() if callable(default) else default
        record.check()
        return record

    def check(self) -> None:
        """Rules across fields (the model's model_validator)."""


def _exact(kind: type) -> Callable[[Any], Any]:
    def read(value: Any) -> Any:
        if type(value) is not kind:
            raise _Unsure
        return value
    return read


_str, _int, _bool = _exact(str), _exact(int), _exact(bool)


def _text(value: Any) -> str:  # models.Text: non-blank
    if type(value) is not str or not value.strip():
        raise _Unsure
    return value


def _int_range(low: int, high: Optional[int] = None) -> Callable[[Any], int]:
    def read(value: Any) -> int:
        if type(value) is not int or value < low or (high is not None and value > high):
            raise _Unsure
        return value
    return read


def _optional(reader: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else reader(value)


def _list(reader: Callable[[Any], Any], min_length: int = 0) -> Callable[[Any], list]:
    def read(value: Any) -> list:
        if type(value) is not list or len(value) < min_length:
            raise _Unsure
        return [reader(item) for item in value]
    return read


def _dict(key: Callable[[Any], Any], reader: Callable[[Any], Any]) -> Callable[[Any], dict]:
    def read(value: Any) -> dict:
        if type(value) is not dict:
            raise _Unsure
        return {key(k): reader(v) for k, v in value.items()}
    return read


def _one_of(*allowed: str) -> Callable[[Any], str]:
    def read(value: Any) -> str:
        if type(value) is not str or value not in allowed:
            raise _Unsure
        return value
    return read


def _pattern(ascii_pattern: str) -> Callable[[Any], str]:
    """A str matching the whole pattern; the patterns here use ASCII classes only ([0-9], not \\d,
    which pydantic's regex engine takes to mean any Unicode digit)."""
    compiled = re.compile(ascii_pattern)

    def read(value: Any) -> str:
        if type(value) is not str or not compiled.fullmatch(value):
            raise _Unsure
        return value
    return read


def _rule(rule: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def read(value: Any) -> Any:
        try:
            return rule(value)
        except Invalid:
            raise _Unsure from None
    return read


def _unit_ref(value: Any) -> str | int:  # models.UnitRef: str | int, strict
    if type(value) is not str and type(value) is not int:
        raise _Unsure
    return value


def _model(cls: type[Record]) -> Callable[[Any], Record]:
    return cls.read


_date, _number = _rule(as_date), _rule(as_number)


# tasks.yaml (models.TasksFile)

class Campaign(Record):
    FIELDS = {"name": (_text, _REQUIRED), "year": (_int_range(2000, 2100), _REQUIRED),
              "document_number": (_text, _REQUIRED), "notice_title": (_text, _REQUIRED),
              "issuer": (_text, _REQUIRED), "issue_date": (_date, _REQUIRED),
              "report_day": (_int_range(1, 31), _REQUIRED), "table_title": (_text, _REQUIRED),
              "contact": (_optional(_str), None)}


class Unit(Record):
    FIELDS = {"id": (_pattern(r"[a-z][a-z0-9_-]*"), _REQUIRED), "name": (_text, _REQUIRED),
              "short_name": (_optional(_str), None), "aliases": (_list(_str), list),
              "code": (_pattern(r"[0-9]{6}"), _REQUIRED), "level": (_one_of("省", "市", "县"), _REQUIRED),
              "parent": (_optional(_str), None), "owners": (_list(_str), list)}


class Indicator(Record):
    FIELDS = {"key": (_pattern(r"[a-z][a-z0-9_]*"), _REQUIRED), "name": (_text, _REQUIRED),
              "unit": (_one_of("家", "个", "项", "次", "人次", "万元", "%"), _REQUIRED),
              "kind": (_one_of("count", "amount", "rate"), _REQUIRED),
              "numerator": (_optional(_str), None), "denominator": (_optional(_str), None),
              "target": (_optional(_number), None), "target_text": (_optional(_str), None),
              "headline": (_bool, False)}

    def check(self) -> None:
        try:
            rate_parts(self.kind, self.key, self.numerator, self.denominator)  # type: ignore[attr-defined]
        except Invalid:
            raise _Unsure from None


class Measure(MeasureFacts, Record):
    FIELDS = {"number": (_int_range(1), _REQUIRED), "short_title": (_text, _REQUIRED),
              "text": (_text, _REQUIRED), "target": (_text, _REQUIRED),
              "responsible": (_rule(as_responsible), _REQUIRED), "deadline": (_rule(as_deadline), _REQUIRED),
              "indicators": (_list(_model(Indicator)), list)}


class Task(TaskFacts, Record):
    FIELDS = {"number": (_int_range(1), _REQUIRED), "title": (_text, _REQUIRED),
              "measures": (_list(_model(Measure), min_length=1), _REQUIRED)}


class TasksFile(Record):
    FIELDS = {"campaign": (_model(Campaign), _REQUIRED), "units": (_list(_model(Unit), min_length=1), _REQUIRED),
              "tasks": (_list(_model(Task), min_length=1), _REQUIRED)}


# reports/<unit>/<YYYY-MM>.yaml (models.Report)

class Contact(Record):
    FIELDS = {"name": (_text, _REQUIRED), "phone": (_rule(as_phone), _REQUIRED)}


class Contacts(Record):
    FIELDS = {"a": (_model(Contact), _REQUIRED), "b": (_model(Contact), _REQUIRED)}


class Case(Record):
    FIELDS = {"title": (_text, _REQUIRED), "enterprise": (_text, _REQUIRED), "summary": (_text, _REQUIRED)}


class MeasureReport(Record):
    FIELDS = {"status": (_one_of("未启动", "推进中", "已完成"), _REQUIRED), "progress": (_str, ""),
              "indicators": (_dict(_str, _number), dict), "cases": (_list(_model(Case)), list)}


class Report(Record):
    FIELDS = {"sample_data": (_bool, False), "unit": (_unit_ref, _REQUIRED), "month": (_rule(as_month), _REQUIRED),
              "submitted": (_date, _REQUIRED), "contacts": (_model(Contacts), _REQUIRED),
              "problems": (_optional(_str), None), "next_steps": (_optional(_str), None),
              "measures": (_dict(_int, _model(MeasureReport)), dict)}


# reports/<unit>/events/<YYYY-MM-DD>-<name>.yaml (models.Event)

class Event(Record):
    FIELDS = {"sample_data": (_bool, False), "unit": (_unit_ref, _REQUIRED), "date": (_date, _REQUIRED),
              "title": (_text, _REQUIRED), "category": (_one_of("事故", "险情", "重大隐患", "执法行动", "其他"), _REQUIRED),
              "measures": (_list(_int), list), "summary": (_text, _REQUIRED), "contacts": (_model(Contacts), _REQUIRED)}


MODELS: dict[str, type[Record]] = {"TasksFile": TasksFile, "Report": Report, "Event": Event}

# The models' JSON Schemas (schemas/*.schema.json, kept equal to models.py by tests/test_schema.py)
# as they were when these readers were last checked against the models: a new field, limit or
# pattern there must be read here too, or this would accept what the models refuse.
# tests/test_entry.py fails when a schema no longer matches; re-check, then update the digest.
CHECKED_AGAINST = {"tasks": "7a43cbda89ac59fe", "report": "ce02159f07f9f62a", "event": "b542115b98b27db9"}


def read(data: Any, model: str) -> Optional[Record]:
    """The model's objects for plainly valid data (model: "TasksFile", "Report" or "Event"), else None."""
    try:
        return MODELS[model].read(data)
    except _Unsure:
        return None
