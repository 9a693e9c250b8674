from __future__ import annotations

from typing import Protocol

from zava_core.domain.audit import AuditEvent


class AuditLog(Protocol):
    """Where audit events go. Recording must not fail the call it describes."""

    def record(self, event: AuditEvent) -> None:
        """Write ``event`` to the trail. Returns nothing and never raises: a broken trail is
        the adapter's to report, not the caller's to handle."""
        ...
