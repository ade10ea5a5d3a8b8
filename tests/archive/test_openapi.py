"""The OpenAPI document describes every JSON response, so API clients know what they get."""

from __future__ import annotations

from typing import Any


def _vague(schema: dict[str, Any]) -> bool:
    """An object without properties, or a list of them: says nothing of the fields."""
    if not schema or "$ref" in schema:
        return not schema
    if schema.get("type") == "array":
        return _vague(schema.get("items", {}))
    if "anyOf" in schema:
        return all(_vague(part) for part in schema["anyOf"])
    return schema.get("type") == "object" and "properties" not in schema


def test_every_json_response_has_a_described_schema(app):
    spec = app.openapi()
    vague = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for code in ("200", "201"):
                content = operation["responses"].get(code, {}).get("content", {})
                if "application/json" in content and _vague(content["application/json"]["schema"]):
                    vague.append(f"{method.upper()} {path}")
    assert vague == []
    checklist = spec["components"]["schemas"]["IndicatorRow"]["properties"]
    assert {"status", "gain_if_fixed", "findings"} <= set(checklist)


def test_the_detector_notices_a_vague_schema():
    assert _vague({"type": "object", "additionalProperties": True})
    assert _vague({"type": "array", "items": {"type": "object"}})
    assert not _vague({"$ref": "#/components/schemas/ChecklistResult"})
