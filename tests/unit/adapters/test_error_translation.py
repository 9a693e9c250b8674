"""The one translation of database faults (issue 9): each driver or pool failure gets its code."""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from zava_core.adapters.sqlalchemy.errors import translate, translate_errors
from zava_core.domain.errors import (
    AuthorizationError,
    DatabaseError,
    DatabaseUnavailable,
    QueryTimeout,
    ResourceLimitExceeded,
)


def _wrapped(driver: BaseException) -> DBAPIError:
    """The shape SQLAlchemy's asyncpg dialect raises: a DBAPIError whose ``orig`` is the adapted
    error (it copies ``sqlstate``) raised ``from`` the driver's own exception."""

    class Adapted(Exception):
        sqlstate = getattr(driver, "sqlstate", None)

    adapted = Adapted(str(driver))
    adapted.__cause__ = driver
    return DBAPIError("SELECT 1", None, adapted)


@pytest.mark.parametrize(
    ("driver", "expected"),
    [
        (asyncpg.QueryCanceledError("canceling statement due to statement timeout"), QueryTimeout),
        (asyncpg.AdminShutdownError("terminating connection due to administrator command"), DatabaseUnavailable),
        (asyncpg.CannotConnectNowError("the database system is starting up"), DatabaseUnavailable),
        (asyncpg.TooManyConnectionsError("sorry, too many clients already"), DatabaseUnavailable),
        (asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"), DatabaseUnavailable),
        (asyncpg.InternalClientError("cannot switch to state 12"), DatabaseUnavailable),
        (asyncpg.InterfaceError("connection is closed"), DatabaseUnavailable),
        (asyncpg.OutOfMemoryError("out of memory"), ResourceLimitExceeded),
        (asyncpg.InsufficientPrivilegeError("permission denied for table x"), AuthorizationError),
        (asyncpg.UndefinedColumnError('column "nope" does not exist'), DatabaseError),
    ],
)
@pytest.mark.parametrize("wrap", [False, True], ids=["raw", "sqlalchemy"])
def test_driver_errors_get_their_code_raw_or_wrapped(driver: BaseException, expected: type, wrap: bool) -> None:
    translated = translate(_wrapped(driver) if wrap else driver, "SELECT nope")
    assert type(translated) is expected


def test_a_pool_wait_that_runs_out_is_a_resource_limit() -> None:
    translated = translate(PoolTimeout("QueuePool limit of size 1 overflow 0 reached"))
    assert isinstance(translated, ResourceLimitExceeded)
    assert "busy" in translated.message


def test_the_drivers_timeout_is_a_query_timeout_while_running_and_unavailable_while_connecting() -> None:
    assert type(translate(TimeoutError())) is QueryTimeout
    assert type(translate(TimeoutError(), connecting=True)) is DatabaseUnavailable


@pytest.mark.parametrize("error", [ConnectionRefusedError(111, "refused"), ConnectionResetError(), OSError("eof")])
def test_socket_failures_are_unavailable_and_retryable(error: OSError) -> None:
    translated = translate(error)
    assert isinstance(translated, DatabaseUnavailable)
    assert translated.retryable
    assert translated.code == "DATABASE_UNAVAILABLE"


def test_other_exceptions_pass_through_for_the_service_to_report() -> None:
    bug = KeyError("x")
    assert translate(bug) is bug
    with pytest.raises(KeyError), translate_errors():
        raise bug


def test_the_context_manager_chains_the_driver_error() -> None:
    driver = asyncpg.QueryCanceledError("canceling statement due to statement timeout")
    with pytest.raises(QueryTimeout) as caught, translate_errors("SELECT 1"):
        raise driver
    assert caught.value.__cause__ is driver
    assert caught.value.sqlstate == "57014"


def test_position_and_redaction_come_from_the_driver_error() -> None:
    driver = asyncpg.InvalidTextRepresentationError('invalid input syntax for type integer: "secret"')
    driver.position = "8"
    translated = translate(_wrapped(driver), "SELECT 'x'::int")
    assert isinstance(translated, DatabaseError)
    assert "secret" not in translated.message
    assert "(at character 8)" in translated.message
