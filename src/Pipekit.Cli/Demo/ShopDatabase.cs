using Microsoft.Data.Sqlite;

namespace Pipekit.Cli.Demo;

/// <summary>
/// The demo's source system: a SQLite "shop" with customers, orders and order events, generated
/// deterministically (the same rows on every machine) with recursive CTEs, so it takes a second or two.
/// </summary>
internal static class ShopDatabase
{
    public const int Customers = 5_000;
    public const int Orders = 200_000;

    public static async Task CreateAsync(string path, CancellationToken ct)
    {
        if (File.Exists(path)) File.Delete(path);
        await using var c = new SqliteConnection($"Data Source={path};Pooling=false");
        await c.OpenAsync(ct);
        await ExecuteAsync(c, $"""
            PRAGMA journal_mode = WAL;
            CREATE TABLE customers (
                customer_id INTEGER PRIMARY KEY,
                name        VARCHAR(80) NOT NULL,
                email       VARCHAR(120) NOT NULL,
                country     CHAR(2) NOT NULL,
                created_at  DATETIME NOT NULL
            );
            CREATE TABLE orders (
                order_id    INTEGER PRIMARY KEY,
                customer_id INTEGER NOT NULL REFERENCES customers (customer_id),
                status      VARCHAR(20) NOT NULL,
                amount      DECIMAL(12,2) NOT NULL,
                ordered_at  DATETIME NOT NULL,
                updated_at  DATETIME NOT NULL
            );
            CREATE INDEX orders_updated ON orders (updated_at);
            CREATE TABLE order_events (
                event_id    INTEGER PRIMARY KEY,
                order_id    INTEGER NOT NULL,
                event       VARCHAR(20) NOT NULL,
                happened_at DATETIME NOT NULL
            );
            BEGIN;
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Customers})
            INSERT INTO customers
            SELECT i,
                   'Customer ' || i,
                   'customer' || i || '@example.com',
                   substr('USGBDEFRNLSEESITPLCA', 1 + (i * 7 % 10) * 2, 2),
                   datetime('2024-01-01', '+' || (i % 600) || ' days')
            FROM n;
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Orders})
            INSERT INTO orders
            SELECT i,
                   1 + (i * 7919) % {Customers},
                   CASE i % 10 WHEN 0 THEN 'cancelled' WHEN 1 THEN 'pending' ELSE 'shipped' END,
                   round(5 + (i * 48271 % 100000) / 100.0, 2),
                   datetime('2025-01-01', '+' || (i * 13 % 525600) || ' minutes'),
                   datetime('2025-06-01', '+' || (i * 29 % 262800) || ' minutes')
            FROM n;
            INSERT INTO order_events (order_id, event, happened_at)
            SELECT order_id, 'placed', ordered_at FROM orders WHERE order_id % 4 = 0;
            COMMIT;
            """, ct);
    }

    /// <summary>What happens in the shop between two nightly runs: updates, new orders, new events, a renamed customer.</summary>
    public static async Task<string> ChangeAsync(string path, CancellationToken ct)
    {
        await using var c = new SqliteConnection($"Data Source={path};Pooling=false");
        await c.OpenAsync(ct);
        await ExecuteAsync(c, $"""
            BEGIN;
            UPDATE orders SET status = 'returned', updated_at = '2026-01-02 09:00:00' WHERE order_id % 200 = 7;
            WITH RECURSIVE n(i) AS (SELECT {Orders} + 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Orders} + 500)
            INSERT INTO orders
            SELECT i, 1 + (i * 7919) % {Customers}, 'pending', round(10 + (i % 9000) / 100.0, 2), '2026-01-02 10:00:00', '2026-01-02 10:00:00'
            FROM n;
            INSERT INTO order_events (order_id, event, happened_at)
            SELECT order_id, 'returned', updated_at FROM orders WHERE status = 'returned';
            UPDATE customers SET name = name || ' (renamed)' WHERE customer_id <= 10;
            DELETE FROM orders WHERE order_id % 1000 = 11 AND order_id <= {Orders};
            COMMIT;
            """, ct);
        return "1,000 orders returned, 500 new orders, 200 orders deleted, 1,000 new events, 10 customers renamed";
    }

    private static async Task ExecuteAsync(SqliteConnection c, string sql, CancellationToken ct)
    {
        await using var command = c.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }
}
