"""The database wall: what ``zava_app`` may execute and read, derived from the statement policy.

The statement check (``sql_policy``) is the first wall; this module builds the second one from
the *same* allow-list, so that a gap in the parser becomes a permission error, never a leak.
PostgreSQL grants ``EXECUTE`` on every built-in function and ``SELECT`` on every catalog view to
PUBLIC. In the Zava database (``pg_proc`` and the catalog ACLs are per database) ``reconcile``:

* revokes ``EXECUTE`` from PUBLIC on every function of ``pg_catalog``, ``information_schema`` and
  the extension schema, and ``SELECT`` on every relation of the first two, recording what it
  took away so that a downgrade gives back exactly that;
* grants ``zava_app`` exactly: the policy's function names (all overloads), the functions behind
  operators and casts over types the policy does not refuse (PostgreSQL checks ``EXECUTE`` on
  both), and the small lists below for the driver and Zava's own SQL; and ``SELECT`` on the few
  catalogs the driver's type introspection and the schema tool read (``pg_class`` by column, so
  ``reltuples`` and ``relpages`` stay hidden);
* grants ``zava_security`` what the SECURITY DEFINER functions in ``zava_private`` call, and
  gives ``zava_owner`` back everything PUBLIC lost (materialized-view refreshes and index builds
  run as the owner);
* revokes whatever a role holds beyond that, so narrowing the list in code narrows the database.

It runs in migration 0005 (the schema history says when the wall appeared) and again on every
``zava db migrate`` (so widening or narrowing the list in code reaches the database without a
new migration, and functions that a PostgreSQL or pgvector upgrade adds lose PUBLIC at once).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from zava_core.adapters.sql_policy.functions import (
    ALLOWED_FUNCTIONS,
    BUILTIN_SCHEMA,
    EXTENSION_SCHEMA,
    OPERATOR_SCHEMAS,
    WALL_WITHHELD_TYPES,
)

__all__ = [
    "APP_CATALOG_RELATIONS",
    "APP_ROLE",
    "CANARY_FUNCTIONS",
    "CANARY_RELATIONS",
    "DEFINER_FUNCTIONS",
    "SERVER_FUNCTIONS",
    "WallReport",
    "find_gaps",
    "probe_as_app",
    "reconcile",
    "remove",
]

APP_ROLE = "zava_app"
DEFINER_ROLE = "zava_security"
OWNER_ROLE = "zava_owner"
WALLED_SCHEMAS = (BUILTIN_SCHEMA, "information_schema", EXTENSION_SCHEMA)
CATALOG_SCHEMAS = (BUILTIN_SCHEMA, "information_schema")

#: The server's own SQL and the driver, beyond what the policy lets the model call. Each name is
#: harmless for the model too, but the policy stays the model's list and this one the server's.
SERVER_FUNCTIONS = frozenset(
    {
        # SQLAlchemy's asyncpg dialect when it first connects.
        "version",
        "current_schema",
        # engine.verify_least_privilege and the start-up probe (probe_as_app).
        "current_user",
        "pg_has_role",
        "has_table_privilege",
        "has_function_privilege",
        "has_column_privilege",
        # catalog.SqlSchemaCatalog (the schema tool).
        "obj_description",
        "col_description",
        "format_type",
        # embedding_store.read_embedding_status (the start-up check of the stored vectors).
        "to_regclass",
        # products.SqlProductSearch (keyword search).
        "to_tsvector",
        "tsvector_to_array",
        # bounded_sql: the wrapper that caps a result's rows and bytes inside PostgreSQL.
        "pg_column_size",
    }
)

#: What the SECURITY DEFINER functions of ``zava_private`` call, as their owner ``zava_security``.
DEFINER_FUNCTIONS = frozenset(
    {
        "set_config",
        "current_setting",
        "gen_random_uuid",
        "sha256",
        "convert_to",
        "encode",
        "extract",
        "transaction_timestamp",
    }
)

#: Catalogs asyncpg's type introspection and the schema tool read (whole tables).
APP_CATALOG_RELATIONS = ("pg_type", "pg_namespace", "pg_range", "pg_attribute", "pg_constraint", "pg_description")
#: ``pg_class`` columns they need; the statistics (reltuples, relpages, relallvisible) stay hidden.
APP_PG_CLASS_COLUMNS = ("oid", "relname", "relnamespace", "relkind", "relowner", "reltype", "relrowsecurity")
#: engine.verify_least_privilege reads the caller's own role attributes.
APP_ROLE_VIEWS = ("pg_roles",)

#: Functions the wall must refuse to zava_app: each one was part of a real attack. A start-up
#: probe and ``find_gaps`` report any that are still executable (a managed server without a
#: superuser cannot revoke from PUBLIC on pg_catalog).
CANARY_FUNCTIONS = (
    "pg_catalog.current_setting(text)",
    "pg_catalog.set_config(text, text, boolean)",
    "pg_catalog.pg_stat_get_live_tuples(oid)",
    "pg_catalog.pg_stat_get_backend_activity(integer)",
    "pg_catalog.pg_stat_get_xact_tuples_returned(oid)",
    "pg_catalog.pg_relation_size(regclass)",
    "pg_catalog.ts_stat(text)",
    "pg_catalog.ts_rewrite(tsquery, text)",
    "pg_catalog.query_to_xml(text, boolean, boolean, text)",
    "pg_catalog.setseed(double precision)",
    "pg_catalog.factorial(bigint)",
)
#: Relations showing other sessions, settings or all-store statistics.
CANARY_RELATIONS = (
    "pg_catalog.pg_stat_activity",
    "pg_catalog.pg_stats",
    "pg_catalog.pg_settings",
    "pg_catalog.pg_locks",
    "pg_catalog.pg_stat_user_tables",
)
#: (relation, column) pairs that must stay unreadable although the relation is partly granted.
CANARY_COLUMNS = (("pg_catalog.pg_class", "reltuples"), ("pg_catalog.pg_class", "relpages"))

_REFUSED_TYPE_NAMES = sorted(WALL_WITHHELD_TYPES | {"_" + t for t in WALL_WITHHELD_TYPES})

_RECORD = """
CREATE TABLE IF NOT EXISTS zava_private.wall_revoked_from_public (
    catalog regclass NOT NULL, objid oid NOT NULL, PRIMARY KEY (catalog, objid))
