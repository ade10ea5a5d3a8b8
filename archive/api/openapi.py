"""OpenAPI descriptions of bodies that routes stream themselves (so FastAPI cannot infer them)."""

from __future__ import annotations

from typing import Any

FILE = {"type": "string", "format": "binary"}


def multipart_body(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    """``openapi_extra`` for a ``multipart/form-data`` body."""
    schema = {"type": "object", "required": required, "properties": properties}
    return {
        "requestBody": {
            "required": True,
            "content": {"multipart/form-data": {"schema": schema}},
        }
    }


def evidence_body(indicator: str) -> dict[str, Any]:
    """An evidence upload: a file or a link for one indicator, maybe a claimed level."""
    return multipart_body(
        {
            "file": FILE,
            "url": {"type": "string", "description": "a video or page link instead of a file"},
            "indicator": {"type": "string", "description": indicator},
            "level": {"type": "integer", "minimum": 0, "maximum": 3},
            "replaces": {"type": "integer", "description": "the evidence id this replaces"},
        },
        ["indicator"],
    )
