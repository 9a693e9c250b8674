"""Issue 12: every value a query returns comes back exact.

For each type, Hypothesis draws values, the sales-query path (statement check, unit of work,
bounded executor, value conversion) returns them, and each is compared with PostgreSQL's own text
output (``IntervalStyle = iso_8601``, ``DateStyle = ISO``, ``TimeZone = UTC``) or its own JSON
rendering of the value, read by the owner on a plain connection without Zava's codecs.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import decimal
import ipaddress
import json
import math
from collections.abc import Callable
from typing import Any

import asyncpg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import HEAD_OFFICE, SeededDatabase
from zava_core.adapters.audit import StructlogAuditLog
from zava_core.adapters.sql_policy import PglastStatementPolicy
from zava_core.adapters.sqlalchemy.engine import PoolSettings, create_engine
from zava_core.adapters.sqlalchemy.exposed_columns import EXPOSED_COLUMNS
from zava_core.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
from zava_core.domain.principal import Principal
from zava_core.domain.statements import QueryLimits
from zava_core.services.concurrency import PrincipalLimiter
from zava_core.services.sales_queries import SalesQueryService

pytestmark = pytest.mark.integration

Compare = Callable[[Any, str], bool]


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _same_float(got: Any, text: str) -> bool:
    expected = float(text)
    if math.isnan(expected) or math.isinf(expected):
        return bool(got == text)
    return isinstance(got, (int, float)) and float(got) == expected


def _same_numeric(got: Any, text: str) -> bool:
    if text in ("NaN", "Infinity", "-Infinity"):
        return bool(got == text)
    return decimal.Decimal(str(got)) == decimal.Decimal(text)


def _same_moment(got: Any, text: str) -> bool:
    if text in ("infinity", "-infinity"):
        return bool(got == text)
    return bool(dt.datetime.fromisoformat(got) == dt.datetime.fromisoformat(text))


def _same_time(got: Any, text: str) -> bool:
    return bool(dt.time.fromisoformat(got) == dt.time.fromisoformat(text))


def _same_json(got: Any, text: str) -> bool:
    return bool(got == json.loads(text))


def _same_text(got: Any, text: str) -> bool:
    return bool(got == text)


def _same_bytes(got: Any, text: str) -> bool:
    return base64.b64decode(got) == bytes.fromhex(text.removeprefix("\\x"))


def _same_address(got: Any, text: str) -> bool:
    return ipaddress.ip_interface(got) == ipaddress.ip_interface(text)


def _same_range(got: Any, text: str) -> bool:
    expected = json.loads(text)
    if expected["empty"]:
        return bool(got == {"empty": True})
    bounds = ("[" if expected["li"] else "(") + ("]" if expected["ui"] else ")")
    return bool(got == {"lower": expected["lo"], "upper": expected["up"], "bounds": bounds})


def _same_row(got: Any, text: str) -> bool:
    return bool(got == list(json.loads(text).values()))


_RANGE_ORACLE = (
    "json_build_object('empty', isempty(v), 'lo', lower(v), 'up', upper(v), "
    "'li', lower_inc(v), 'ui', upper_inc(v))::text"
)


def _text(size: int) -> st.SearchStrategy[str]:
    """Text PostgreSQL can hold: no NUL (json's \\u0000 is refused by jsonb)."""
    return st.text(st.characters(blacklist_characters="\x00", blacklist_categories=["Cs"]), max_size=size)


_timestamps = st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30))
_intervals = st.tuples(st.integers(-3000, 3000), st.integers(-20000, 20000), st.integers(-(10**14), 10**14)).map(
    lambda t: f"{t[0]} months {t[1]} days {t[2]} microseconds"
)
_specials = st.sampled_from(["infinity", "-infinity"])

