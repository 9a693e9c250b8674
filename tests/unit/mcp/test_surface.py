"""The adapter's schema compaction and error mapping, without a server."""

from __future__ import annotations

import pydantic
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError

from zava_core.domain.errors import QueryRejected
from zava_mcp_adapter.surface import compact_schema
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