"""

# Functions behind operators, casts and text conversions (``uuid::text`` runs uuid_out) over
# types the policy does not refuse: PostgreSQL checks EXECUTE on each when an expression uses it.
# So it does for an operator class's support functions in some plans: ``x = ANY(array)`` over a
# long array runs as a hashed lookup that calls the type's hash function (``hashint4``), so the
# operator classes' support functions (``pg_amproc``) over those types are granted too. The wire
# protocol's send/receive functions are not checked.
_SUPPORT = """
SELECT o.oprcode FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace
WHERE n.nspname = ANY(:operator_schemas) AND o.oprcode <> 0 AND NOT EXISTS (
    SELECT FROM pg_catalog.pg_type t
    WHERE t.oid IN (o.oprleft, o.oprright, o.oprresult) AND t.typname = ANY(:refused))
UNION
SELECT c.castfunc FROM pg_catalog.pg_cast c
WHERE c.castfunc <> 0 AND NOT EXISTS (
    SELECT FROM pg_catalog.pg_type t
    WHERE t.oid IN (c.castsource, c.casttarget) AND t.typname = ANY(:refused))
UNION
SELECT f.f FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace,
    unnest(ARRAY[t.typinput, t.typoutput]) AS f(f)
WHERE n.nspname = ANY(:operator_schemas) AND f.f <> 0 AND NOT t.typname = ANY(:refused)
UNION
SELECT a.amproc::oid FROM pg_catalog.pg_amproc a WHERE NOT EXISTS (
    SELECT FROM pg_catalog.pg_type t
    WHERE t.oid IN (a.amproclefttype, a.amprocrighttype) AND t.typname = ANY(:refused))
"""

_FUNCTIONS = """
SELECT p.oid, p.oid::pg_catalog.regprocedure::text AS ident
FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = ANY(:schemas)
"""

_WANTED = _FUNCTIONS + " AND (p.proname = ANY(:names) OR p.oid IN (" + _SUPPORT + "))"

_HELD_BY = (
    _FUNCTIONS + " AND EXISTS (SELECT FROM pg_catalog.aclexplode(p.proacl) a"
    " WHERE a.grantee = CAST(:role AS pg_catalog.regrole) AND a.privilege_type = 'EXECUTE')"
)

_PUBLIC_FUNCTIONS = (
    _FUNCTIONS + " AND EXISTS (SELECT FROM pg_catalog.aclexplode("
    "coalesce(p.proacl, pg_catalog.acldefault('f', p.proowner))) a"
    " WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE')"
)

_PUBLIC_RELATIONS = """
SELECT c.oid, c.oid::pg_catalog.regclass::text AS ident
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY(:schemas) AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
  AND EXISTS (SELECT FROM pg_catalog.aclexplode(coalesce(c.relacl, pg_catalog.acldefault('r', c.relowner))) a
              WHERE a.grantee = 0 AND a.privilege_type = 'SELECT')