#: type -> (literal strategy, cast, oracle expression over ``v``, comparison)
CASES: dict[str, tuple[st.SearchStrategy[str], str, str, Compare]] = {
    "interval": (_intervals, "interval", "v::text", _same_text),
    "numeric": (
        st.one_of(
            st.decimals(allow_nan=False, allow_infinity=False).map(str),
            st.sampled_from(["NaN", "Infinity", "-Infinity"]),
        ),
        "numeric",
        "v::text",
        _same_numeric,
    ),
    "float8": (
        st.floats().map(repr).map(lambda r: {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}.get(r, r)),
        "float8",
        "v::text",
        _same_float,
    ),
    "float4": (
        st.floats(width=32, allow_nan=False)
        .map(repr)
        .map(lambda r: {"inf": "Infinity", "-inf": "-Infinity"}.get(r, r)),
        "float4",
        "v::text",
        _same_float,
    ),
    "money": (st.integers(-(10**12), 10**12).map(lambda c: f"{c / 100:.2f}"), "money", "v::text", _same_text),
    "date": (
        st.one_of(st.dates().map(str), _specials, st.integers(1, 4000).map(lambda y: f"{y:04d}-03-01 BC")),
        "date",
        "v::text",
        _same_text,
    ),
    "timestamp": (st.one_of(_timestamps.map(str), _specials), "timestamp", "v::text", _same_moment),
    "timestamptz": (st.one_of(_timestamps.map(lambda d: f"{d}+00"), _specials), "timestamptz", "v::text", _same_moment),
    "time": (st.times().map(str), "time", "v::text", _same_time),
    "timetz": (st.times().map(lambda t: f"{t}+02:00"), "timetz", "v::text", _same_time),
    "uuid": (st.uuids().map(str), "uuid", "v::text", _same_text),
    "bytea": (st.binary(max_size=64).map(lambda b: "\\x" + b.hex()), "bytea", "v::text", _same_bytes),
    "inet": (
        st.one_of(st.ip_addresses().map(str), st.ip_addresses(v=4).map(lambda a: f"{a}/24")),
        "inet",
        "v::text",
        _same_address,
    ),
    "cidr": (
        st.ip_addresses(v=4).map(lambda a: str(ipaddress.ip_network(f"{a}/20", strict=False))),
        "cidr",
        "v::text",
        _same_text,
    ),
    "int_matrix": (
        st.integers(1, 3)
        .flatmap(
            lambda n: st.lists(
                st.lists(st.integers(-(2**31), 2**31 - 1), min_size=n, max_size=n), min_size=1, max_size=3
            )
        )
        .map(lambda m: "{" + ",".join("{" + ",".join(map(str, r)) + "}" for r in m) + "}"),
        "int[]",
        "array_to_json(v)::text",
        _same_json,
    ),
    "interval_array": (
        st.lists(_intervals, max_size=4).map(lambda xs: "{" + ",".join(f'"{x}"' for x in xs) + "}"),
        "interval[]",
        "(SELECT coalesce(json_agg(e::text), '[]') FROM unnest(v) e)::text",
        _same_json,
    ),
    "int4range": (
        st.tuples(st.integers(-1000, 1000), st.integers(-1000, 1000), st.sampled_from(["[)", "[]", "()", "(]"])).map(
            lambda t: f"{t[2][0]}{min(t[:2])},{max(t[:2])}{t[2][1]}"
        ),
        "int4range",
        _RANGE_ORACLE,
        _same_range,
    ),
    "daterange": (
        st.tuples(st.dates(), st.dates()).map(lambda t: f"[{min(t)},{max(t)})"),
        "daterange",
        _RANGE_ORACLE,
        _same_range,
    ),
    "int4multirange": (
        st.lists(st.integers(0, 100), max_size=6)
        .map(lambda xs: sorted(set(xs)))
        .map(lambda xs: "{" + ",".join(f"[{a},{b})" for a, b in zip(xs[::2], xs[1::2], strict=False)) + "}"),
        "int4multirange",
        "(SELECT coalesce(json_agg(json_build_object('empty', false, 'lo', lower(r), 'up', upper(r), "
        "'li', lower_inc(r), 'ui', upper_inc(r))), '[]') FROM unnest(v) r)::text",
        lambda got, text: (
            len(got) == len(json.loads(text))
            and all(_same_range(g, json.dumps(e)) for g, e in zip(got, json.loads(text), strict=True))
        ),
    ),
    "jsonb": (
        st.recursive(
            st.none() | st.booleans() | st.integers(-(10**9), 10**9) | _text(8),
            lambda c: st.lists(c, max_size=3) | st.dictionaries(_text(4), c, max_size=3),
            max_leaves=8,
        ).map(json.dumps),
        "jsonb",
        "v::text",
        _same_json,
    ),
    "tsvector": (
        st.lists(st.from_regex(r"\A[a-z]{1,8}\Z"), max_size=5).map(" ".join),
        "tsvector",
        "v::text",
        _same_text,
    ),
    "tsquery": (
        st.lists(st.from_regex(r"\A[a-z]{1,8}\Z"), min_size=1, max_size=4).map(" & ".join),
        "tsquery",
        "v::text",
        _same_text,
    ),
    "vector": (
        st.lists(st.floats(width=32, allow_nan=False, allow_infinity=False), min_size=1, max_size=6).map(
            lambda xs: "[" + ",".join(repr(x) for x in xs) + "]"
        ),
        "vector",
        "v::text",
        _same_json,
    ),
    "bit": (st.from_regex(r"\A[01]{1,40}\Z"), "varbit", "v::text", _same_text),
    "row": (
        st.tuples(st.integers(-100, 100), st.text(alphabet="abcxyz ", max_size=6)).map(lambda t: f"{t[0]}|{t[1]}"),
        "row",
        "to_json(v)::text",
        _same_row,
    ),
}


