"""Random uuid keys for customers, orders and order lines: keys that count nothing.

One sequence numbered every store's orders, so a store manager could read the other stores'
volumes from their own ids (``max(order_id) - min(order_id) + 1 - count(*)``, also per day).
``gen_random_uuid()`` keys carry no order and no count.

The upgrade converts a populated database in place, in the migration's transaction: it adds a
uuid column to each keyed table (every row a random key), copies each parent's new key into the
referencing rows by joining on the old key, then drops the old foreign keys, primary keys and
identity columns (their sequences go with them) and puts the uuid columns in their place under
the old names. What refers to the swapped columns is read from the catalog first and rebuilt
after the swap, so whatever an earlier migration added survives: foreign keys with their
actions, indexes (whatever their definition), column comments and column grants. Policies and
table grants stay on the tables; the policies test ``store_id``, which does not change.

The downgrade does the reverse with bigint identity keys numbered by ``row_number()`` in a
stable order (customers by e-mail, orders by date then key, lines by order then key) and moves
each identity past its highest number. The swapped columns end up last in the tables' column
order either way: ``SELECT *`` and the schema tool list them after the others.

Rows are rewritten as the administrator that runs the migrations, who must bypass row-level
security: the tables force it, and an update that saw no rows would lose every relationship.

Revision ID: 0006
Revises: 0004
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

#: (table, key column), parents before children.
KEYS = (("customers", "customer_id"), ("orders", "order_id"), ("order_items", "order_item_id"))
#: (child table, column, parent table, parent key): what the upgrade re-points.
REFERENCES = (("orders", "customer_id", "customers", "customer_id"), ("order_items", "order_id", "orders", "order_id"))
#: The rows the downgrade numbers and their stable order (no ties: the last term is unique).
#: Lines follow their order's new number, which is set before theirs.
DOWNGRADE_ORDER = {
    "customers": ("retail.customers t", "t.email, t.customer_id"),
    "orders": ("retail.orders t", "t.order_date, t.created_at, t.order_id"),
    "order_items": (
        "retail.order_items t JOIN retail.orders o ON o.order_id = t.order_id",
        "o.order_id__new, t.order_item_id",
    ),
}
_NEW = "{}__new"
#: What the schema tool shows a model for each new key, unless the column already had a comment:
#: "the latest orders" must be asked of order_date, never of the key.
KEY_COMMENTS = {
    "customers": "Random key (uuid v4): it has no order and counts nothing; compare it only for equality.",
    "orders": "Random key (uuid v4): it does not follow time; order by order_date for the latest orders.",
    "order_items": "Random key (uuid v4): it has no order and counts nothing; group lines by order_id.",
}

_COLUMNS = " OR ".join(
    f"(c.relname = '{table}' AND a.attname = '{column}')"
    for table, column in KEYS + tuple((child, column) for child, column, _, _ in REFERENCES)
)

# Foreign keys that reference one of the swapped columns, and indexes (other than the primary
# keys) that use one; both are rebuilt verbatim once the new column carries the old name.
_DEPENDENT_CONSTRAINTS = f"""
SELECT DISTINCT con.conrelid::regclass::text AS owner, con.conname AS name, pg_get_constraintdef(con.oid) AS def
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.confrelid OR c.oid = con.conrelid
JOIN pg_attribute a ON a.attrelid = c.oid
 AND a.attnum = ANY (CASE WHEN c.oid = con.confrelid THEN con.confkey ELSE con.conkey END)
WHERE con.contype = 'f' AND c.relnamespace = 'retail'::regnamespace AND ({_COLUMNS})
ORDER BY 1, 2
"""
_DEPENDENT_INDEXES = f"""
SELECT DISTINCT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_attribute a ON a.attrelid = c.oid AND (a.attnum = ANY (i.indkey)
 OR pg_get_expr(i.indexprs, i.indrelid) ~ ('\\m' || a.attname || '\\M')
 OR pg_get_expr(i.indpred, i.indrelid) ~ ('\\m' || a.attname || '\\M'))
WHERE NOT i.indisprimary AND c.relnamespace = 'retail'::regnamespace AND ({_COLUMNS})
 AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid)
ORDER BY 1
"""
_COLUMN_COMMENTS = f"""
SELECT c.relname AS tbl, a.attname AS col, col_description(c.oid, a.attnum) AS comment
FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
WHERE c.relnamespace = 'retail'::regnamespace AND ({_COLUMNS}) AND col_description(c.oid, a.attnum) IS NOT NULL
"""
_COLUMN_GRANTS = f"""
SELECT c.relname AS tbl, a.attname AS col, x.privilege_type AS privilege,
       CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE x.grantee::regrole::text END AS grantee
FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
CROSS JOIN LATERAL aclexplode(a.attacl) x
WHERE c.relnamespace = 'retail'::regnamespace AND ({_COLUMNS}) AND a.attacl IS NOT NULL
"""


def _fetch(sql: str) -> list[dict[str, str]]:
    return [dict(row._mapping) for row in op.get_bind().execute(text(sql))]


def _require_bypass_rls() -> None:
    allowed = (
        op.get_bind()
        .execute(text("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user"))
        .scalar_one()
    )
    if not allowed:
        raise RuntimeError(
            "Migration 0006 rewrites every customer, order and order line: run it as a role that "
            "bypasses row-level security (a superuser or a role with BYPASSRLS)."
        )


def _swap(key_type: str) -> None:
    """Replace each old column by its ``__new`` twin, keeping what referred to the old one."""
    constraints = _fetch(_DEPENDENT_CONSTRAINTS)
    indexes = _fetch(_DEPENDENT_INDEXES)
    comments = _fetch(_COLUMN_COMMENTS)
    grants = _fetch(_COLUMN_GRANTS)
    for fk in constraints:
        op.execute(f"ALTER TABLE {fk['owner']} DROP CONSTRAINT {fk['name']}")
    for index in indexes:
        op.execute(f"DROP INDEX {index['name']}")
    for child, column, _, _ in REFERENCES:
        op.execute(f"ALTER TABLE retail.{child} DROP COLUMN {column}")
        op.execute(f"ALTER TABLE retail.{child} RENAME COLUMN {_NEW.format(column)} TO {column}")
        op.execute(f"ALTER TABLE retail.{child} ALTER COLUMN {column} SET NOT NULL")
    for table, column in KEYS:
        op.execute(f"ALTER TABLE retail.{table} DROP COLUMN {column}")  # the identity sequence goes too
        op.execute(f"ALTER TABLE retail.{table} RENAME COLUMN {_NEW.format(column)} TO {column}")
        op.execute(f"ALTER TABLE retail.{table} ALTER COLUMN {column} SET NOT NULL")
        if key_type == "uuid":
            op.execute(f"ALTER TABLE retail.{table} ALTER COLUMN {column} SET DEFAULT gen_random_uuid()")
        else:
            highest = f"(SELECT coalesce(max({column}), 0) + 1 FROM retail.{table})"
            op.execute(f"ALTER TABLE retail.{table} ALTER COLUMN {column} ADD GENERATED BY DEFAULT AS IDENTITY")
            op.execute(f"SELECT setval(pg_get_serial_sequence('retail.{table}', '{column}'), {highest}, false)")
        op.execute(f"ALTER TABLE retail.{table} ADD CONSTRAINT {table}_pkey PRIMARY KEY ({column})")
    for fk in constraints:
        op.execute(f"ALTER TABLE {fk['owner']} ADD CONSTRAINT {fk['name']} {fk['def']}")
    for index in indexes:
        op.execute(index["def"])
    for entry in comments:
        quoted = entry["comment"].replace("'", "''")
        op.execute(f"COMMENT ON COLUMN retail.{entry['tbl']}.{entry['col']} IS '{quoted}'")
    for grant in grants:
        op.execute(f"GRANT {grant['privilege']} ({grant['col']}) ON retail.{grant['tbl']} TO {grant['grantee']}")


def _analyze() -> None:
    # The tables were rewritten and their key columns are new: plan joins on them with statistics.
    for table, _ in KEYS:
        op.execute(f"ANALYZE retail.{table}")


def upgrade() -> None:
    _require_bypass_rls()
    for table, column in KEYS:
        # A volatile default is evaluated for every existing row: each gets its own random key.
        op.execute(f"ALTER TABLE retail.{table} ADD COLUMN {_NEW.format(column)} uuid DEFAULT gen_random_uuid()")
    for child, column, parent, key in REFERENCES:
        new = _NEW.format(column)
        op.execute(f"ALTER TABLE retail.{child} ADD COLUMN {new} uuid")
        op.execute(
            f"UPDATE retail.{child} x SET {new} = p.{_NEW.format(key)} FROM retail.{parent} p WHERE p.{key} = x.{column}"
        )
    _swap("uuid")
    for table, column in KEYS:
        op.execute(
            f"DO $$ BEGIN IF col_description('retail.{table}'::regclass, (SELECT attnum FROM pg_attribute"
            f" WHERE attrelid = 'retail.{table}'::regclass AND attname = '{column}')) IS NULL THEN"
            f" COMMENT ON COLUMN retail.{table}.{column} IS '{KEY_COMMENTS[table]}'; END IF; END $$"
        )
    _analyze()


def downgrade() -> None:
    _require_bypass_rls()
    for table, column in KEYS:
        new = _NEW.format(column)
        op.execute(f"ALTER TABLE retail.{table} ADD COLUMN {new} bigint")
        rows, order = DOWNGRADE_ORDER[table]
        op.execute(
            f"UPDATE retail.{table} x SET {new} = n.rn FROM (SELECT t.{column}, row_number() OVER "
            f"(ORDER BY {order}) AS rn FROM {rows}) n WHERE n.{column} = x.{column}"
        )
    for child, column, parent, key in REFERENCES:
        new = _NEW.format(column)
        op.execute(f"ALTER TABLE retail.{child} ADD COLUMN {new} bigint")
        op.execute(
            f"UPDATE retail.{child} x SET {new} = p.{_NEW.format(key)} FROM retail.{parent} p WHERE p.{key} = x.{column}"
        )
    _swap("bigint")
    for table, column in KEYS:
        op.execute(
            f"DO $$ BEGIN IF col_description('retail.{table}'::regclass, (SELECT attnum FROM pg_attribute"
            f" WHERE attrelid = 'retail.{table}'::regclass AND attname = '{column}')) = '{KEY_COMMENTS[table]}'"
            f" THEN COMMENT ON COLUMN retail.{table}.{column} IS NULL; END IF; END $$"
        )
    _analyze()
