"""OpenTelemetry traces, off unless ``ZAVA_OTEL_EXPORTER`` asks: the MCP SDK's own spans.

The SDK already opens a span per request it serves (``tools/call execute_sales_query`` with the
tool's name, the JSON-RPC id and any W3C trace context the client sent in ``_meta``) through the
OpenTelemetry API; the API drops them until a process installs a ``TracerProvider``. This module
installs one, once, at process start. The SDK packages are the ``otel`` extra, imported only here
and only when tracing is on.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Literal

from zava_core import __version__
from zava_core.domain.errors import ConfigurationError

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

__all__ = ["SERVICE_NAME", "configure_tracing"]

SERVICE_NAME = "zava"
_INSTALL_HINT = (
    "Install the tracing packages: pip install 'zava[otel]' (opentelemetry-sdk, "
    "opentelemetry-exporter-otlp-proto-http), or set ZAVA_OTEL_EXPORTER=none."
)

Exporter = Literal["none", "console", "otlp"]


def configure_tracing(exporter: Exporter) -> TracerProvider | None:
    """Install the global tracer provider for ``exporter``; None (and nothing installed) for "none".

    ``console`` writes one JSON span per line to stderr (stdout is the stdio protocol's);
    ``otlp`` sends batches over HTTP to ``OTEL_EXPORTER_OTLP_ENDPOINT`` (the exporter reads the
    standard ``OTEL_EXPORTER_OTLP_*`` variables itself).
    """
    if exporter == "none":
        return None
    try:
        from opentelemetry import trace  # noqa: PLC0415 - only when tracing is on
        from opentelemetry.sdk.resources import Resource  # noqa: PLC0415
        from opentelemetry.sdk.trace import SpanProcessor, TracerProvider  # noqa: PLC0415
        from opentelemetry.sdk.trace.export import (  # noqa: PLC0415
            BatchSpanProcessor,
            ConsoleSpanExporter,
            SimpleSpanProcessor,
        )
    except ImportError as exc:
        raise ConfigurationError(f"ZAVA_OTEL_EXPORTER={exporter} needs the otel extra.", hint=_INSTALL_HINT) from exc
    processor: SpanProcessor
    if exporter == "console":
        # ConsoleSpanExporter's default stream is stdout, which would corrupt the stdio protocol.
        console = ConsoleSpanExporter(out=sys.stderr, formatter=lambda span: span.to_json(indent=None) + "\n")
        processor = SimpleSpanProcessor(console)
    else:
        try:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import (  # noqa: PLC0415
                OTLPSpanExporter,
            )
        except ImportError as exc:
            raise ConfigurationError("ZAVA_OTEL_EXPORTER=otlp needs the otel extra.", hint=_INSTALL_HINT) from exc
        processor = BatchSpanProcessor(OTLPSpanExporter())
    provider = TracerProvider(resource=Resource.create({"service.name": SERVICE_NAME, "service.version": __version__}))
    provider.add_span_processor(processor)
    trace.set_tracer_provider(provider)
    return provider