"""

_APP_RELATIONS_HELD = """
SELECT c.oid::pg_catalog.regclass::text AS ident
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY(:schemas) AND EXISTS (SELECT FROM pg_catalog.aclexplode(c.relacl) a
      WHERE a.grantee = CAST(:role AS pg_catalog.regrole))
"""


@dataclass
class WallReport:
    """What one reconciliation changed, and what it could not (the database's owner must)."""

    revoked_from_public: int = 0
    granted: dict[str, int] = field(default_factory=dict)
    revoked: dict[str, int] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)


def _idents(connection: Connection, sql: str, **params: object) -> dict[int, str]:
    rows = connection.execute(text(sql), {"schemas": list(WALLED_SCHEMAS), **params})
    return {int(r.oid): str(r.ident) for r in rows}


def _apply(connection: Connection, report: WallReport, statement: str, objects: Iterable[str]) -> int:
    """Run ``statement`` (with ``{}`` for the object list) in one go; a savepoint keeps a refusal
    (no owner rights on a managed server) from aborting the migration."""
    names = sorted(objects)
    if not names:
        return 0
    try:
        with connection.begin_nested():
            connection.execute(text(statement.format(", ".join(names))))
    except DBAPIError as exc:
        report.failed.append(f"{statement.format('…')}: {exc.orig}")
        return 0
    return len(names)


def _reconcile_functions(connection: Connection, report: WallReport, role: str, wanted: dict[int, str]) -> None:
    held = _idents(connection, _HELD_BY, role=role)
    report.granted[role] = _apply(
        connection, report, f"GRANT EXECUTE ON FUNCTION {{}} TO {role}", (wanted[o] for o in wanted.keys() - held)
    )
    report.revoked[role] = _apply(
        connection, report, f"REVOKE EXECUTE ON FUNCTION {{}} FROM {role}", (held[o] for o in held.keys() - wanted)
    )


def reconcile(connection: Connection) -> WallReport:
    """Bring the database's privileges to what the one list says (idempotent; needs the owner of
    the catalogs, i.e. a superuser, for the PUBLIC part). Returns what changed and any gap."""
    report = WallReport()
    connection.execute(text(_RECORD))
    connection.execute(text(f"ALTER TABLE zava_private.wall_revoked_from_public OWNER TO {DEFINER_ROLE}"))
    names = sorted(ALLOWED_FUNCTIONS | SERVER_FUNCTIONS)
    support = {"refused": _REFUSED_TYPE_NAMES, "operator_schemas": sorted(OPERATOR_SCHEMAS)}
    wanted_app = _idents(connection, _WANTED, names=names, **support)
    wanted_definer = _idents(connection, _WANTED, names=sorted(DEFINER_FUNCTIONS), **support)

    public_functions = _idents(connection, _PUBLIC_FUNCTIONS)
    public_relations = {
        int(r.oid): str(r.ident)
        for r in connection.execute(text(_PUBLIC_RELATIONS), {"schemas": list(CATALOG_SCHEMAS)})
    }
    for catalog, objects in (("pg_proc", public_functions), ("pg_class", public_relations)):
        if objects:
            connection.execute(
                text(
                    "INSERT INTO zava_private.wall_revoked_from_public (catalog, objid) "
                    "SELECT CAST(:catalog AS regclass), unnest(CAST(:oids AS oid[])) ON CONFLICT DO NOTHING"
                ),
                {"catalog": f"pg_catalog.{catalog}", "oids": list(objects)},
            )
    report.revoked_from_public = _apply(
        connection, report, "REVOKE EXECUTE ON FUNCTION {} FROM PUBLIC", public_functions.values()
    ) + _apply(connection, report, "REVOKE SELECT ON {} FROM PUBLIC", public_relations.values())

    _reconcile_functions(connection, report, APP_ROLE, wanted_app)
    _reconcile_functions(connection, report, DEFINER_ROLE, wanted_definer)
    lost = connection.execute(
        text(
            "SELECT r.objid AS oid, r.objid::pg_catalog.regprocedure::text AS ident"
            " FROM zava_private.wall_revoked_from_public r JOIN pg_catalog.pg_proc p ON p.oid = r.objid"
            " WHERE r.catalog = 'pg_catalog.pg_proc'::regclass"
        )
    )
    _reconcile_functions(connection, report, OWNER_ROLE, {int(r.oid): str(r.ident) for r in lost})
    _reconcile_app_relations(connection, report)
    report.gaps = find_gaps(connection, APP_ROLE)
    return report


