"""Validate one parsed document against a model and locate every error in the file.

pydantic reports `loc` paths such as ("measures", 7, "status"); the loader kept
the line and column of each path, so each error becomes `file:line:col`.
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import replace
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from yejin import words
from yejin.campaign import wording as terms
from yejin.campaign.models import DRAFT_CONTEXT
from yejin.checking import hints
from yejin.problems import Problem
from yejin.reading.yaml_loader import Document

M = TypeVar("M", bound=BaseModel)

_TYPE_NAMES = {
    "string_type": "文本",
    "int_type": "整数",
    "float_type": "数字",
    "bool_type": "true 或 false",
    "list_type": "列表（每项以 - 开头）",
    "dict_type": "映射（键: 值）",
    "model_type": "映射（键: 值）",
    "int_from_float": "整数",
    "date_type": "日期",
    "model_attributes_type": "映射（键: 值）",
}


# characters that show as nothing (or as a plain space) on a clerk's screen
INVISIBLE = {
    "\u200b": "零宽空格",
    "\u200c": "零宽非连接符",
    "\u200d": "零宽连接符",
    "\u2060": "零宽连接符",
    "\ufeff": "零宽不换行空格",
    "\u00a0": "不间断空格",
    "\u3000": "全角空格",
    "\t": "制表符",
    "\u00ad": "软连字符",
}


def visible(text: str) -> str:
    """The text with its invisible characters named: `status⟨零宽空格⟩`."""
    return "".join(f"⟨{INVISIBLE[ch]}⟩" if ch in INVISIBLE else ch for ch in text)


def validate(doc: Document, model: type[M]) -> tuple[M | None, list[Problem]]:
    """The model's object or None, and the located problems.  A file marked `draft: true` may leave
    text blank (models.DRAFT_CONTEXT); checks.py lists each blank as 未填写."""
    draft = isinstance(doc.data, dict) and doc.data.get("draft") is True
    try:
        return model.model_validate(doc.data, context=DRAFT_CONTEXT if draft else None), []
    except ValidationError as exc:
        problems = []
        seen: set[tuple] = set()
        for error in exc.errors(include_url=False):
            loc = _data_loc(error["loc"], doc.data)
            if any(loc[: len(r)] == r for r in doc.reported):
                continue  # the loader already said what is wrong with this value
            problem = replace(_problem(doc, model, loc, error), detail=error["msg"])
            # one problem per place and code (union branches, aliased nodes), but every missing field
            # of a mapping is its own problem: they all sit at the mapping's position
            key = (problem.line, problem.column, problem.code, loc[-1:] if error["type"] == "missing" else ())
            if key not in seen:
                seen.add(key)
                problems.append(problem)
        return None, problems


def _data_loc(loc: tuple, data: Any = None) -> tuple:
    """Drop pydantic's markers for union branches and validators; keep data keys.

    A part that is a key in the data is kept even when it looks like a marker
    (a report can contain a key named `int` or `str`)."""
    kept = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            node = None
            if isinstance(part, str) and (
                part.startswith(("function-", "union[", "constrained-"))
                or part in ("str", "int", "float", "bool", "[key]")
            ):
                continue
        kept.append(part)
    return tuple(kept)


def _describe(value: Any, source: str | None) -> str:
    if source is not None:
        shown = {bool: "布尔值", int: "整数", float: "小数"}.get(type(value), "数值")
        return f"未加引号的{source}（YAML 读成了{shown}{value!r}）"
    if isinstance(value, str):
        return f"文本“{value[:30]}{'…' if len(value) > 30 else ''}”"
    if isinstance(value, bool):
        return f"布尔值 {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"数字{value}"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "映射"
    if value is None:
        return "空值"
    return type(value).__name__


def _named(loc: tuple, data: Any) -> str:
    """The place a value is at, as a message names it: “status”, or “measures”第2项 for an item of a
    list (never the bare index, which reads like a field called “1”)."""
    if not loc:
        return "“”"
    parent = data
    for part in loc[:-1]:
        if isinstance(parent, dict):
            parent = parent.get(part)
        elif isinstance(parent, list) and isinstance(part, int) and 0 <= part < len(parent):
            parent = parent[part]
        else:
            parent = None
    if isinstance(parent, list) and isinstance(loc[-1], int):
        owner = _named(loc[:-1], data) if len(loc) > 1 else "列表"
        return f"{owner}第{loc[-1] + 1}项"
    return f"“{loc[-1]}”"


def _problem(doc: Document, model: type[BaseModel], loc: tuple, error: dict) -> Problem:
    kind = error["type"]
    value = error.get("input")
    source = doc.sources.get(loc)
    field = loc[-1] if loc else ""
    named = _named(loc, doc.data)
    if kind == "extra_forbidden":
        line, col = doc.position(loc, prefer_key=True)
        allowed = _fields_at(model, loc[:-1])
        near = difflib.get_close_matches(str(field), allowed, n=1, cutoff=0.6)
        message = f'未知字段 "{visible(str(field))}"' + (f'，是否为 "{near[0]}"？' if near else "")
        hint = "允许的字段：" + "、".join(allowed) if allowed else ""
        hidden = [name for char, name in INVISIBLE.items() if char in str(field)]
        if hidden:  # `status​:` looks like `status:` on screen; say what is there
            clean = "".join(ch for ch in str(field) if ch not in INVISIBLE).strip()
            hint = f"字段名中有看不见的字符⟨{'⟩⟨'.join(hidden)}⟩（常由复制粘贴带入）；请删去它，重新输入 {clean}:"
        if "：" in str(field):  # `{name：张三}`: the full-width colon made key and value one key
            message = f'未知字段 "{field}"'
            hint = f"键后面用了全角冒号“：”；请改为半角冒号加空格，写成 {str(field).replace('：', ': ', 1)}"
        return Problem(doc.path, line, col, "Y101", message, hint)
    # a key of the wrong type (`５:` for a measure number) is shown at the key, not at its value
    line, col = doc.position(loc, prefer_key=error["loc"][-1:] == ("[key]",))
    if kind == "missing":
        title = _title_at(model, loc)
        return Problem(
            doc.path,
            line,
            col,
            "Y102",
            f'缺少必填字段 "{field}"' + (f"（{title}）" if title else ""),
            f"请在此处补上 {field}: …",
        )
    if kind.startswith("Y"):  # our own PydanticCustomError: the type is the code
        # an unquoted 2022.10 reached the model as the float 2022.1: name the month from what was typed
        message = terms.month_hint(source) if kind == "Y107" and source is not None else error["msg"]
        if message.startswith("不能"):  # "不能为空" needs the field it is about
            title = _title_at(model, loc)
            message = f"{named}{'（' + title + '）' if title else ''}{message}"
        return Problem(doc.path, line, col, kind, message, _hint_for_custom(kind, value, source, error["msg"]))
    if kind in _TYPE_NAMES or kind.endswith("_type"):
        want = _TYPE_NAMES.get(kind, kind)
        hint = ""
        if source is not None and want == "文本":
            hint = f'请加引号："{source}"'
        elif isinstance(value, str) and want in ("整数", "数字"):
            hint = hints.number_hint(value)
        return Problem(doc.path, line, col, "Y103", f"{named}应为{want}，实际是{_describe(value, source)}", hint)
    if kind == "literal_error":
        expected = [e.strip(" '") for e in error.get("ctx", {}).get("expected", "").replace(" or ", ",").split(",")]
        expected = [e for e in expected if e]
        message = f"{named}的取值{_describe(value, source)}不在允许范围：{'、'.join(expected)}"
        hint = hints.status_hint(value, expected)
        return Problem(doc.path, line, col, "Y104", message, hint)
    if kind in ("greater_than_equal", "greater_than") and isinstance(value, (int, float)) and value < 0:
        return Problem(doc.path, line, col, "Y105", f"{named}不能为负数")
    if kind == "string_pattern_mismatch":
        return Problem(
            doc.path,
            line,
            col,
            "Y110",
            f"{named}的取值{_describe(value, source)}格式不对",
            f"应符合 {error.get('ctx', {}).get('pattern', '')}",
        )
    if kind == "too_short":
        return Problem(doc.path, line, col, "Y102", f"{named}不能为空")
    return Problem(doc.path, line, col, "Y110", f"{named}取值无效" + chinese_reason(error["msg"]))


def chinese_reason(message: str) -> str:
    """pydantic's message when it is ours (Chinese), without its "Value error, "; never its English."""
    message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return f"：{message}" if any("\u4e00" <= ch <= "\u9fff" for ch in message) else ""


