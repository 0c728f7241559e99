namespace Pipekit.Cli.Demo;

/// <summary>
/// The demo's project file, as a team keeps it in git: its connections (a shop, a warehouse, a Parquet lake), four
/// modules and a group with its schedule. The demo writes it next to its data and applies it with the same code as <c>pipekit apply -f</c>.
/// </summary>
internal static class DemoProject
{
    public static string Toml(string shopPath, string warehousePath, string lakePath) => $$"""
        # The demo's project: a SQLite shop synced into a DuckDB warehouse.
        # Preview a change with: pipekit apply -f project.toml --dry-run; make it with: pipekit apply -f project.toml

        [[connections]]
        name = "shop"
        url = "sqlite://{{shopPath}}"
        default_dest_connection = "warehouse"
        default_dest_schema = "analytics"
        notes = "demo source"

        [[connections]]
        name = "warehouse"
        url = "duckdb://{{warehousePath}}"
        password = "$WAREHOUSE_PW"
        notes = "demo destination"

        [[connections]]
        name = "lake"
        url = "parquet://{{lakePath}}"
        notes = "demo Parquet lake (Query datasets)"

        [[modules]]
        name = "customers"
        source = "shop"
        destination = "warehouse"
        dest_table = "analytics.customers"
        merge_strategy = "full"
        source_query = '''
        SELECT customer_id, RTRIM(name) AS name, email, country, created_at
        FROM customers'''

        [[modules.columns]]
        source_name = "customer_id"
        dest_name = "customer_id"
        dest_type = "BIGINT"

        [[modules.columns]]
        source_name = "name"
        dest_name = "name"
        dest_type = "VARCHAR"

        [[modules.columns]]
        source_name = "email"
        dest_name = "email"
        dest_type = "VARCHAR"

        [[modules.columns]]
        source_name = "country"
        dest_name = "country"
        dest_type = "VARCHAR"

        [[modules.columns]]
        source_name = "created_at"
        dest_name = "created_at"
        dest_type = "TIMESTAMP"

        # Incremental on two watermarks, as in the spec's example: rows changed since the newest
        # updated_at already in the warehouse, plus any order id beyond the highest one there. Orders
        # deleted in the shop are deleted here too, and every run checks that the keys on both sides agree.
        [[modules]]
        name = "orders"
        source = "shop"
        destination = "warehouse"
        dest_table = "analytics.orders"
        merge_strategy = "incremental"
        merge_key = "order_id"
        delete_detection = "hard"
        keys_query = "SELECT order_id FROM orders"
        verify = "keys"
        source_query = '''
        SELECT order_id, customer_id, status, amount, ordered_at, updated_at
        FROM orders
        WHERE updated_at > '{since}' OR order_id > {max_id}'''

        [[modules.columns]]
        source_name = "order_id"
        dest_name = "order_id"
        dest_type = "BIGINT"

        [[modules.columns]]
        source_name = "customer_id"
        dest_name = "customer_id"
        dest_type = "BIGINT"

        [[modules.columns]]
        source_name = "status"
        dest_name = "status"
        dest_type = "VARCHAR"

        [[modules.columns]]
        source_name = "amount"
        dest_name = "amount"
        dest_type = "DECIMAL(12,2)"

        [[modules.columns]]
        source_name = "ordered_at"
        dest_name = "ordered_at"
        dest_type = "TIMESTAMP"

        [[modules.columns]]
        source_name = "updated_at"
        dest_name = "updated_at"
        dest_type = "TIMESTAMP"

        [[modules.watermarks]]
        name = "since"
        connection = "warehouse"
        resolver_sql = "SELECT strftime(max(updated_at), '%Y-%m-%d %H:%M:%S') FROM analytics.orders"
        default_value = "1970-01-01 00:00:00"

        [[modules.watermarks]]
        name = "max_id"
        connection = "warehouse"
        resolver_sql = "SELECT max(order_id) FROM analytics.orders"
        default_value = "0"

        [[modules.hooks]]
        run_order = 1
        connection = "warehouse"
        run_on = "success"
        sql = "CREATE OR REPLACE TABLE analytics.daily_revenue AS SELECT CAST(ordered_at AS DATE) AS day, count(*) AS orders, sum(amount) AS revenue FROM analytics.orders WHERE status <> 'cancelled' GROUP BY 1"

        # Append-only: events are never updated, so only new ones are pulled.
        [[modules]]
        name = "order_events"
        source = "shop"
        destination = "warehouse"
        dest_table = "analytics.order_events"
        merge_strategy = "append"
        source_query = '''
        SELECT event_id, order_id, event, happened_at
        FROM order_events
        WHERE event_id > {last_event}'''

        [[modules.columns]]
        source_name = "event_id"
        dest_name = "event_id"
        dest_type = "BIGINT"

        [[modules.columns]]
        source_name = "order_id"
        dest_name = "order_id"
        dest_type = "BIGINT"

        [[modules.columns]]
        source_name = "event"
        dest_name = "event"
        dest_type = "VARCHAR"

        [[modules.columns]]
        source_name = "happened_at"
        dest_name = "happened_at"
        dest_type = "TIMESTAMP"

        [[modules.watermarks]]
        name = "last_event"
        connection = "warehouse"
        resolver_sql = "SELECT max(event_id) FROM analytics.order_events"
        default_value = "0"

        # The warehouse's orders into the Parquet lake: the dataset lake_orders, queryable by POST /sql after each run.
        [[modules]]
        name = "lake_orders"
        source = "warehouse"
        destination = "lake"
        dest_table = "lake_orders"
        merge_strategy = "full"
        source_query = '''
        SELECT order_id, customer_id, status, amount, ordered_at
        FROM analytics.orders'''

        [[modules.columns]]
        source_name = "order_id"
        dest_name = "order_id"
        dest_type = "BIGINT"

        [[modules.columns]]
        source_name = "customer_id"
        dest_name = "customer_id"
        dest_type = "BIGINT"

        [[modules.columns]]
        source_name = "status"
        dest_name = "status"
        dest_type = "VARCHAR"

        [[modules.columns]]
        source_name = "amount"
        dest_name = "amount"
        dest_type = "DECIMAL(12,2)"

        [[modules.columns]]
        source_name = "ordered_at"
        dest_name = "ordered_at"
        dest_type = "TIMESTAMP"

        [[groups]]
        name = "nightly"
        modules = ["customers", "orders", "order_events"]

        [[groups.schedules]]
        cron_expr = "0 20 2 * * *"
        timezone = "Europe/London"
        """;
}
