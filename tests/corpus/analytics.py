"""Legitimate analytics queries, each with an owner-side reference that must return the same rows.

``sql`` is what the model sends: no store filter, because row-level security supplies it.
``reference`` is the same question asked by the table owner with RLS bypassed, filtering every
store-scoped table reference (customers, inventory, orders, order_items, stores) explicitly with
``{stores}``, a placeholder for a SQL ``uuid[]`` expression (``str.format`` it; ``{{``/``}}`` are
literal braces). Filters on LEFT-joined tables sit in the ON clause, as RLS filters the table
before the join.

Every query is deterministic: a complete ORDER BY key, rounded floating-point results, at most
200 rows, and no dependency on today's date. EXPLAIN cases set ``compare_rows=False``: only
acceptance is compared, since the plans differ by design.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["ANALYTICS_CASES", "AnalyticsCase"]


@dataclass(frozen=True, slots=True)
class AnalyticsCase:
    id: str
    sql: str
    reference: str
    compare_rows: bool = True


_S = "ANY({stores})"

ANALYTICS_CASES: tuple[AnalyticsCase, ...] = (
    AnalyticsCase(
        "revenue_by_store",
        "SELECT s.store_name, count(o.order_id) AS orders, sum(o.total_amount) AS revenue "
        "FROM retail.orders o JOIN retail.stores s ON s.store_id = o.store_id "
        "GROUP BY s.store_name ORDER BY s.store_name",
        "SELECT s.store_name, count(o.order_id) AS orders, sum(o.total_amount) AS revenue "
        "FROM retail.orders o JOIN retail.stores s ON s.store_id = o.store_id "
        f"WHERE o.store_id = {_S} AND s.store_id = {_S} "
        "GROUP BY s.store_name ORDER BY s.store_name",
    ),
    AnalyticsCase(
        "monthly_revenue_calendar_2024",
        "SELECT m.month::date AS month, coalesce(sum(o.total_amount), 0) AS revenue "
        "FROM generate_series(date '2024-01-01', date '2024-12-01', interval '1 month') AS m(month) "
        "LEFT JOIN retail.orders o ON date_trunc('month', o.order_date) = m.month "
        "GROUP BY m.month ORDER BY m.month",
        "SELECT m.month::date AS month, coalesce(sum(o.total_amount), 0) AS revenue "
        "FROM generate_series(date '2024-01-01', date '2024-12-01', interval '1 month') AS m(month) "
        f"LEFT JOIN retail.orders o ON date_trunc('month', o.order_date) = m.month AND o.store_id = {_S} "
        "GROUP BY m.month ORDER BY m.month",
    ),
    AnalyticsCase(
        "top_products_by_revenue",
        "SELECT p.product_id, p.product_name, sum(oi.total_amount) AS revenue "
        "FROM retail.order_items oi JOIN retail.products p ON p.product_id = oi.product_id "
        "GROUP BY p.product_id, p.product_name ORDER BY revenue DESC, p.product_id LIMIT 10",
        "SELECT p.product_id, p.product_name, sum(oi.total_amount) AS revenue "
        "FROM retail.order_items oi JOIN retail.products p ON p.product_id = oi.product_id "
        f"WHERE oi.store_id = {_S} "
        "GROUP BY p.product_id, p.product_name ORDER BY revenue DESC, p.product_id LIMIT 10",
    ),
    AnalyticsCase(
        "category_revenue_share_window",
        "SELECT c.category_name, sum(oi.total_amount) AS revenue, "
        "round(100 * sum(oi.total_amount) / sum(sum(oi.total_amount)) OVER (), 2) AS pct "
        "FROM retail.order_items oi JOIN retail.products p USING (product_id) "
        "JOIN retail.categories c ON c.category_id = p.category_id "
        "GROUP BY c.category_name ORDER BY c.category_name",
        "SELECT c.category_name, sum(oi.total_amount) AS revenue, "
        "round(100 * sum(oi.total_amount) / sum(sum(oi.total_amount)) OVER (), 2) AS pct "
        "FROM retail.order_items oi JOIN retail.products p USING (product_id) "
        "JOIN retail.categories c ON c.category_id = p.category_id "
        f"WHERE oi.store_id = {_S} "
        "GROUP BY c.category_name ORDER BY c.category_name",
    ),
    AnalyticsCase(
        "median_order_value_per_store",
        "SELECT o.store_id, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY o.total_amount)::numeric, 2) AS median "
        "FROM retail.orders o GROUP BY o.store_id ORDER BY o.store_id",
        "SELECT o.store_id, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY o.total_amount)::numeric, 2) AS median "
        f"FROM retail.orders o WHERE o.store_id = {_S} GROUP BY o.store_id ORDER BY o.store_id",
    ),
    AnalyticsCase(
        "status_counts_with_filter_2024",
        "SELECT date_trunc('month', o.order_date)::date AS month, "
        "count(*) FILTER (WHERE o.status = 'completed') AS completed, "
        "count(*) FILTER (WHERE o.status IS DISTINCT FROM 'completed') AS other "
        "FROM retail.orders o WHERE o.order_date >= date '2024-01-01' AND o.order_date < date '2025-01-01' "
        "GROUP BY 1 ORDER BY 1",
        "SELECT date_trunc('month', o.order_date)::date AS month, "
        "count(*) FILTER (WHERE o.status = 'completed') AS completed, "
        "count(*) FILTER (WHERE o.status IS DISTINCT FROM 'completed') AS other "
        "FROM retail.orders o WHERE o.order_date >= date '2024-01-01' AND o.order_date < date '2025-01-01' "
        f"AND o.store_id = {_S} GROUP BY 1 ORDER BY 1",
    ),
    AnalyticsCase(
        "units_rollup_category_type",
        "SELECT c.category_name, pt.type_name, sum(oi.quantity) AS units "
        "FROM retail.order_items oi JOIN retail.products p ON p.product_id = oi.product_id "
        "JOIN retail.categories c ON c.category_id = p.category_id "
        "JOIN retail.product_types pt ON pt.type_id = p.type_id "
        "GROUP BY ROLLUP (c.category_name, pt.type_name) "
        "ORDER BY c.category_name NULLS LAST, pt.type_name NULLS LAST LIMIT 200",
        "SELECT c.category_name, pt.type_name, sum(oi.quantity) AS units "
        "FROM retail.order_items oi JOIN retail.products p ON p.product_id = oi.product_id "
        "JOIN retail.categories c ON c.category_id = p.category_id "
        "JOIN retail.product_types pt ON pt.type_id = p.type_id "
        f"WHERE oi.store_id = {_S} "
        "GROUP BY ROLLUP (c.category_name, pt.type_name) "
        "ORDER BY c.category_name NULLS LAST, pt.type_name NULLS LAST LIMIT 200",
    ),
    AnalyticsCase(
        "order_counts_grouping_sets",
        "SELECT o.store_id, o.status, count(*) AS n, GROUPING(o.store_id, o.status) AS g "
        "FROM retail.orders o GROUP BY GROUPING SETS ((o.store_id), (o.status), ()) "
        "ORDER BY g, o.store_id NULLS LAST, o.status NULLS LAST LIMIT 200",
        "SELECT o.store_id, o.status, count(*) AS n, GROUPING(o.store_id, o.status) AS g "
        f"FROM retail.orders o WHERE o.store_id = {_S} GROUP BY GROUPING SETS ((o.store_id), (o.status), ()) "
        "ORDER BY g, o.store_id NULLS LAST, o.status NULLS LAST LIMIT 200",
    ),
    AnalyticsCase(
        "order_counts_cube_online_status",
        "SELECT s.is_online, o.status, count(*) AS n "
        "FROM retail.orders o JOIN retail.stores s ON s.store_id = o.store_id "
        "GROUP BY CUBE (s.is_online, o.status) "
        "ORDER BY GROUPING(s.is_online, o.status), s.is_online NULLS LAST, o.status NULLS LAST",
        "SELECT s.is_online, o.status, count(*) AS n "
        "FROM retail.orders o JOIN retail.stores s ON s.store_id = o.store_id "
        f"WHERE o.store_id = {_S} AND s.store_id = {_S} "
        "GROUP BY CUBE (s.is_online, o.status) "
        "ORDER BY GROUPING(s.is_online, o.status), s.is_online NULLS LAST, o.status NULLS LAST",
    ),
    AnalyticsCase(
        "top3_products_per_category_lateral",
        "SELECT c.category_name, t.product_id, t.product_name, t.revenue FROM retail.categories c "
        "CROSS JOIN LATERAL (SELECT p.product_id, p.product_name, sum(oi.total_amount) AS revenue "
        "FROM retail.order_items oi JOIN retail.products p ON p.product_id = oi.product_id "
        "WHERE p.category_id = c.category_id GROUP BY p.product_id, p.product_name "
        "ORDER BY revenue DESC, p.product_id LIMIT 3) t "
        "ORDER BY c.category_name, t.revenue DESC, t.product_id",
        "SELECT c.category_name, t.product_id, t.product_name, t.revenue FROM retail.categories c "
        "CROSS JOIN LATERAL (SELECT p.product_id, p.product_name, sum(oi.total_amount) AS revenue "
        "FROM retail.order_items oi JOIN retail.products p ON p.product_id = oi.product_id "
        f"WHERE p.category_id = c.category_id AND oi.store_id = {_S} GROUP BY p.product_id, p.product_name "
        "ORDER BY revenue DESC, p.product_id LIMIT 3) t "
        "ORDER BY c.category_name, t.revenue DESC, t.product_id",
    ),
    AnalyticsCase(
        "similar_products_by_embedding_operator",
        "SELECT e2.product_id, round((e1.description_embedding <=> e2.description_embedding)::numeric, 4) AS distance "
        "FROM retail.product_description_embeddings e1 "
        "JOIN retail.product_description_embeddings e2 ON e2.product_id <> e1.product_id "
        "WHERE e1.product_id = (SELECT min(product_id) FROM retail.product_description_embeddings) "
        "ORDER BY distance, e2.product_id LIMIT 5",
        "SELECT e2.product_id, round((e1.description_embedding <=> e2.description_embedding)::numeric, 4) AS distance "
        "FROM retail.product_description_embeddings e1 "
        "JOIN retail.product_description_embeddings e2 ON e2.product_id <> e1.product_id "
        "WHERE e1.product_id = (SELECT min(product_id) FROM retail.product_description_embeddings) "
        "ORDER BY distance, e2.product_id LIMIT 5",
    ),
    AnalyticsCase(
        "bestsellers_nearest_to_first_product",
        "WITH anchor AS (SELECT description_embedding AS v FROM retail.product_description_embeddings "
        "ORDER BY product_id LIMIT 1), sold AS (SELECT product_id, sum(quantity) AS units "
        "FROM retail.order_items GROUP BY product_id) "
        "SELECT e.product_id, s.units, round((e.description_embedding <-> a.v)::numeric, 4) AS l2 "
        "FROM retail.product_description_embeddings e CROSS JOIN anchor a JOIN sold s USING (product_id) "
        "ORDER BY l2, e.product_id LIMIT 10",
        "WITH anchor AS (SELECT description_embedding AS v FROM retail.product_description_embeddings "
        "ORDER BY product_id LIMIT 1), sold AS (SELECT product_id, sum(quantity) AS units "
        f"FROM retail.order_items WHERE store_id = {_S} GROUP BY product_id) "
        "SELECT e.product_id, s.units, round((e.description_embedding <-> a.v)::numeric, 4) AS l2 "
        "FROM retail.product_description_embeddings e CROSS JOIN anchor a JOIN sold s USING (product_id) "
        "ORDER BY l2, e.product_id LIMIT 10",
    ),
    AnalyticsCase(
        "embedding_dimensions",
        "SELECT vector_dims(description_embedding) AS dims, count(*) AS products "
        "FROM retail.product_description_embeddings GROUP BY 1 ORDER BY 1",
        "SELECT vector_dims(description_embedding) AS dims, count(*) AS products "
        "FROM retail.product_description_embeddings GROUP BY 1 ORDER BY 1",
    ),
    AnalyticsCase(
        "explain_orders_since_2024",
        "EXPLAIN (COSTS OFF) SELECT count(*) FROM retail.orders WHERE order_date >= date '2024-01-01'",
        f"EXPLAIN (COSTS OFF) SELECT count(*) FROM retail.orders WHERE order_date >= date '2024-01-01' AND store_id = {_S}",
        compare_rows=False,
    ),
    AnalyticsCase(
        "explain_json_join",
        "EXPLAIN (FORMAT JSON, COSTS false) SELECT s.store_name, count(*) FROM retail.orders o "
        "JOIN retail.stores s ON s.store_id = o.store_id GROUP BY s.store_name",
        "EXPLAIN (FORMAT JSON, COSTS false) SELECT s.store_name, count(*) FROM retail.orders o "
        f"JOIN retail.stores s ON s.store_id = o.store_id WHERE o.store_id = {_S} AND s.store_id = {_S} "
        "GROUP BY s.store_name",
        compare_rows=False,
    ),
    AnalyticsCase(
        "status_labels_from_values",
        "SELECT v.label, count(o.order_id) AS orders "
        "FROM (VALUES ('pending', 'Waiting'), ('shipped', 'On its way'), ('completed', 'Done')) AS v(status, label) "
        "LEFT JOIN retail.orders o ON o.status = v.status GROUP BY v.label ORDER BY v.label",
        "SELECT v.label, count(o.order_id) AS orders "
        "FROM (VALUES ('pending', 'Waiting'), ('shipped', 'On its way'), ('completed', 'Done')) AS v(status, label) "
        f"LEFT JOIN retail.orders o ON o.status = v.status AND o.store_id = {_S} GROUP BY v.label ORDER BY v.label",
    ),
    AnalyticsCase(
        "bare_values_list",
        "VALUES (1, 'one'), (2, 'two'), (3, 'three') ORDER BY 1",
        "VALUES (1, 'one'), (2, 'two'), (3, 'three') ORDER BY 1",
    ),
    AnalyticsCase(
        "row_counts_union_all",
        "SELECT 'customers' AS entity, count(*) AS n FROM retail.customers "
        "UNION ALL SELECT 'orders', count(*) FROM retail.orders "
        "UNION ALL SELECT 'order_items', count(*) FROM retail.order_items ORDER BY entity",
        f"SELECT 'customers' AS entity, count(*) AS n FROM retail.customers WHERE store_id = {_S} "
        f"UNION ALL SELECT 'orders', count(*) FROM retail.orders WHERE store_id = {_S} "
        f"UNION ALL SELECT 'order_items', count(*) FROM retail.order_items WHERE store_id = {_S} ORDER BY entity",
    ),
    AnalyticsCase(
        "customers_with_orders_exists",
        "SELECT count(*) AS customers_with_orders FROM retail.customers c "
        "WHERE EXISTS (SELECT 1 FROM retail.orders o WHERE o.customer_id = c.customer_id)",
        "SELECT count(*) AS customers_with_orders FROM retail.customers c "
        f"WHERE c.store_id = {_S} AND EXISTS (SELECT 1 FROM retail.orders o "
        f"WHERE o.customer_id = c.customer_id AND o.store_id = {_S})",
    ),
    AnalyticsCase(
        "products_never_sold_not_exists",
        "SELECT p.product_id, p.product_name FROM retail.products p "
        "WHERE NOT EXISTS (SELECT 1 FROM retail.order_items oi WHERE oi.product_id = p.product_id) "
        "ORDER BY p.product_id LIMIT 50",
        "SELECT p.product_id, p.product_name FROM retail.products p "
        "WHERE NOT EXISTS (SELECT 1 FROM retail.order_items oi "
        f"WHERE oi.product_id = p.product_id AND oi.store_id = {_S}) "
        "ORDER BY p.product_id LIMIT 50",
    ),
    AnalyticsCase(
        "big_spenders_in_subquery",
        "SELECT c.customer_id, c.first_name, c.last_name FROM retail.customers c "
        "WHERE c.customer_id IN (SELECT o.customer_id FROM retail.orders o WHERE o.total_amount > 500) "
        "ORDER BY c.customer_id LIMIT 50",
        "SELECT c.customer_id, c.first_name, c.last_name FROM retail.customers c "
        f"WHERE c.store_id = {_S} AND c.customer_id IN (SELECT o.customer_id FROM retail.orders o "
        f"WHERE o.total_amount > 500 AND o.store_id = {_S}) "
        "ORDER BY c.customer_id LIMIT 50",
    ),
    AnalyticsCase(
        "latest_order_per_customer_distinct_on",
        "SELECT DISTINCT ON (o.customer_id) o.customer_id, o.order_id, o.order_date, o.total_amount "
        "FROM retail.orders o ORDER BY o.customer_id, o.order_date DESC, o.order_id DESC LIMIT 100",
        "SELECT DISTINCT ON (o.customer_id) o.customer_id, o.order_id, o.order_date, o.total_amount "
        f"FROM retail.orders o WHERE o.store_id = {_S} "
        "ORDER BY o.customer_id, o.order_date DESC, o.order_id DESC LIMIT 100",
    ),
    AnalyticsCase(
        "orders_per_month_recursive_calendar",
        "WITH RECURSIVE months(m) AS (SELECT date '2024-01-01' UNION ALL "
        "SELECT (m + interval '1 month')::date FROM months WHERE m < date '2024-12-01') "
        "SELECT months.m, (SELECT count(*) FROM retail.orders o WHERE o.order_date >= months.m "
        "AND o.order_date < (months.m + interval '1 month')::date) AS orders FROM months ORDER BY months.m",
        "WITH RECURSIVE months(m) AS (SELECT date '2024-01-01' UNION ALL "
        "SELECT (m + interval '1 month')::date FROM months WHERE m < date '2024-12-01') "
        "SELECT months.m, (SELECT count(*) FROM retail.orders o WHERE o.order_date >= months.m "
        f"AND o.order_date < (months.m + interval '1 month')::date AND o.store_id = {_S}) AS orders "
        "FROM months ORDER BY months.m",
    ),
    AnalyticsCase(
        "product_count_unqualified_names",
        "SELECT c.category_name, count(*) AS products FROM products p "
        "JOIN categories c ON c.category_id = p.category_id GROUP BY c.category_name ORDER BY c.category_name",
        "SELECT c.category_name, count(*) AS products FROM retail.products p "
        "JOIN retail.categories c ON c.category_id = p.category_id GROUP BY c.category_name ORDER BY c.category_name",
    ),
    AnalyticsCase(
        "status_counts_unqualified_orders",
        "SELECT status, count(*) AS n FROM orders GROUP BY status ORDER BY status NULLS LAST",
        f"SELECT status, count(*) AS n FROM retail.orders WHERE store_id = {_S} "
        "GROUP BY status ORDER BY status NULLS LAST",
    ),
    AnalyticsCase(
        "largest_orders_quoted_identifiers",
        'SELECT "o"."order_id", "o"."total_amount" AS "Total" FROM "retail"."orders" AS "o" '
        'ORDER BY "o"."total_amount" DESC, "o"."order_id" LIMIT 20',
        'SELECT "o"."order_id", "o"."total_amount" AS "Total" FROM "retail"."orders" AS "o" '
        f'WHERE "o"."store_id" = {_S} ORDER BY "o"."total_amount" DESC, "o"."order_id" LIMIT 20',
    ),
    AnalyticsCase(
        "orders_per_store_mixed_case",
        "select O.Store_Id, COUNT(*) as N from RETAIL.ORDERS o group BY o.STORE_ID order by 1",
        f"select O.Store_Id, COUNT(*) as N from RETAIL.ORDERS o where o.store_id = {_S} group BY o.STORE_ID order by 1",
    ),
    AnalyticsCase(
        "order_size_buckets_case",
        "SELECT CASE WHEN o.total_amount < 50 THEN 'small' WHEN o.total_amount < 200 THEN 'medium' "
        "ELSE 'large' END AS bucket, count(*) AS n, sum(o.total_amount) AS total "
        "FROM retail.orders o GROUP BY 1 ORDER BY 1",
        "SELECT CASE WHEN o.total_amount < 50 THEN 'small' WHEN o.total_amount < 200 THEN 'medium' "
        "ELSE 'large' END AS bucket, count(*) AS n, sum(o.total_amount) AS total "
        f"FROM retail.orders o WHERE o.store_id = {_S} GROUP BY 1 ORDER BY 1",
    ),
    AnalyticsCase(
        "discount_rate_coalesce_nullif",
        "SELECT o.store_id, round(coalesce(sum(o.discount_amount) / nullif(sum(o.subtotal), 0), 0), 4) AS rate "
        "FROM retail.orders o GROUP BY o.store_id ORDER BY o.store_id",
        "SELECT o.store_id, round(coalesce(sum(o.discount_amount) / nullif(sum(o.subtotal), 0), 0), 4) AS rate "
        f"FROM retail.orders o WHERE o.store_id = {_S} GROUP BY o.store_id ORDER BY o.store_id",
    ),
    AnalyticsCase(
        "email_domains_by_initial",
        "SELECT upper(left(c.last_name, 1)) AS initial, count(*) AS n, "
        "string_agg(DISTINCT lower(split_part(c.email, '@', 2)), ', ' "
        "ORDER BY lower(split_part(c.email, '@', 2))) AS domains "
        "FROM retail.customers c GROUP BY 1 ORDER BY 1 NULLS LAST",
        "SELECT upper(left(c.last_name, 1)) AS initial, count(*) AS n, "
        "string_agg(DISTINCT lower(split_part(c.email, '@', 2)), ', ' "
        "ORDER BY lower(split_part(c.email, '@', 2))) AS domains "
        f"FROM retail.customers c WHERE c.store_id = {_S} GROUP BY 1 ORDER BY 1 NULLS LAST",
    ),
    AnalyticsCase(
        "customer_full_names",
        "SELECT c.customer_id, concat_ws(' ', initcap(c.first_name), initcap(c.last_name)) AS full_name, "
        "length(c.email) AS email_length FROM retail.customers c ORDER BY c.customer_id LIMIT 25",
        "SELECT c.customer_id, concat_ws(' ', initcap(c.first_name), initcap(c.last_name)) AS full_name, "
        f"length(c.email) AS email_length FROM retail.customers c WHERE c.store_id = {_S} "
        "ORDER BY c.customer_id LIMIT 25",
    ),
    AnalyticsCase(
        "daily_running_total_january_2024",
        "SELECT d.order_date, d.revenue, sum(d.revenue) OVER (ORDER BY d.order_date) AS running "
        "FROM (SELECT o.order_date, sum(o.total_amount) AS revenue FROM retail.orders o "
        "WHERE o.order_date >= date '2024-01-01' AND o.order_date < date '2024-02-01' GROUP BY o.order_date) d "
        "ORDER BY d.order_date",
        "SELECT d.order_date, d.revenue, sum(d.revenue) OVER (ORDER BY d.order_date) AS running "
        "FROM (SELECT o.order_date, sum(o.total_amount) AS revenue FROM retail.orders o "
        "WHERE o.order_date >= date '2024-01-01' AND o.order_date < date '2024-02-01' "
        f"AND o.store_id = {_S} GROUP BY o.order_date) d ORDER BY d.order_date",
    ),
    AnalyticsCase(
        "month_over_month_change_lag",
        "WITH monthly AS (SELECT date_trunc('month', o.order_date)::date AS month, sum(o.total_amount) AS revenue "
        "FROM retail.orders o GROUP BY 1) "
        "SELECT month, revenue, revenue - lag(revenue) OVER (ORDER BY month) AS change "
        "FROM monthly ORDER BY month LIMIT 200",
        "WITH monthly AS (SELECT date_trunc('month', o.order_date)::date AS month, sum(o.total_amount) AS revenue "
        f"FROM retail.orders o WHERE o.store_id = {_S} GROUP BY 1) "
        "SELECT month, revenue, revenue - lag(revenue) OVER (ORDER BY month) AS change "
        "FROM monthly ORDER BY month LIMIT 200",
    ),
    AnalyticsCase(
        "store_revenue_rank",
        "SELECT o.store_id, sum(o.total_amount) AS revenue, rank() OVER (ORDER BY sum(o.total_amount) DESC) AS rnk "
        "FROM retail.orders o GROUP BY o.store_id ORDER BY rnk, o.store_id",
        "SELECT o.store_id, sum(o.total_amount) AS revenue, rank() OVER (ORDER BY sum(o.total_amount) DESC) AS rnk "
        f"FROM retail.orders o WHERE o.store_id = {_S} GROUP BY o.store_id ORDER BY rnk, o.store_id",
    ),
    AnalyticsCase(
        "customer_spend_quartiles_ntile",
        "WITH spend AS (SELECT o.customer_id, sum(o.total_amount) AS total FROM retail.orders o "
        "GROUP BY o.customer_id) "
        "SELECT q.quartile, count(*) AS customers, min(q.total) AS min_total, max(q.total) AS max_total "
        "FROM (SELECT total, ntile(4) OVER (ORDER BY total, customer_id) AS quartile FROM spend) q "
        "GROUP BY q.quartile ORDER BY q.quartile",
        "WITH spend AS (SELECT o.customer_id, sum(o.total_amount) AS total FROM retail.orders o "
        f"WHERE o.store_id = {_S} GROUP BY o.customer_id) "
        "SELECT q.quartile, count(*) AS customers, min(q.total) AS min_total, max(q.total) AS max_total "
        "FROM (SELECT total, ntile(4) OVER (ORDER BY total, customer_id) AS quartile FROM spend) q "
        "GROUP BY q.quartile ORDER BY q.quartile",
    ),
    AnalyticsCase(
        "low_stock_items",
        "SELECT i.store_id, p.product_id, p.product_name, i.stock_level FROM retail.inventory i "
        "JOIN retail.products p ON p.product_id = i.product_id WHERE i.stock_level < 10 "
        "ORDER BY i.stock_level, i.store_id, p.product_id LIMIT 50",
        "SELECT i.store_id, p.product_id, p.product_name, i.stock_level FROM retail.inventory i "
        f"JOIN retail.products p ON p.product_id = i.product_id WHERE i.stock_level < 10 AND i.store_id = {_S} "
        "ORDER BY i.stock_level, i.store_id, p.product_id LIMIT 50",
    ),
    AnalyticsCase(
        "stock_value_by_store",
        "SELECT i.store_id, sum(i.stock_level * p.cost) AS stock_value FROM retail.inventory i "
        "JOIN retail.products p USING (product_id) GROUP BY i.store_id ORDER BY i.store_id",
        "SELECT i.store_id, sum(i.stock_level * p.cost) AS stock_value FROM retail.inventory i "
        f"JOIN retail.products p USING (product_id) WHERE i.store_id = {_S} GROUP BY i.store_id ORDER BY i.store_id",
    ),
    AnalyticsCase(
        "margin_by_category",
        "SELECT c.category_name, round(avg(p.gross_margin_percent), 2) AS avg_margin, "
        "count(*) FILTER (WHERE p.discontinued) AS discontinued FROM retail.products p "
        "JOIN retail.categories c USING (category_id) GROUP BY c.category_name ORDER BY c.category_name",
        "SELECT c.category_name, round(avg(p.gross_margin_percent), 2) AS avg_margin, "
        "count(*) FILTER (WHERE p.discontinued) AS discontinued FROM retail.products p "
        "JOIN retail.categories c USING (category_id) GROUP BY c.category_name ORDER BY c.category_name",
    ),
    AnalyticsCase(
        "orders_by_iso_weekday_extract",
        "SELECT extract(isodow FROM o.order_date) AS weekday, count(*) AS orders "
        "FROM retail.orders o GROUP BY 1 ORDER BY 1",
        "SELECT extract(isodow FROM o.order_date) AS weekday, count(*) AS orders "
        f"FROM retail.orders o WHERE o.store_id = {_S} GROUP BY 1 ORDER BY 1",
    ),
    AnalyticsCase(
        "distinct_buyers_by_month_to_char",
        "SELECT to_char(o.order_date, 'YYYY-MM') AS month, count(DISTINCT o.customer_id) AS buyers "
        "FROM retail.orders o GROUP BY 1 ORDER BY 1 DESC LIMIT 24",
        "SELECT to_char(o.order_date, 'YYYY-MM') AS month, count(DISTINCT o.customer_id) AS buyers "
        f"FROM retail.orders o WHERE o.store_id = {_S} GROUP BY 1 ORDER BY 1 DESC LIMIT 24",
    ),
    AnalyticsCase(
        "weekly_orders_date_bin",
        "SELECT date_bin('7 days', o.order_date::timestamp, timestamp '2024-01-01') AS week, count(*) AS orders "
        "FROM retail.orders o WHERE o.order_date BETWEEN date '2024-01-01' AND date '2024-03-31' "
        "GROUP BY 1 ORDER BY 1",
        "SELECT date_bin('7 days', o.order_date::timestamp, timestamp '2024-01-01') AS week, count(*) AS orders "
        "FROM retail.orders o WHERE o.order_date BETWEEN date '2024-01-01' AND date '2024-03-31' "
        f"AND o.store_id = {_S} GROUP BY 1 ORDER BY 1",
    ),
    AnalyticsCase(
        "store_summary_jsonb_build_object",
        "SELECT s.store_name, jsonb_build_object('orders', count(o.order_id), "
        "'revenue', coalesce(sum(o.total_amount), 0)) AS summary "
        "FROM retail.stores s LEFT JOIN retail.orders o ON o.store_id = s.store_id "
        "GROUP BY s.store_name ORDER BY s.store_name",
        "SELECT s.store_name, jsonb_build_object('orders', count(o.order_id), "
        "'revenue', coalesce(sum(o.total_amount), 0)) AS summary "
        f"FROM retail.stores s LEFT JOIN retail.orders o ON o.store_id = s.store_id AND o.store_id = {_S} "
        f"WHERE s.store_id = {_S} GROUP BY s.store_name ORDER BY s.store_name",
    ),
    AnalyticsCase(
        "order_items_as_json_agg",
        "SELECT o.order_id, json_agg(json_build_object('product_id', oi.product_id, 'qty', oi.quantity) "
        "ORDER BY oi.order_item_id)::text AS items FROM retail.orders o "
        "JOIN retail.order_items oi ON oi.order_id = o.order_id GROUP BY o.order_id ORDER BY o.order_id LIMIT 10",
        "SELECT o.order_id, json_agg(json_build_object('product_id', oi.product_id, 'qty', oi.quantity) "
        "ORDER BY oi.order_item_id)::text AS items FROM retail.orders o "
        "JOIN retail.order_items oi ON oi.order_id = o.order_id "
        f"WHERE o.store_id = {_S} AND oi.store_id = {_S} GROUP BY o.order_id ORDER BY o.order_id LIMIT 10",
    ),
    AnalyticsCase(
        "stores_per_customer_array_agg",
        "SELECT o.customer_id, cardinality(array_agg(DISTINCT o.store_id)) AS stores_used "
        "FROM retail.orders o GROUP BY o.customer_id ORDER BY stores_used DESC, o.customer_id LIMIT 20",
        "SELECT o.customer_id, cardinality(array_agg(DISTINCT o.store_id)) AS stores_used "
        f"FROM retail.orders o WHERE o.store_id = {_S} GROUP BY o.customer_id "
        "ORDER BY stores_used DESC, o.customer_id LIMIT 20",
    ),
    AnalyticsCase(
        "popular_products_having",
        "SELECT oi.product_id, sum(oi.quantity) AS units FROM retail.order_items oi "
        "GROUP BY oi.product_id HAVING sum(oi.quantity) > 10 ORDER BY units DESC, oi.product_id LIMIT 50",
        f"SELECT oi.product_id, sum(oi.quantity) AS units FROM retail.order_items oi WHERE oi.store_id = {_S} "
        "GROUP BY oi.product_id HAVING sum(oi.quantity) > 10 ORDER BY units DESC, oi.product_id LIMIT 50",
    ),
    AnalyticsCase(
        "average_basket_size",
        "SELECT round(avg(n), 2) AS avg_items FROM "
        "(SELECT oi.order_id, count(*) AS n FROM retail.order_items oi GROUP BY oi.order_id) t",
        "SELECT round(avg(n), 2) AS avg_items FROM "
        f"(SELECT oi.order_id, count(*) AS n FROM retail.order_items oi WHERE oi.store_id = {_S} "
        "GROUP BY oi.order_id) t",
    ),
    AnalyticsCase(
        "order_value_spread_per_store",
        "SELECT o.store_id, round(stddev_samp(o.total_amount), 2) AS sd, round(avg(o.total_amount), 2) AS mean "
        "FROM retail.orders o GROUP BY o.store_id ORDER BY o.store_id",
        "SELECT o.store_id, round(stddev_samp(o.total_amount), 2) AS sd, round(avg(o.total_amount), 2) AS mean "
        f"FROM retail.orders o WHERE o.store_id = {_S} GROUP BY o.store_id ORDER BY o.store_id",
    ),
    AnalyticsCase(
        "price_quantity_correlation",
        "SELECT round(corr(oi.unit_price, oi.quantity)::numeric, 4) AS r FROM retail.order_items oi",
        f"SELECT round(corr(oi.unit_price, oi.quantity)::numeric, 4) AS r FROM retail.order_items oi "
        f"WHERE oi.store_id = {_S}",
    ),
    AnalyticsCase(
        "customers_without_orders_left_join",
        "SELECT count(*) AS customers_without_orders FROM retail.customers c "
        "LEFT JOIN retail.orders o ON o.customer_id = c.customer_id WHERE o.order_id IS NULL",
        "SELECT count(*) AS customers_without_orders FROM retail.customers c "
        f"LEFT JOIN retail.orders o ON o.customer_id = c.customer_id AND o.store_id = {_S} "
        f"WHERE o.order_id IS NULL AND c.store_id = {_S}",
    ),
    AnalyticsCase(
        "categories_table_statement",
        "TABLE retail.categories ORDER BY category_id LIMIT 50",
        "TABLE retail.categories ORDER BY category_id LIMIT 50",
    ),
    AnalyticsCase(
        "discontinued_never_sold_except",
        "SELECT p.product_id FROM retail.products p WHERE p.discontinued "
        "EXCEPT SELECT oi.product_id FROM retail.order_items oi ORDER BY 1 LIMIT 50",
        "SELECT p.product_id FROM retail.products p WHERE p.discontinued "
        f"EXCEPT SELECT oi.product_id FROM retail.order_items oi WHERE oi.store_id = {_S} ORDER BY 1 LIMIT 50",
    ),
    AnalyticsCase(
        "out_of_stock_but_sold_intersect",
        "SELECT product_id FROM retail.inventory WHERE stock_level = 0 "
        "INTERSECT SELECT product_id FROM retail.order_items ORDER BY 1 LIMIT 50",
        f"SELECT product_id FROM retail.inventory WHERE stock_level = 0 AND store_id = {_S} "
        f"INTERSECT SELECT product_id FROM retail.order_items WHERE store_id = {_S} ORDER BY 1 LIMIT 50",
    ),
    AnalyticsCase(
        "sku_prefix_and_clean_names",
        r"SELECT p.product_id, substring(p.sku FROM 1 FOR 3) AS sku_prefix, "
        r"regexp_replace(p.product_name, '\s+', ' ', 'g') AS clean_name, position('-' IN p.sku) AS dash_at "
        r"FROM retail.products p ORDER BY p.product_id LIMIT 20",
        r"SELECT p.product_id, substring(p.sku FROM 1 FOR 3) AS sku_prefix, "
        r"regexp_replace(p.product_name, '\s+', ' ', 'g') AS clean_name, position('-' IN p.sku) AS dash_at "
        r"FROM retail.products p ORDER BY p.product_id LIMIT 20",
    ),
    AnalyticsCase(
        "order_value_histogram_numeric_series",
        "SELECT b.bucket * 100 AS from_amount, count(o.order_id) AS orders FROM generate_series(0, 9) AS b(bucket) "
        "LEFT JOIN retail.orders o ON width_bucket(o.total_amount, 0, 1000, 10) - 1 = b.bucket "
        "GROUP BY b.bucket ORDER BY b.bucket",
        "SELECT b.bucket * 100 AS from_amount, count(o.order_id) AS orders FROM generate_series(0, 9) AS b(bucket) "
        f"LEFT JOIN retail.orders o ON width_bucket(o.total_amount, 0, 1000, 10) - 1 = b.bucket AND o.store_id = {_S} "
        "GROUP BY b.bucket ORDER BY b.bucket",
    ),
    AnalyticsCase(
        "stores_with_stockouts_exists",
        "SELECT s.store_name FROM retail.stores s WHERE EXISTS "
        "(SELECT 1 FROM retail.inventory i WHERE i.store_id = s.store_id AND i.stock_level = 0) ORDER BY s.store_name",
        f"SELECT s.store_name FROM retail.stores s WHERE s.store_id = {_S} AND EXISTS "
        "(SELECT 1 FROM retail.inventory i WHERE i.store_id = s.store_id AND i.stock_level = 0 "
        f"AND i.store_id = {_S}) ORDER BY s.store_name",
    ),
    AnalyticsCase(
        "orders_per_store_scalar_subquery",
        "SELECT s.store_name, (SELECT count(*) FROM retail.orders o WHERE o.store_id = s.store_id) AS orders "
        "FROM retail.stores s ORDER BY s.store_name",
        "SELECT s.store_name, (SELECT count(*) FROM retail.orders o WHERE o.store_id = s.store_id "
        f"AND o.store_id = {_S}) AS orders FROM retail.stores s WHERE s.store_id = {_S} ORDER BY s.store_name",
    ),
    AnalyticsCase(
        "subtotal_matches_items_chained_ctes",
        "WITH item_totals AS (SELECT oi.order_id, sum(oi.total_amount) AS items_total "
        "FROM retail.order_items oi GROUP BY oi.order_id), "
        "checked AS (SELECT o.order_id, o.subtotal, it.items_total FROM retail.orders o "
        "JOIN item_totals it ON it.order_id = o.order_id) "
        "SELECT count(*) AS orders, count(*) FILTER (WHERE subtotal = items_total) AS matching FROM checked",
        "WITH item_totals AS (SELECT oi.order_id, sum(oi.total_amount) AS items_total "
        f"FROM retail.order_items oi WHERE oi.store_id = {_S} GROUP BY oi.order_id), "
        "checked AS (SELECT o.order_id, o.subtotal, it.items_total FROM retail.orders o "
        f"JOIN item_totals it ON it.order_id = o.order_id WHERE o.store_id = {_S}) "
        "SELECT count(*) AS orders, count(*) FILTER (WHERE subtotal = items_total) AS matching FROM checked",
    ),
    AnalyticsCase(
        "online_vs_physical_by_quarter",
        "SELECT date_trunc('quarter', o.order_date)::date AS quarter, "
        "sum(o.total_amount) FILTER (WHERE s.is_online) AS online, "
        "sum(o.total_amount) FILTER (WHERE NOT s.is_online) AS physical "
        "FROM retail.orders o JOIN retail.stores s ON s.store_id = o.store_id GROUP BY 1 ORDER BY 1",
        "SELECT date_trunc('quarter', o.order_date)::date AS quarter, "
        "sum(o.total_amount) FILTER (WHERE s.is_online) AS online, "
        "sum(o.total_amount) FILTER (WHERE NOT s.is_online) AS physical "
        "FROM retail.orders o JOIN retail.stores s ON s.store_id = o.store_id "
        f"WHERE o.store_id = {_S} AND s.store_id = {_S} GROUP BY 1 ORDER BY 1",
    ),
    AnalyticsCase(
        "unit_margin_greatest_least",
        "SELECT p.product_id, greatest(p.base_price - p.cost, 0) AS unit_margin, "
        "least(p.gross_margin_percent, 100) AS capped_margin FROM retail.products p ORDER BY p.product_id LIMIT 20",
        "SELECT p.product_id, greatest(p.base_price - p.cost, 0) AS unit_margin, "
        "least(p.gross_margin_percent, 100) AS capped_margin FROM retail.products p ORDER BY p.product_id LIMIT 20",
    ),
    AnalyticsCase(
        "customer_tenure_days_at_2025",
        "SELECT c.customer_id, date '2025-01-01' - c.created_at::date AS days_as_customer "
        "FROM retail.customers c ORDER BY c.customer_id LIMIT 20",
        "SELECT c.customer_id, date '2025-01-01' - c.created_at::date AS days_as_customer "
        f"FROM retail.customers c WHERE c.store_id = {_S} ORDER BY c.customer_id LIMIT 20",
    ),
    AnalyticsCase(
        "chairs_ilike",
        "SELECT p.product_id, p.product_name FROM retail.products p WHERE p.product_name ILIKE '%chair%' "
        "ORDER BY p.product_id LIMIT 20",
        "SELECT p.product_id, p.product_name FROM retail.products p WHERE p.product_name ILIKE '%chair%' "
        "ORDER BY p.product_id LIMIT 20",
    ),
    AnalyticsCase(
        "status_list_unnest_with_ordinality",
        "SELECT t.status, t.ord, count(o.order_id) AS orders "
        "FROM unnest(ARRAY['pending', 'shipped', 'completed']) WITH ORDINALITY AS t(status, ord) "
        "LEFT JOIN retail.orders o ON o.status = t.status GROUP BY t.status, t.ord ORDER BY t.ord",
        "SELECT t.status, t.ord, count(o.order_id) AS orders "
        "FROM unnest(ARRAY['pending', 'shipped', 'completed']) WITH ORDINALITY AS t(status, ord) "
        f"LEFT JOIN retail.orders o ON o.status = t.status AND o.store_id = {_S} "
        "GROUP BY t.status, t.ord ORDER BY t.ord",
    ),
    AnalyticsCase(
        "best_customer_per_store_row_number",
        "SELECT r.store_id, r.customer_id, r.total FROM (SELECT o.store_id, o.customer_id, "
        "sum(o.total_amount) AS total, row_number() OVER (PARTITION BY o.store_id "
        "ORDER BY sum(o.total_amount) DESC, o.customer_id) AS rn FROM retail.orders o "
        "GROUP BY o.store_id, o.customer_id) r WHERE r.rn = 1 ORDER BY r.store_id",
        "SELECT r.store_id, r.customer_id, r.total FROM (SELECT o.store_id, o.customer_id, "
        "sum(o.total_amount) AS total, row_number() OVER (PARTITION BY o.store_id "
        f"ORDER BY sum(o.total_amount) DESC, o.customer_id) AS rn FROM retail.orders o WHERE o.store_id = {_S} "
        "GROUP BY o.store_id, o.customer_id) r WHERE r.rn = 1 ORDER BY r.store_id",
    ),
    AnalyticsCase(
        "order_ids_padded_lpad",
        "SELECT lpad(o.order_id::text, 10, '0') AS padded, o.total_amount FROM retail.orders o "
        "ORDER BY o.order_id LIMIT 10",
        "SELECT lpad(o.order_id::text, 10, '0') AS padded, o.total_amount FROM retail.orders o "
        f"WHERE o.store_id = {_S} ORDER BY o.order_id LIMIT 10",
    ),
)


# --- Issue 12: one query per family the policy admits, written as an analyst would ------------------
# ``@(alias)`` marks where row-level security filters a store-scoped table: the model's query has
# ``true`` there, the owner's reference the explicit store filter on that alias.

_MARK = re.compile(r"@\((\w+)\)")


def _family(id: str, sql: str, *, compare_rows: bool = True) -> AnalyticsCase:
    reference = _MARK.sub(r"\1.store_id = ANY({stores})", sql.replace("{", "{{").replace("}", "}}"))
    return AnalyticsCase(id, _MARK.sub("true", sql), reference, compare_rows)


_O = "FROM retail.orders o WHERE @(o)"
_OI = "FROM retail.order_items oi JOIN retail.products p USING (product_id) WHERE @(oi)"
_C = "FROM retail.customers c WHERE @(c)"

_FAMILIES: tuple[tuple[str, str], ...] = (
    # intervals, now exact
    ("age_of_order_history", f"SELECT age(max(o.order_date), min(o.order_date)) AS span {_O}"),
    (
        "justify_interval_of_span",
        f"SELECT justify_interval(max(o.created_at) - min(o.created_at)), justify_hours(interval '50 hours') {_O}",
    ),
    ("justify_days_of_gap", f"SELECT justify_days(make_interval(days => count(*)::int)) {_O}"),
    (
        "average_gap_between_orders",
        f"SELECT date_trunc('second', (max(o.created_at) - min(o.created_at)) / greatest(count(*) - 1, 1)) {_O}",
    ),
    (
        "interval_per_status",
        f"SELECT o.status, age(max(o.order_date), min(o.order_date)) {_O} GROUP BY o.status ORDER BY 1",
    ),
    ("make_interval_months", "SELECT make_interval(years => 1, months => 2, days => 3, hours => 4)"),
    ("interval_arithmetic_literal", "SELECT interval '1 year 2 months' - interval '3 days 04:05:06.5'"),
    ("extract_epoch_of_age", f"SELECT extract(epoch FROM max(o.created_at) - min(o.created_at))::bigint {_O}"),
    # date/time
    (
        "orders_by_iso_week",
        f"SELECT extract(isoyear FROM o.order_date) AS y, extract(week FROM o.order_date) AS w, "
        f"count(*) {_O} GROUP BY 1, 2 ORDER BY 1, 2 LIMIT 30",
    ),
    ("orders_by_weekday_name", f"SELECT to_char(o.order_date, 'Dy') AS d, count(*) {_O} GROUP BY 1 ORDER BY 1"),
    (
        "date_bin_weekly",
        f"SELECT date_bin('7 days', o.order_date::timestamp, timestamp '2020-01-06') AS wk, count(*) "
        f"{_O} GROUP BY 1 ORDER BY 1 LIMIT 20",
    ),
    (
        "quarter_revenue",
        f"SELECT date_trunc('quarter', o.order_date)::date AS q, sum(o.total_amount) {_O} GROUP BY 1 ORDER BY 1",
    ),
    (
        "first_and_last_order_date",
        f"SELECT min(o.order_date), max(o.order_date), max(o.order_date) - min(o.order_date) {_O}",
    ),
    (
        "orders_in_overlap",
        f"SELECT count(*) {_O} AND (o.order_date, o.order_date + 1) OVERLAPS (date '2024-01-01', date '2024-06-30')",
    ),
    (
        "make_date_month_start",
        f"SELECT make_date(extract(year FROM o.order_date)::int, extract(month FROM o.order_date)::int, 1) "
        f"AS m, count(*) {_O} GROUP BY 1 ORDER BY 1 LIMIT 24",
    ),
    ("timestamp_at_time_zone", f"SELECT date_trunc('day', max(o.created_at) AT TIME ZONE 'America/Los_Angeles') {_O}"),
    (
        "infinity_date_default",
        f"SELECT coalesce(max(o.order_date) FILTER (WHERE o.status = 'no-such-status'), 'infinity'::date) {_O}",
    ),
    (
        "calendar_from_data_range",
        f"SELECT count(*) FROM generate_series((SELECT min(o.order_date) {_O}), "
        f"(SELECT max(o.order_date) {_O}), interval '1 month') AS m",
    ),
    # numeric / math / money
    ("numeric_exact_sum", f"SELECT sum(o.total_amount), sum(o.subtotal) - sum(o.discount_amount) {_O}"),
    ("numeric_division_scale", f"SELECT round(sum(o.total_amount) / nullif(count(*), 0), 6) {_O}"),
    ("money_total", f"SELECT sum(o.total_amount)::money {_O}"),
    (
        "float_stats",
        f"SELECT round(stddev_samp(o.total_amount)::numeric, 4), round(variance(o.total_amount)::numeric, 4) {_O}",
    ),
    (
        "log_scale_buckets",
        f"SELECT floor(log(greatest(o.total_amount, 1)))::int AS b, count(*) {_O} GROUP BY 1 ORDER BY 1",
    ),
    (
        "width_bucket_histogram",
        f"SELECT width_bucket(o.total_amount, 0, 1000, 10) AS b, count(*) {_O} GROUP BY 1 ORDER BY 1",
    ),
    ("gcd_lcm_quantities", "SELECT gcd(12, 18), lcm(4, 6), div(17, 5), mod(17, 5), cbrt(27::float8), pi() > 3"),
    (
        "sqrt_power_exp",
        f"SELECT round(sqrt(sum(oi.quantity))::numeric, 3), power(2, 10), round(exp(1)::numeric, 6) {_OI}",
    ),
    ("ceil_floor_trunc_sign", "SELECT ceil(-1.5), floor(-1.5), trunc(-1.57, 1), sign(-3), abs(-2.5), scale(1.250)"),
    ("nan_and_infinity", "SELECT 'NaN'::numeric, 'Infinity'::float8, '-Infinity'::numeric, 'NaN'::float8"),
    ("degrees_radians", "SELECT round(degrees(pi())::numeric, 6), round(radians(180)::numeric, 6)"),
    ("num_nulls", f"SELECT sum(num_nulls(o.customer_id, o.status)), sum(num_nonnulls(o.customer_id, o.status)) {_O}"),
    # aggregates, ordered-set and hypothetical-set
    (
        "percentiles_of_orders",
        f"SELECT percentile_disc(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY o.total_amount) {_O}",
    ),
    (
        "percentile_cont_per_status",
        f"SELECT o.status, round(percentile_cont(0.9) WITHIN GROUP (ORDER BY o.total_amount)::numeric, 2) "
        f"{_O} GROUP BY o.status ORDER BY 1",
    ),
    ("mode_of_status", f"SELECT mode() WITHIN GROUP (ORDER BY o.status) {_O}"),
    (
        "rank_of_hypothetical_order",
        f"SELECT rank(500) WITHIN GROUP (ORDER BY o.total_amount), "
        f"dense_rank(500) WITHIN GROUP (ORDER BY o.total_amount) {_O}",
    ),
    (
        "percent_rank_hypothetical",
        f"SELECT round(percent_rank(250) WITHIN GROUP (ORDER BY o.total_amount)::numeric, 6), "
        f"round(cume_dist(250) WITHIN GROUP (ORDER BY o.total_amount)::numeric, 6) {_O}",
    ),
    (
        "regression_of_total_on_subtotal",
        f"SELECT round(regr_slope(o.total_amount, o.subtotal)::numeric, 6), "
        f"round(corr(o.total_amount, o.subtotal)::numeric, 6), regr_count(o.total_amount, o.subtotal) {_O}",
    ),
    (
        "bool_aggregates",
        f"SELECT bool_and(o.total_amount >= 0), bool_or(o.discount_amount > 0), every(o.subtotal >= 0) {_O}",
    ),
    ("filtered_aggregates", f"SELECT count(*) FILTER (WHERE o.discount_amount > 0), count(*) {_O}"),
    (
        "any_value_per_status",
        f"SELECT o.status, min(o.order_date), count(DISTINCT o.customer_id) {_O} GROUP BY o.status ORDER BY 1",
    ),
    (
        "grouping_sets_status_month",
        f"SELECT o.status, date_trunc('year', o.order_date)::date AS y, count(*), grouping(o.status) "
        f"{_O} GROUP BY GROUPING SETS ((o.status), (2), ()) ORDER BY 1 NULLS LAST, 2 NULLS LAST",
    ),
    (
        "rollup_year_status",
        f"SELECT extract(year FROM o.order_date) AS y, o.status, count(*) {_O} "
        "GROUP BY ROLLUP (1, 2) ORDER BY 1 NULLS LAST, 2 NULLS LAST",
    ),
    (
        "cube_status_discounted",
        f"SELECT o.status, o.discount_amount > 0 AS d, count(*) {_O} GROUP BY CUBE (1, 2) "
        "ORDER BY 1 NULLS LAST, 2 NULLS LAST",
    ),
    ("string_agg_ordered_statuses", f"SELECT string_agg(DISTINCT o.status, ', ' ORDER BY o.status) {_O}"),
    ("array_agg_top_amounts", f"SELECT (array_agg(o.total_amount ORDER BY o.total_amount DESC, o.order_id))[1:3] {_O}"),
    (
        "jsonb_object_agg_by_status",
        f"SELECT jsonb_object_agg(s.status, s.n) FROM (SELECT o.status, count(*) AS n {_O} GROUP BY o.status) s",
    ),
    (
        "json_agg_of_rows",
        f"SELECT json_agg(x ORDER BY x.status) FROM (SELECT o.status, count(*) AS n {_O} GROUP BY o.status) x",
    ),
    # window functions
    (
        "running_total_by_month",
        f"SELECT m, revenue, sum(revenue) OVER (ORDER BY m) FROM (SELECT date_trunc('month', o.order_date)::date "
        f"AS m, sum(o.total_amount) AS revenue {_O} GROUP BY 1) t ORDER BY m LIMIT 24",
    ),
    (
        "moving_average_three_months",
        f"SELECT m, round(avg(revenue) OVER (ORDER BY m ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), 2) "
        f"FROM (SELECT date_trunc('month', o.order_date)::date AS m, sum(o.total_amount) AS revenue {_O} GROUP BY 1) t ORDER BY m LIMIT 24",
    ),
    (
        "month_over_month_lag",
        f"SELECT m, revenue - lag(revenue) OVER (ORDER BY m) FROM (SELECT date_trunc('month', o.order_date)::date "
        f"AS m, sum(o.total_amount) AS revenue {_O} GROUP BY 1) t ORDER BY m LIMIT 24",
    ),
    (
        "lead_next_order_gap",
        f"SELECT o.customer_id, o.order_date, lead(o.order_date) OVER w - o.order_date {_O} "
        "WINDOW w AS (PARTITION BY o.customer_id ORDER BY o.order_date, o.order_id) ORDER BY o.customer_id, o.order_date, 3 LIMIT 30",
    ),
    (
        "ntile_quartiles",
        f"SELECT q, count(*), min(t) FROM (SELECT ntile(4) OVER (ORDER BY o.total_amount, o.order_id) AS q, "
        f"o.total_amount AS t {_O}) x GROUP BY q ORDER BY q",
    ),
    (
        "first_last_nth_value",
        f"SELECT DISTINCT o.status, first_value(o.total_amount) OVER w, last_value(o.total_amount) OVER w, "
        f"nth_value(o.total_amount, 2) OVER w {_O} WINDOW w AS (PARTITION BY o.status ORDER BY o.total_amount, o.order_id "
        "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) ORDER BY 1",
    ),
    (
        "percent_rank_of_customers",
        f"SELECT x.customer_id, round(percent_rank() OVER (ORDER BY x.s, x.customer_id)::numeric, 4) "
        f"FROM (SELECT o.customer_id, sum(o.total_amount) AS s {_O} GROUP BY 1) x ORDER BY 2 DESC, 1 LIMIT 10",
    ),
    (
        "window_range_interval",
        f"SELECT d, count(*) OVER (ORDER BY d RANGE BETWEEN interval '6 days' PRECEDING AND CURRENT ROW) "
        f"FROM (SELECT DISTINCT o.order_date AS d {_O}) t ORDER BY d LIMIT 30",
    ),
    (
        "window_groups_exclude",
        f"SELECT d, sum(n) OVER (ORDER BY d GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW) "
        f"FROM (SELECT o.order_date AS d, count(*) AS n {_O} GROUP BY 1) t ORDER BY d LIMIT 30",
    ),
    # strings and regular expressions
    (
        "regexp_split_to_table_words",
        f"SELECT w, count(*) FROM (SELECT regexp_split_to_table(lower(p.product_name), '\\s+') AS w {_OI}) t "
        "GROUP BY w ORDER BY 2 DESC, 1 LIMIT 15",
    ),
    (
        "regexp_replace_digits",
        f"SELECT regexp_replace(c.phone, '[^0-9]', '', 'g') AS digits {_C} ORDER BY c.customer_id LIMIT 10",
    ),
    (
        "regexp_match_domain",
        f"SELECT (regexp_match(c.email, '@(.*)$'))[1] AS domain, count(*) {_C} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10",
    ),
    (
        "regexp_count_vowels",
        f"SELECT c.customer_id, regexp_count(c.first_name, '[aeiou]', 1, 'i') {_C} ORDER BY 1 LIMIT 10",
    ),
    ("regexp_like_filter", f"SELECT count(*) {_C} AND regexp_like(c.email, '^[a-m]', 'i')"),
    (
        "regexp_substr_instr",
        f"SELECT regexp_substr(c.email, '[a-z]+'), regexp_instr(c.email, '@') {_C} ORDER BY c.customer_id LIMIT 10",
    ),
    (
        "regexp_matches_all",
        f"SELECT m[1], count(*) FROM (SELECT regexp_matches(p.product_name, '([A-Z][a-z]+)', 'g') AS m {_OI}) t "
        "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10",
    ),
    ("overlay_mask_email", f"SELECT overlay(c.email placing '***' from 2 for 3) {_C} ORDER BY c.customer_id LIMIT 10"),
    (
        "initials_and_case",
        f"SELECT upper(left(c.first_name, 1)) || upper(left(c.last_name, 1)), initcap(lower(c.last_name)) {_C} "
        "ORDER BY c.customer_id LIMIT 10",
    ),
    (
        "split_part_and_position",
        f"SELECT split_part(c.email, '@', 2), position('@' in c.email), strpos(c.email, '.') {_C} "
        "ORDER BY c.customer_id LIMIT 10",
    ),
    ("string_to_table_tags", "SELECT t, length(t) FROM string_to_table('alpha,beta,gamma', ',') AS t ORDER BY t"),
    (
        "translate_and_reverse",
        f"SELECT translate(c.phone, '-()', '   '), reverse(c.first_name) {_C} ORDER BY c.customer_id LIMIT 5",
    ),
    (
        "repeat_bar_chart_least",
        f"SELECT o.status, repeat('#', LEAST((count(*) / 10)::int, 60)) {_O} GROUP BY 1 ORDER BY 1",
    ),
    (
        "rpad_capped_by_case",
        f"SELECT rpad(o.status, CASE WHEN o.status = 'completed' THEN 12 ELSE 10 END, '.') {_O} "
        "GROUP BY o.status ORDER BY 1",
    ),
    ("format_report_line", f"SELECT format('%s: %s orders', o.status, count(*)) {_O} GROUP BY o.status ORDER BY 1"),
    ("concat_ws_names", f"SELECT concat_ws(' ', c.first_name, c.last_name) {_C} ORDER BY c.customer_id LIMIT 10"),
    (
        "like_and_similar",
        f"SELECT count(*) FILTER (WHERE c.email LIKE '%.com'), count(*) FILTER (WHERE c.last_name SIMILAR TO '[A-M]%') {_C}",
    ),
    ("md5_bucket", f"SELECT left(md5(c.customer_id::text), 1) AS b, count(*) {_C} GROUP BY 1 ORDER BY 1"),
    # full-text search
    (
        "search_document_websearch",
        f"SELECT count(*) {_OI} AND p.search_document @@ websearch_to_tsquery('english', 'jacket OR shirt')",
    ),
    (
        "search_plainto_rank",
        f"SELECT p.product_id, round(ts_rank(p.search_document, plainto_tsquery('english', 'waterproof'))::numeric, 6) "
        f"AS r, sum(oi.quantity) {_OI} GROUP BY 1, 2 ORDER BY 2 DESC, 1 LIMIT 10",
    ),
    (
        "search_to_tsquery_prefix",
        f"SELECT count(DISTINCT p.product_id) {_OI} AND p.search_document @@ to_tsquery('english', 'shoe:*')",
    ),
    (
        "search_phrase",
        f"SELECT count(*) {_OI} AND to_tsvector('english', p.product_name) @@ phraseto_tsquery('english', 'running shoes')",
    ),
    (
        "search_regconfig_cast",
        f"SELECT count(*) {_OI} AND to_tsvector('english'::regconfig, p.product_description) "
        "@@ to_tsquery('english'::regconfig, 'comfort')",
    ),
    (
        "search_rank_cd",
        f"SELECT p.product_id, round(ts_rank_cd(p.search_document, to_tsquery('english', 'bag | pack'))::numeric, 6) "
        f"{_OI} GROUP BY 1, 2 ORDER BY 2 DESC, 1 LIMIT 10",
    ),
    (
        "search_headline",
        f"SELECT DISTINCT p.product_id, ts_headline('english', p.product_name, to_tsquery('english', 'shirt')) "
        f"{_OI} AND p.search_document @@ to_tsquery('english', 'shirt') ORDER BY 1 LIMIT 10",
    ),
    (
        "tsvector_lexemes",
        f"SELECT lexeme, count(*) FROM (SELECT unnest(tsvector_to_array(p.search_document)) AS lexeme {_OI}) t "
        "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10",
    ),
    (
        "tsvector_value",
        "SELECT to_tsvector('english', 'The quick brown foxes'), setweight(to_tsvector('simple', 'a b'), 'A')",
    ),
    ("tsquery_value", "SELECT websearch_to_tsquery('english', '\"red shoes\" -boots'), numnode(to_tsquery('a & b'))"),
    # JSON
    (
        "jsonb_to_recordset_targets",
        'SELECT t.status, t.target FROM jsonb_to_recordset(\'[{"status": "completed", "target": 10}, '
        '{"status": "pending", "target": 2}]\') AS t(status text, target int) ORDER BY 1',
    ),
    (
        "json_to_recordset_join",
        'SELECT t.status, t.label, count(o.order_id) FROM json_to_recordset(\'[{"status": "completed", '
        '"label": "done"}]\') AS t(status text, label text) LEFT JOIN retail.orders o ON o.status = t.status AND @(o) '
        "GROUP BY 1, 2 ORDER BY 1",
    ),
    ("jsonb_to_record_row", 'SELECT r.a, r.b FROM jsonb_to_record(\'{"a": 1, "b": [1, 2]}\') AS r(a int, b jsonb)'),
    (
        "json_to_record_of_row",
        "SELECT r.status, count(*) FROM retail.orders o, json_to_record(row_to_json(o)) AS r(status text) "
        "WHERE @(o) GROUP BY 1 ORDER BY 1",
    ),
    ("jsonb_build_and_extract", f"SELECT (jsonb_build_object('n', count(*), 's', sum(o.total_amount)))->>'n' {_O}"),
    (
        "jsonb_each_of_agg",
        f"SELECT e.key, e.value FROM (SELECT jsonb_object_agg(o.status, 1) AS j {_O}) x, jsonb_each(x.j) e ORDER BY 1",
    ),
    (
        "jsonb_path_query",
        f"SELECT jsonb_path_query_array(jsonb_agg(o.total_amount ORDER BY o.order_id), '$[0 to 2]') {_O}",
    ),
    (
        "json_table_of_literal",
        "SELECT jt.* FROM JSON_TABLE('[{\"a\": 1}, {\"a\": 2}]'::jsonb, '$[*]' COLUMNS (a int PATH '$.a')) AS jt",
    ),
    # arrays and ranges
    (
        "array_functions",
        "SELECT array_length(ARRAY[[1, 2], [3, 4]], 1), cardinality(ARRAY[1, 2, 3]), array_position(ARRAY['a', 'b'], 'b'), "
        "array_remove(ARRAY[1, 2, 1], 1), array_cat(ARRAY[1], ARRAY[2]), trim_array(ARRAY[1, 2, 3], 1)",
    ),
    ("multidimensional_array", "SELECT ARRAY[[1, 2], [3, 4]], ARRAY[ARRAY['a', 'b']], '{{1.5, 2.5}}'::numeric[]"),
    ("unnest_multiple", "SELECT * FROM unnest(ARRAY[1, 2], ARRAY['a', 'b']) AS t(n, s) ORDER BY n"),
    ("date_ranges_of_orders", f"SELECT daterange(min(o.order_date), max(o.order_date), '[]') {_O}"),
    ("range_containment", f"SELECT count(*) {_O} AND daterange('2024-01-01', '2024-04-01') @> o.order_date"),
    (
        "range_values",
        "SELECT int4range(1, 10), numrange(1.5, 2.5, '[]'), 'empty'::int8range, "
        "'{[1,3), [5,7)}'::int4multirange, upper(int4range(1, 10)) - lower(int4range(1, 10))",
    ),
    ("range_agg_of_weeks", f"SELECT range_agg(daterange(o.order_date, o.order_date + 7)) IS NOT NULL {_O}"),
    # other types
    ("uuid_and_bytea_values", f"SELECT min(o.order_id::text)::uuid, '\\x0102ff'::bytea, decode('00ff', 'hex') {_O}"),
    ("inet_and_bits", "SELECT '192.168.1.10/24'::inet, '10.0.0.0/8'::cidr, B'1011', '1011'::varbit & B'0110'"),
    ("row_values", f"SELECT ROW(count(*), max(o.status)) {_O}"),
    ("composite_table_row", "SELECT c FROM retail.categories c ORDER BY c.category_id LIMIT 3"),
    ("time_values", "SELECT time '12:34:56.789', timetz '12:00:00+02', timestamptz 'infinity', date '-infinity'"),
    # series with computed bounds
    (
        "series_to_max_quantity",
        "SELECT g, count(oi.order_item_id) FROM generate_series(1, (SELECT max(x.quantity) "
        "FROM retail.order_items x WHERE @(x))) AS g LEFT JOIN retail.order_items oi ON oi.quantity = g AND @(oi) GROUP BY g ORDER BY g",
    ),
    ("series_constant_arithmetic", "SELECT g * 5 FROM generate_series(1, 10 * 2) AS g ORDER BY 1"),
    ("series_of_order_count", f"SELECT count(*) FROM generate_series(1, (SELECT count(*) {_O})) AS g"),
    ("explain_costs_off", f"EXPLAIN (COSTS OFF) SELECT o.status, count(*) {_O} GROUP BY o.status"),
    (
        "tablesample_repeatable_count",
        "SELECT count(*) >= 0 FROM retail.orders o TABLESAMPLE BERNOULLI (50) REPEATABLE (7)",
    ),
    ("random_sample_size", "SELECT count(*) FROM (SELECT o.order_id FROM retail.orders o ORDER BY random() LIMIT 5) s"),
)

_NOT_COMPARED = frozenset({"explain_costs_off", "tablesample_repeatable_count", "random_sample_size"})

ANALYTICS_CASES += tuple(_family(i, sql, compare_rows=i not in _NOT_COMPARED) for i, sql in _FAMILIES)
