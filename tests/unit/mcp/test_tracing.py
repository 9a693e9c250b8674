"""Issue 10: OpenTelemetry traces behind ZAVA_OTEL_EXPORTER, using the SDK's own spans."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from mcp import Client
from mcp.server.mcpserver import MCPServer
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.util._once import Once

from zava_core.domain.errors import ConfigurationError
from zava_mcp_adapter.observability.tracing import SERVICE_NAME, configure_tracing
from zava_mcp_adapter.server import build_server
from zava_mcp_adapter.settings import load_settings
from zava_mcp_adapter.tools.state import AppState


@pytest.fixture
def fresh_tracing() -> Iterator[None]:
    """The API lets a process set its provider once; each test starts from none and ends so."""

    def reset() -> None:
        trace._TRACER_PROVIDER_SET_ONCE = Once()  # the API keeps it private; its own tests reset it so
        trace._TRACER_PROVIDER = None

    reset()
    yield
    reset()


@asynccontextmanager
async def _no_database(_server: MCPServer[AppState]) -> AsyncIterator[Any]:
    yield None  # no state: the tool called needs none


async def _call_a_tool() -> None:
    async with Client(build_server(_no_database)) as client:
        result = await client.call_tool("get_current_utc_date", {})
        assert not result.is_error


def test_tracing_is_off_by_default_and_installs_no_provider(fresh_tracing: None) -> None:
    assert load_settings().otel_exporter == "none"
    assert configure_tracing("none") is None
    assert not isinstance(trace.get_tracer_provider(), TracerProvider)


async def test_with_the_console_exporter_a_tool_call_produces_the_sdks_spans_on_stderr(
    fresh_tracing: None, capsys: pytest.CaptureFixture[str]
) -> None:
    provider = configure_tracing("console")
    assert provider is not None
    assert trace.get_tracer_provider() is provider
    memory = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(memory))

    await _call_a_tool()

    spans = {span.name: span for span in memory.get_finished_spans()}
    call = spans["tools/call get_current_utc_date"]
    assert call.kind == trace.SpanKind.SERVER
    assert call.attributes is not None
    assert call.attributes["gen_ai.tool.name"] == "get_current_utc_date"
    assert call.resource.attributes["service.name"] == SERVICE_NAME
    printed = capsys.readouterr()
    assert "tools/call get_current_utc_date" in printed.err
    assert printed.out == ""  # stdout belongs to the stdio protocol


@pytest.mark.parametrize(
    ("exporter", "missing"),
    [("console", "opentelemetry.sdk.trace"), ("otlp", "opentelemetry.exporter.otlp.proto.http.trace_exporter")],
)
def test_tracing_on_without_the_otel_extra_is_refused_naming_the_extra(
    exporter: Any, missing: str, fresh_tracing: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # None in sys.modules makes the import fail, as it does when the package is not installed.
    monkeypatch.setitem(sys.modules, missing, None)
    with pytest.raises(ConfigurationError) as refused:
        configure_tracing(exporter)
    assert "zava[otel]" in (refused.value.hint or "")
    assert not isinstance(trace.get_tracer_provider(), TracerProvider)