def _expression(literal: str, cast: str) -> str:
    if cast == "row":  # an anonymous composite built from two typed fields
        number, text = literal.split("|", 1)
        return f"ROW({number}::int, {_quote(text)}::text)"
    return f"{_quote(literal)}::{cast}"


async def _through_tool(db: SeededDatabase, sql: str) -> list[list[Any]]:
    engine = create_engine(db.target.app_url, PoolSettings(min_size=1, max_size=1))
    try:
        service = SalesQueryService(
            SqlAlchemyUnitOfWorkFactory(engine, db.target.context_key, 10_000),
            PglastStatementPolicy(EXPOSED_COLUMNS),
            QueryLimits(max_rows=100),
            PrincipalLimiter(1),
            StructlogAuditLog(),
        )
        result = await service.execute(Principal(HEAD_OFFICE), sql)
        return [list(r) for r in result.rows]
    finally:
        await engine.dispose()


async def _oracle(db: SeededDatabase, sql: str) -> list[str]:
    conn = await asyncpg.connect(db.admin_dsn)
    try:
        await conn.execute("SET IntervalStyle = iso_8601; SET DateStyle = ISO; SET TimeZone = 'UTC'")
        return [r[0] for r in await conn.fetch(sql)]
    finally:
        await conn.close()


@pytest.mark.parametrize("kind", list(CASES))
def test_values_come_back_as_postgresql_has_them(zava_db: SeededDatabase, kind: str) -> None:
    literals, cast, oracle, same = CASES[kind]

    @settings(max_examples=8, deadline=None)
    @given(st.lists(literals, min_size=1, max_size=6))
    def check(values: list[str]) -> None:
        rows = ", ".join(f"({i}, {_expression(v, cast)})" for i, v in enumerate(values))
        source = f"(VALUES {rows}) AS t(i, v)"
        got = asyncio.run(_through_tool(zava_db, f"SELECT v FROM {source} ORDER BY i"))
        expected = asyncio.run(_oracle(zava_db, f"SELECT {oracle} FROM {source} ORDER BY i"))
        assert len(got) == len(expected)
        for (value,), text in zip(got, expected, strict=True):
            assert same(value, text), f"{kind}: got {value!r}, PostgreSQL says {text!r}"

    check()
