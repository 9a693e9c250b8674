"""One audit event per call, whatever way the call ends: the helper both query paths share.

``audited`` wraps a call's work. A result, a coded error, a cancellation or a crash each leave
exactly one event; a crash (any exception that is not a ``ZavaError``) is logged here with its
context and stack, and reaches the caller only as ``InternalError`` with a neutral message.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from zava_core.domain.audit import AuditEvent
from zava_core.domain.errors import InternalError, QueryRejected, ZavaError
from zava_core.domain.principal import Principal
from zava_core.domain.results import QueryResult
from zava_core.ports.audit import AuditLog

__all__ = ["AuditedCall", "audited"]

logger = logging.getLogger("zava.audit")

INTERNAL_MESSAGE = "The query failed unexpectedly; the failure was logged on the server."


@dataclass(slots=True)
class AuditedCall:
    """What the work inside ``audited`` learns as it goes. ``handed_over`` means another audited
    path answers the call (and records its event), so this one records none."""

    fingerprint: str | None = None
    result: QueryResult | None = None
    outcome: str = "ok"
    handed_over: bool = False


@asynccontextmanager
async def audited(audit: AuditLog, principal: Principal, tool: str) -> AsyncIterator[AuditedCall]:
    """Record the call's one event when the block ends (see the module docstring)."""
    call = AuditedCall()
    started = time.perf_counter()

    def record(outcome: str, code: str | None = None, rule: str | None = None) -> None:
        result = call.result
        audit.record(
            AuditEvent(
                principal=str(principal),
                tool=tool,
                outcome=outcome,
                fingerprint=call.fingerprint,
                duration_ms=(time.perf_counter() - started) * 1000,
                row_count=result.row_count if result is not None else 0,
                truncated=result.truncated if result is not None else False,
                code=code,
                rule=rule,
            )
        )

    try:
        yield call
    except ZavaError as exc:
        if isinstance(exc, QueryRejected):
            record("refused", exc.code, exc.rule)
        else:
            record("error", exc.code)
        raise
    except asyncio.CancelledError:
        record("cancelled")
        raise
    except Exception as exc:
        logger.exception(
            "%s failed unexpectedly for %s (statement %s)", tool, principal, call.fingerprint or "not yet checked"
        )
        record("error", InternalError.code)
        raise InternalError(INTERNAL_MESSAGE, hint="Retry once; if it fails again, report it.") from exc
    if not call.handed_over:
        record(call.outcome)