def _hint_for_custom(code: str, value: Any, source: str | None, message: str = "") -> str:
    if code == "Y007":  # a typed day that does not exist (2022年6月31日); ISO ones are the loader's
        return words.NO_SUCH_DAY_HINT
    if code == "Y103" and "是否类" in message:
        return words.YES_NO_HINT
    if code == "Y103" and isinstance(value, str):
        return hints.date_hint(value) if "日期" in message else hints.number_hint(value)
    if code == "Y107" and source is not None:
        return f'YAML 把未加引号的{source}读成了数字{value!r}；请写成带引号的 "YYYY-MM"'
    if code == "Y108" and source is not None:
        return f'YAML 把未加引号的{source}读成了整数；请加引号："{source}"'
    if code == "Y108" and isinstance(value, str) and not value.strip():  # `phone: ""`, as new-report leaves it
        return "请填写信息报送人的电话（新生成的月报中联系人是空的，写在英文双引号里）"
    if code == "Y108":
        return hints.phone_hint(value)
    if code == "Y111":
        return hints.control_hint(message)
    if code == "Y107" and isinstance(value, str):
        return hints.chinese_quotes(value.strip())
    return ""


def _unwrap(annotation: Any) -> list[Any]:
    """The model classes an annotation may hold (through Optional, list, dict values)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [m for a in typing.get_args(annotation) for m in _unwrap(a)]
    if origin in (list, tuple):
        return _unwrap(typing.get_args(annotation)[0])
    if origin is dict:
        return _unwrap(typing.get_args(annotation)[1])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def _walk(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    current: type[BaseModel] | None = model
    for part in loc:  # list indexes and dict keys keep the model the field led to
        if current is None:
            return None
        if isinstance(part, str) and part in current.model_fields:
            models = _unwrap(current.model_fields[part].annotation)
            current = models[0] if models else None
    return current


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    target = _walk(model, loc)
    return list(target.model_fields) if target else []


def _title_at(model: type[BaseModel], loc: tuple) -> str:
    parent = _walk(model, loc[:-1])
    if parent and loc and loc[-1] in parent.model_fields:
        return parent.model_fields[loc[-1]].title or ""
    return ""


_SALVAGE_ROUNDS = 8


def salvage(doc: Document, model: type[M], unread: tuple[str, ...] = ()) -> M | None:
    """The document validated again with every value that failed dropped (and every value the loader
    already reported), round after round: what the cross-file checks may still read of a file that
    failed its model, so one run reports every problem.  None when nothing usable is left (the
    document is not a mapping, or a field the model cannot do without failed).

    The dropped values are exactly those that already have a problem, so none is reported twice.
    unread: top-level fields left out from the start (the checks never read them; fewer rounds).
    Works on a copy; the document is left as it was."""
    return salvage_places(doc, model, unread)[0]


def salvage_places(
    doc: Document, model: type[M], unread: tuple[str, ...] = ()
) -> tuple[M | None, dict[str, list[int]]]:
    """salvage(), and for each list at the top of the document (an event's `measures: [3, x, 99]`)
    the index in the file of every item kept ({"measures": [0, 2]}): a check that finds something
    wrong with the kept 99 (item 1 of what is left) names the place it has in the file (item 2)."""
    import copy

    if not isinstance(doc.data, dict):
        return None, {}
    data = copy.deepcopy({key: value for key, value in doc.data.items() if key not in unread})
    places = {key: list(range(len(value))) for key, value in data.items() if isinstance(value, list)}
    drops = [tuple(key) for key in doc.reported]
    for _ in range(_SALVAGE_ROUNDS):
        for loc in sorted(set(drops), key=_deepest_last_first):  # (once each: two errors may share an item)
            if not _drop(data, loc):
                return None, {}
            if len(loc) == 2 and loc[0] in places and isinstance(loc[1], int) and loc[1] < len(places[loc[0]]):
                del places[loc[0]][loc[1]]
            elif len(loc) == 1 and loc[0] in places:
                places[loc[0]] = []
        try:
            return model.model_validate(data), places
        except ValidationError as exc:
            drops = []
            for error in exc.errors(include_url=False):
                loc = _data_loc(error["loc"], data)
                drops.append(loc[:-1] if error["type"] == "missing" else loc)
    return None, {}


def _deepest_last_first(loc: tuple) -> tuple:
    """Drop order: within a list the later index first, so the earlier indices still hold."""
    return tuple((0, -part) if isinstance(part, int) else (1, str(part)) for part in loc)


def _drop(data: Any, loc: tuple) -> bool:
    """Remove the value at loc from its mapping or list; False when loc is the whole document (nothing
    would be left).  A loc that is no longer there (a parent already dropped) is fine."""
    if not loc:
        return False
    node = data
    for part in loc[:-1]:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return True
    last = loc[-1]
    if isinstance(node, dict):
        node.pop(last, None)
    elif isinstance(node, list) and isinstance(last, int) and 0 <= last < len(node):
        del node[last]
    return True