def _reconcile_app_relations(connection: Connection, report: WallReport) -> None:
    held = {
        str(r.ident)
        for r in connection.execute(text(_APP_RELATIONS_HELD), {"schemas": list(CATALOG_SCHEMAS), "role": APP_ROLE})
    }
    # Column grants (pg_class) live in pg_attribute, not relacl; revoking on the table drops them
    # too, and re-granting is cheap, so the relation grants are rebuilt rather than diffed.
    _apply(connection, report, f"REVOKE ALL ON {{}} FROM {APP_ROLE}", held | {"pg_catalog.pg_class"})
    wanted = [f"pg_catalog.{r}" for r in APP_CATALOG_RELATIONS + APP_ROLE_VIEWS]
    _apply(connection, report, f"GRANT SELECT ON {{}} TO {APP_ROLE}", wanted)
    columns = ", ".join(APP_PG_CLASS_COLUMNS)
    _apply(connection, report, f"GRANT SELECT ({columns}) ON {{}} TO {APP_ROLE}", ["pg_catalog.pg_class"])


def remove(connection: Connection) -> None:
    """Undo the wall: give PUBLIC back exactly what ``reconcile`` recorded taking, and take from
    the three Zava roles every grant on the walled schemas."""
    exists = connection.execute(text("SELECT to_regclass('zava_private.wall_revoked_from_public') IS NOT NULL"))
    report = WallReport()
    if exists.scalar_one():
        rows = connection.execute(
            text(
                "SELECT r.objid::pg_catalog.regprocedure::text AS ident FROM zava_private.wall_revoked_from_public r"
                " JOIN pg_catalog.pg_proc p ON p.oid = r.objid WHERE r.catalog = 'pg_catalog.pg_proc'::regclass"
            )
        )
        _apply(connection, report, "GRANT EXECUTE ON FUNCTION {} TO PUBLIC", [str(r.ident) for r in rows])
        rows = connection.execute(
            text(
                "SELECT r.objid::pg_catalog.regclass::text AS ident FROM zava_private.wall_revoked_from_public r"
                " JOIN pg_catalog.pg_class c ON c.oid = r.objid WHERE r.catalog = 'pg_catalog.pg_class'::regclass"
            )
        )
        _apply(connection, report, "GRANT SELECT ON {} TO PUBLIC", [str(r.ident) for r in rows])
        connection.execute(text("DROP TABLE zava_private.wall_revoked_from_public"))
    for role in (APP_ROLE, DEFINER_ROLE, OWNER_ROLE):
        _reconcile_functions(connection, report, role, {})
    _apply(
        connection,
        report,
        f"REVOKE ALL ON {{}} FROM {APP_ROLE}",
        {"pg_catalog.pg_class"}
        | {
            str(r.ident)
            for r in connection.execute(text(_APP_RELATIONS_HELD), {"schemas": list(CATALOG_SCHEMAS), "role": APP_ROLE})
        },
    )
    if report.failed:
        raise RuntimeError("the database wall could not be removed: " + "; ".join(report.failed))


_GAPS_AS = """
SELECT f AS name FROM unnest(CAST(:functions AS text[])) f
 WHERE pg_catalog.has_function_privilege(CAST(:role AS name), f, 'EXECUTE')
UNION ALL
SELECT r FROM unnest(CAST(:relations AS text[])) r
 WHERE pg_catalog.has_table_privilege(CAST(:role AS name), r, 'SELECT')
UNION ALL
SELECT c.r || '.' || c.c FROM unnest(CAST(:col_relations AS text[]), CAST(:col_names AS text[])) AS c(r, c)
 WHERE pg_catalog.has_column_privilege(CAST(:role AS name), c.r, c.c, 'SELECT')
"""


def _gap_params() -> dict[str, object]:
    return {
        "functions": list(CANARY_FUNCTIONS),
        "relations": list(CANARY_RELATIONS),
        "col_relations": [r for r, _ in CANARY_COLUMNS],
        "col_names": [c for _, c in CANARY_COLUMNS],
    }


def find_gaps(connection: Connection, role: str = APP_ROLE) -> list[str]:
    """The canaries ``role`` can still execute or read: empty when the wall stands."""
    rows = connection.execute(text(_GAPS_AS), {"role": role, **_gap_params()})
    return [str(r.name) for r in rows]


async def probe_as_app(engine: AsyncEngine) -> list[str]:
    """The start-up probe: the canaries the server's own role can still reach (empty when the
    wall stands). Runs as that role, so it sees what a statement would see."""
    async with engine.connect() as conn:
        rows = await conn.execute(text(_GAPS_AS), {"role": APP_ROLE, **_gap_params()})
        return [str(r.name) for r in rows]
