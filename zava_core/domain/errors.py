"""Every error the library raises, with the stable code the adapters expose.

Driver and parser errors are translated into these at the adapter boundary; the MCP adapter maps
them to tool errors by ``code``. Messages are written for the caller (often a language model):
they say what was wrong and how to fix it, and never quote data the caller may not see.
"""

from __future__ import annotations

__all__ = [
    "AuthorizationError",
    "ConfigurationError",
    "DatabaseError",
    "DatabaseUnavailable",
    "InternalError",
    "QueryRejected",
    "QueryTimeout",
    "ResourceLimitExceeded",
    "ResultConversionError",
    "ValidationError",
    "ZavaError",
]


class ZavaError(Exception):
    """Base of the library's errors. ``code`` is stable and safe to show to clients."""

    code = "INTERNAL_ERROR"
    #: Whether the same call may succeed if simply repeated a little later (a transient fault).
    retryable = False

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} Hint: {self.hint}" if self.hint else self.message


class ValidationError(ZavaError):
    """The request is malformed: a bad argument or a bad value."""

    code = "VALIDATION_ERROR"


class QueryRejected(ValidationError):
    """The statement check refused a query before it reached the database.

    ``rule`` names the rule that was broken (for example ``single_statement`` or
    ``function_not_allowed``) so that callers and the audit log can group refusals.
    """

    def __init__(self, rule: str, message: str, *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.rule = rule


class AuthorizationError(ZavaError):
    """No principal, or a principal that may not do this."""

    code = "AUTHORIZATION_ERROR"


class DatabaseError(ZavaError):
    """PostgreSQL refused or failed the statement; the message is safe to show."""

    code = "DATABASE_ERROR"

    def __init__(self, message: str, *, hint: str | None = None, sqlstate: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.sqlstate = sqlstate


class DatabaseUnavailable(DatabaseError):
    """The database could not be reached or dropped the connection (restart, failover, network).

    Transient: the library already retried within the call's deadline; repeating the call later
    is safe, since every query only reads."""

    code = "DATABASE_UNAVAILABLE"
    retryable = True


class QueryTimeout(DatabaseError):
    """The statement ran past the server-side time limit and was cancelled."""

    code = "QUERY_TIMEOUT"


class ResourceLimitExceeded(ZavaError):
    """Too many concurrent queries for one principal, or a result too large to return."""

    code = "RESOURCE_LIMIT"


class ConfigurationError(ZavaError):
    """The installation is misconfigured (settings, roles, database state)."""

    code = "CONFIGURATION_ERROR"


class ResultConversionError(ZavaError):
    """The query ran, but a value in its result could not be turned into JSON (for example a
    ``jsonb`` value nested deeper than the converter can follow)."""

    code = "RESULT_CONVERSION_ERROR"


class InternalError(ZavaError):
    """An unexpected failure inside the library: logged with its context on the server, reported
    to the caller only by this code and a neutral message."""

    code = "INTERNAL_ERROR"
