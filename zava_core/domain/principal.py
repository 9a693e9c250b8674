"""Who is asking: a principal is an authenticated user id, nothing more.

What a principal may see is decided by the database (row-level security over the store access
tables), never by the application: the domain carries the identity, PostgreSQL enforces the scope.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from zava_core.domain.errors import AuthorizationError

__all__ = ["HEAD_OFFICE_USER_ID", "Principal"]

#: The head-office user of the Zava dataset, who may see every store.
HEAD_OFFICE_USER_ID = uuid.UUID("00000000-0000-0000-0000-000000000000")


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated user, identified by the RLS user id that the store access tables use."""

    user_id: uuid.UUID

    @classmethod
    def parse(cls, raw: str | uuid.UUID | None) -> Principal:
        """Build a principal from an authenticated claim, refusing anything that is not a UUID."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            raise AuthorizationError(
                "No authenticated principal.",
                hint="Over HTTP send a bearer token; over stdio set ZAVA_RLS_USER_ID.",
            )
        if isinstance(raw, uuid.UUID):
            return cls(raw)
        try:
            return cls(uuid.UUID(raw.strip()))
        except ValueError:
            raise AuthorizationError(
                "The principal is not a valid UUID.",
                hint="Use the RLS user id of a store manager, regional manager or head office.",
            ) from None

    def __str__(self) -> str:
        return str(self.user_id)
