"""The adapter's schema compaction and error mapping, without a server."""

from __future__ import annotations

import jsonschema
import pydantic
import pytest
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError

from zava_core.domain.errors import QueryRejected
from zava_mcp_adapter.surface import compact_schema, input_schema, output_schema
from zava_mcp_adapter.tools.errors import failure_of, render_failure


def test_compaction_drops_titles_and_null_defaults_but_keeps_property_names() -> None:
    schema = {
        "title": "Args",
        "properties": {
            "title": {"title": "Title", "type": "string"},
            "n": {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": None},
        },
    }
    assert compact_schema(schema) == {"properties": {"title": {"type": "string"}, "n": {"type": ["integer", "null"]}}}


def test_an_output_schema_loses_every_default() -> None:
    assert compact_schema({"properties": {"x": {"type": "array", "default": []}}}, output=True) == {
        "properties": {"x": {"type": "array"}}
    }


def test_an_output_schema_admits_the_error_shape_without_an_error_branch() -> None:
    table = {"properties": {"rows": {"items": {"type": "array"}, "type": "array"}}, "required": ["rows"]}
    schema = {
        "properties": {"a": {"$ref": "#/$defs/T"}, "b": {"$ref": "#/$defs/T"}, "c": {"$ref": "#/$defs/U"}},
        "required": ["a", "b", "c"],
        "$defs": {"T": table, "U": {"properties": {"n": {"type": "integer"}}, "type": "object"}},
        "type": "object",
    }
    published = output_schema(schema)
    assert published == {
        "type": "object",
        "properties": {
            "a": {"$ref": "#/$defs/T"},
            "b": {"$ref": "#/$defs/T"},
            "c": {"properties": {"n": {"type": "integer"}}, "type": "object"},  # used once: inlined
        },
        "$defs": {"T": {"properties": {"rows": {"items": {"type": "array"}}}}},
    }
    jsonschema.validate({"code": "VALIDATION_ERROR", "message": "no."}, published)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"a": {"rows": [1]}}, published)  # still typed


def test_a_property_named_like_a_keyword_survives() -> None:
    schema = {"properties": {"required": {"type": "string"}}, "required": ["required"]}
    assert output_schema(schema)["properties"] == {"required": {"type": "string"}}


def test_an_input_schema_leaves_length_caps_to_the_server() -> None:
    schema = {"properties": {"q": {"maxLength": 10, "minLength": 1, "type": "string"}}, "type": "object"}
    assert input_schema(schema) == {"properties": {"q": {"minLength": 1, "type": "string"}}, "type": "object"}


class _Args(pydantic.BaseModel):
    limit: int = pydantic.Field(le=10)


def test_a_pydantic_failure_becomes_a_validation_error_naming_field_and_bound() -> None:
    try:
        _Args(limit=11)
    except pydantic.ValidationError as exc:
        wrapped = ToolError("Error executing tool t: ...")
        wrapped.__cause__ = exc
        failure = failure_of(wrapped, "t", ["t"], {"properties": {"limit": {"maximum": 10, "type": "integer"}}})
    assert (failure.code, failure.field, failure.rule) == ("VALIDATION_ERROR", "limit", "invalid_argument")
    assert "less than or equal to 10" in failure.message
    assert failure.hint == "limit accepts {'maximum': 10, 'type': 'integer'}."


def test_a_refusal_is_rendered_code_first_with_its_rule() -> None:
    wrapped = UnexpectedToolError("Error executing tool q")
    wrapped.__cause__ = QueryRejected("not_read_only", "No writes.", hint="Send a SELECT.")
    failure = failure_of(wrapped, "q", ["q"], None)
    assert render_failure(failure) == "VALIDATION_ERROR [not_read_only]: No writes. Hint: Send a SELECT."
