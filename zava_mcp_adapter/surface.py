"""``ZavaServer``: the SDK's ``MCPServer`` with Zava's error mapping and compact tool listing.

Two hooks, both on public methods of ``MCPServer``: ``call_tool`` turns every failure the SDK
raises (bad arguments, unknown tool, a domain error, a crash) into one structured tool error;
``list_tools`` drops the generated ``title`` keys (they repeat the property names) and lets each
output schema admit the error shape, since clients validate an error's structured content too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from mcp.server.lowlevel.helper_types import ReadResourceContents
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ToolError
from mcp_types import CallToolResult, InputRequiredResult, TextContent, ToolAnnotations
from mcp_types import Tool as MCPTool
from pydantic import AnyUrl, BaseModel

from zava_core.domain.errors import ZavaError
from zava_mcp_adapter.disconnect import until_client_gone
from zava_mcp_adapter.resources import READERS
from zava_mcp_adapter.tools.errors import error_result, failure_of, failure_of_error, render_failure
from zava_mcp_adapter.tools.state import state_of

__all__ = ["FAILURE_BRANCH", "READ_ONLY", "ZavaServer", "compact_schema", "structured"]

#: Every Zava tool reads, under the caller's row-level security, from one closed database.
#: ``destructiveHint`` and ``idempotentHint`` are left out: the specification gives them meaning
#: only when ``readOnlyHint`` is false, and they cost ~45 characters a tool in every ``tools/list``.
READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=False)

#: An error's structured content (``Failure`` in schemas.py). Clients validate it against the
#: output schema too, so each schema admits it; the full shape is in docs/tools.md, and listing it
#: in every tool would cost ~200 characters a tool in every ``tools/list``.
FAILURE_BRANCH: dict[str, Any] = {"required": ["code", "message"]}

# Keys that say nothing a model or a validator needs in a published schema.
_NOISE = ("title", "additionalProperties")
_INPUT_NOISE = frozenset({"maxLength"})
_OUTPUT_NOISE = frozenset({"required"})


def compact_schema(node: Any, *, output: bool = False) -> Any:
    """The schema without generated noise: titles, ``additionalProperties: false``, null
    defaults (every default, in an output), ``items: {}`` (any item), and ``anyOf [X, null]`` written as
    ``type: [X, "null"]``. Property names are kept whatever they are."""
    if isinstance(node, list):
        return [compact_schema(n, output=output) for n in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _NOISE and not isinstance(value, dict):
            continue
        if key == "default" and (output or value is None):
            continue
        if key == "items" and value == {}:
            continue  # any item is what no ``items`` means
        if key in ("properties", "$defs"):
            out[key] = {name: compact_schema(sub, output=output) for name, sub in value.items()}
        else:
            out[key] = compact_schema(value, output=output)
    options = out.get("anyOf")
    if isinstance(options, list) and len(options) == 2 and {"type": "null"} in options:
        other = next(o for o in options if o != {"type": "null"})
        if isinstance(other.get("type"), str):
            del out["anyOf"]
            out |= other | {"type": [other["type"], "null"]}
    return out


def _inline_single_uses(schema: dict[str, Any]) -> dict[str, Any]:
    """``$defs`` used once, written in place: a reference and its definition cost more than the
    definition alone. Those used more than once stay shared."""
    defs: dict[str, Any] = schema.get("$defs", {})
    uses = json.dumps(schema)
    single = {name for name in defs if uses.count(f'"#/$defs/{name}"') == 1}

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(n) for n in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref", "")
        if ref.startswith("#/$defs/") and ref.removeprefix("#/$defs/") in single:
            return walk(defs[ref.removeprefix("#/$defs/")])
        return {k: walk(v) for k, v in node.items() if not (k == "$defs" and node is schema)}

    out: dict[str, Any] = walk(schema)
    if kept := {name: walk(d) for name, d in defs.items() if name not in single}:
        out["$defs"] = kept
    return out


def _without(node: Any, keys: frozenset[str]) -> Any:
    """``node`` without the keywords in ``keys``, at every level but inside ``properties`` maps."""
    if isinstance(node, list):
        return [_without(n, keys) for n in node]
    if not isinstance(node, dict):
        return node
    return {
        k: ({n: _without(v, keys) for n, v in v.items()} if k in ("properties", "$defs") else _without(v, keys))
        for k, v in node.items()
        if k not in keys
    }


def _items_say_array(node: Any) -> Any:
    """``{"type": "array", "items": X}`` written ``{"items": X}``: ``items`` already says it."""
    if isinstance(node, list):
        return [_items_say_array(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _items_say_array(v) for k, v in node.items()}
    if "items" in out and out.get("type") == "array":
        del out["type"]
    return out


def output_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The published output schema: every property typed, none ``required``.

    Without ``required`` an error's ``{code, message, ...}`` is valid too (no listed property is
    missing, unlisted ones are allowed), so no tool needs an ``anyOf`` error branch."""
    compact = _without(_inline_single_uses(compact_schema(schema, output=True)), _OUTPUT_NOISE)
    return {"type": "object"} | dict(_items_say_array(compact))


def input_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The published input schema: types, ranges and defaults. Length caps are left to the
    server, whose error names the bound (``tools/errors.py``)."""
    return dict(_without(compact_schema(schema), _INPUT_NOISE))


def structured(model: BaseModel, text: str) -> CallToolResult:
    """A result whose structured content is ``model`` and whose text is ``text`` (its compact
    rendering for clients that read only text): the data once each, never the same JSON twice."""
    return CallToolResult(
        content=[TextContent(type="text", text=text)],
        # Empty lists and maps say nothing; leaving them out is what keeps schema calls cheap.
        structured_content=model.model_dump(mode="json", exclude_defaults=True),
    )


class ZavaServer(MCPServer[Any]):
    """The Zava MCP server; see the module docstring for what it changes."""

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[Any, Any] | None = None
    ) -> CallToolResult | InputRequiredResult:
        try:
            # A tool's work ends with its HTTP client: an abandoned query stops in PostgreSQL.
            return await until_client_gone(super().call_tool(name, arguments, context))
        except ToolError as exc:
            tool = self._tool_manager.get_tool(name)
            known = [t.name for t in self._tool_manager.list_tools()]
            return error_result(failure_of(exc, name, known, tool.parameters if tool else None))

    async def read_resource(
        self, uri: AnyUrl | str, context: Context[Any, Any] | None = None
    ) -> Iterable[ReadResourceContents] | InputRequiredResult:
        """The per-principal resources (``resources.READERS``) are read with the caller's state;
        others the SDK's way."""
        reader = READERS.get(str(uri))
        if reader is None or context is None:
            return await super().read_resource(uri, context)
        try:
            text = await reader[2](state_of(context))
        except ZavaError as exc:
            raise ResourceError(render_failure(failure_of_error(exc))) from exc
        mime = "application/json" if text.startswith("{") else "text/plain"
        return [ReadResourceContents(content=text, mime_type=mime)]

    async def list_tools(self) -> list[MCPTool]:
        tools = await super().list_tools()
        return [
            t.model_copy(
                update={
                    "input_schema": input_schema(t.input_schema),
                    "output_schema": output_schema(t.output_schema) if t.output_schema else None,
                }
            )
            for t in tools
        ]
