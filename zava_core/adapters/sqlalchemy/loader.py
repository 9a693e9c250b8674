"""Load a generated ``Dataset`` into PostgreSQL with COPY, in one transaction, at most once.

The load is all or nothing: the seed-state check, the TRUNCATE, every COPY, the sequence fixes
and the seed-state update share one transaction, so a failure halfway leaves the previous data
intact and a concurrent reader never sees a half-loaded database. Rows stream from the dataset
in chunks (binary COPY, ``bulk_copy``), so memory stays flat whatever the scale.

It needs an engine whose role bypasses row-level security (the administrator that ran the
migrations): the tables force RLS, and COPY FROM is refused where policies apply. Choosing that
role is the caller's business. Every statement goes through SQLAlchemy in one
``SqlAlchemyWriteUnitOfWork``, committed once at the end; only the COPY itself runs on the
driver, behind ``bulk_copy``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from zava_core.adapters.sqlalchemy.bulk_copy import copy_records
from zava_core.adapters.sqlalchemy.errors import translate_errors
from zava_core.adapters.sqlalchemy.write_unit_of_work import SqlAlchemyWriteUnitOfWork
from zava_core.dataset import TABLES, Dataset, Progress
from zava_core.domain.errors import ConfigurationError, DatabaseError

__all__ = ["DEFAULT_CHUNK_ROWS", "LoadReport", "load_dataset", "loaded_state"]

DEFAULT_CHUNK_ROWS = 10_000
_NO_SCHEMA_STATES = {"42P01", "3F000"}  # undefined table, undefined schema
_INSUFFICIENT_PRIVILEGE = "42501"
_LOADED_STATE = text("SELECT seed, scale, row_counts::text AS row_counts FROM zava_private.seed_state WHERE singleton")
_RECORD_STATE = text(
    "INSERT INTO zava_private.seed_state (singleton, seed, scale, row_counts, loaded_at)"
    " VALUES (true, :seed, :scale, CAST(:row_counts AS jsonb), now())"
    " ON CONFLICT (singleton) DO UPDATE SET seed = excluded.seed, scale = excluded.scale,"
    " row_counts = excluded.row_counts, loaded_at = excluded.loaded_at"
)


@dataclass(frozen=True, slots=True)
class LoadReport:
    """What a load did. ``skipped`` means the same seed and scale were already loaded."""

    seed: int
    scale: float
    row_counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    skipped: bool = False

    @property
    def total_rows(self) -> int:
        return sum(self.row_counts.values())


async def loaded_state(conn: AsyncConnection) -> LoadReport | None:
    """The dataset recorded in ``zava_private.seed_state``, or None when nothing was loaded."""
    row = (await conn.execute(_LOADED_STATE)).one_or_none()
    if row is None:
        return None
    counts: Mapping[str, int] = json.loads(row.row_counts)
    return LoadReport(seed=row.seed, scale=row.scale, row_counts=dict(counts), skipped=True)


async def load_dataset(
    engine: AsyncEngine,
    dataset: Dataset,
    *,
    force: bool = False,
    progress: Progress | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
) -> LoadReport:
    """Replace the retail data with ``dataset`` unless that very dataset is already loaded.

    ``force`` reloads even then. Loading wipes every retail table, including the product
    description embeddings (their products' text may have changed): embed again afterwards.
    The whole load is one unit of work on one of ``engine``'s connections, committed at the end.
    """
    started = time.perf_counter()
    try:
        with translate_errors():
            async with SqlAlchemyWriteUnitOfWork(engine) as uow:
                conn = uow.connection
                # Two loads at once would interleave their TRUNCATEs; the second waits here.
                await conn.exec_driver_sql("LOCK TABLE zava_private.seed_state IN EXCLUSIVE MODE")
                current = await loaded_state(conn)
                if current is not None and not force and (current.seed, current.scale) == (dataset.seed, dataset.scale):
                    return LoadReport(
                        dataset.seed, dataset.scale, current.row_counts, time.perf_counter() - started, skipped=True
                    )
                counts = await _replace_data(conn, dataset, progress, chunk_rows)
                await conn.execute(
                    _RECORD_STATE,
                    {"seed": dataset.seed, "scale": dataset.scale, "row_counts": json.dumps(counts, sort_keys=True)},
                )
                for spec in TABLES:
                    await conn.exec_driver_sql(f"ANALYZE {spec.qualified_name}")
                await uow.commit()
    except DatabaseError as exc:
        if exc.sqlstate in _NO_SCHEMA_STATES:
            raise ConfigurationError(
                "The database has no Zava schema to load into.", hint="Run `zava db migrate` first."
            ) from exc
        raise
    return LoadReport(dataset.seed, dataset.scale, counts, time.perf_counter() - started)


async def _replace_data(
    conn: AsyncConnection, dataset: Dataset, progress: Progress | None, chunk_rows: int
) -> dict[str, int]:
    expected = dataset.row_counts()
    tables = ", ".join(spec.qualified_name for spec in TABLES)
    # CASCADE also empties the tables that reference these (the description embeddings).
    await conn.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    triggers_off = await _skip_row_triggers(conn)
    written = dict.fromkeys(expected, 0)
    for spec, rows in dataset.chunks(chunk_rows):
        if progress is not None and written[spec.name] == 0:
            progress.start(spec.name, expected[spec.name])
        await copy_records(conn, schema="retail", table=spec.name, columns=spec.columns, records=rows)
        written[spec.name] += len(rows)
        if progress is not None:
            progress.advance(spec.name, len(rows))
    if written != expected:
        # The generator promises exact counts; a mismatch is a bug, and the transaction rolls back.
        raise RuntimeError(f"The dataset wrote {written} rows but announced {expected}.")
    if triggers_off:
        await conn.exec_driver_sql("SET LOCAL session_replication_role = DEFAULT")
        await _verify_foreign_keys(conn)
    for spec in TABLES:
        if spec.id_column is not None:
            # Ids were copied explicitly: move each identity past them so later inserts continue.
            await conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{spec.qualified_name}', '{spec.id_column}'),"
                f" max({spec.id_column})) FROM {spec.qualified_name}"
            )
    return written


async def _skip_row_triggers(conn: AsyncConnection) -> bool:
    """Turn off the foreign-key triggers for this transaction if the role may (a superuser may).

    Checking each of ~600,000 foreign keys row by row costs about half the load; one set-based
    check at the end (``_verify_foreign_keys``) proves the same in a fraction of the time. A role
    that may not change ``session_replication_role`` (a managed server's administrator) simply
    loads with the triggers on.
    """
    try:
        async with conn.begin_nested():  # a savepoint: a refusal must not abort the load
            await conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) == _INSUFFICIENT_PRIVILEGE:
            return False
        raise
    return True


async def _verify_foreign_keys(conn: AsyncConnection) -> None:
    """Fail (and roll back) if any row of the retail schema references a missing row."""
    constraints = await conn.execute(
        text(
            """
        SELECT c.conname,
               c.conrelid::regclass::text AS child,
               c.confrelid::regclass::text AS parent,
               array_agg(format('%I', ca.attname) ORDER BY k.ord) AS child_columns,
               array_agg(format('%I', pa.attname) ORDER BY k.ord) AS parent_columns
        FROM pg_constraint c
        CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(child_att, parent_att, ord)
        JOIN pg_attribute ca ON ca.attrelid = c.conrelid AND ca.attnum = k.child_att
        JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.parent_att
        WHERE c.contype = 'f' AND c.connamespace = 'retail'::regnamespace
        GROUP BY c.conname, c.conrelid, c.confrelid
        """
        )
    )
    for fk in constraints.mappings().all():
        pairs = list(zip(fk["child_columns"], fk["parent_columns"], strict=True))
        not_null = " AND ".join(f"x.{child} IS NOT NULL" for child, _ in pairs)
        match = " AND ".join(f"y.{parent} = x.{child}" for child, parent in pairs)
        orphans = (
            await conn.exec_driver_sql(
                f"SELECT EXISTS (SELECT 1 FROM {fk['child']} x WHERE {not_null}"
                f" AND NOT EXISTS (SELECT 1 FROM {fk['parent']} y WHERE {match}))"
            )
        ).scalar_one()
        if orphans:
            raise RuntimeError(f"The dataset broke foreign key {fk['conname']}: {fk['child']} -> {fk['parent']}.")
