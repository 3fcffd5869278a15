"""JSON Schema (draft 2020-12) of the file kinds, generated from the pydantic models.

Committed under schemas/ so editors (VS Code + the YAML extension) complete and check
report files; tests/test_schema.py fails when the committed files drift from the models.
Rules across files (unit folders, cumulative figures, who reports which measure) are
not expressible here: `yejin validate` checks them.
"""

from __future__ import annotations

import json
from typing import Any

KINDS = ("report", "tasks", "event")
DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _model(kind: str):
    from yejin.campaign import models

    return {"report": models.Report, "tasks": models.TasksFile, "event": models.Event}[kind]


def _describe(node: Any) -> None:
    """Every property gets a Chinese description (its title when nothing more is said)."""
    if isinstance(node, dict):
        for prop in node.get("properties", {}).values():
            if "title" in prop and "description" not in prop:
                prop["description"] = prop["title"]
        for value in node.values():
            _describe(value)
    elif isinstance(node, list):
        for value in node:
            _describe(value)


def build_schema(kind: str) -> dict:
    schema = _model(kind).model_json_schema()
    _describe(schema)
    return {"$schema": DRAFT, **schema}


def render_schema(kind: str) -> str:
    return json.dumps(build_schema(kind), ensure_ascii=False, indent=2) + "\n"


def schema_file_name(kind: str) -> str:
    return f"{kind}.schema.json"
