namespace Pipekit.Cli.Demo;

/// <summary>
/// The demo's <c>daily_report</c> pipeline: a python task that reads a secret through the SDK, a SQL transform in the
/// DuckDB warehouse, and a shell task that publishes the report file. Written as a Pit project in the demo workspace.
/// </summary>
internal static class DemoPipeline
{
    public const string Name = "daily_report";

    public const string PitToml = """
        # The demo's pipeline: a Pit project. Validate with 'pipekit pipelines validate', run with 'pipekit pipelines run daily_report'.
        [dag]
        name = "daily_report"
        schedule = "30 6 * * *"   # 06:30 UTC, fired by 'pipekit serve'
        overlap = "skip"
        timeout = "10m"

        [dag.sql]
        connection = "warehouse_db"   # a secret in [daily_report] of the secrets file

        [[tasks]]
        name = "check_source"
        script = "tasks/check_source.py"
        timeout = "1m"
        retries = 2
        retry_delay = "2s"

        [[tasks]]
        name = "build_report"
        script = "tasks/build_report.sql"
        depends_on = ["check_source"]

        [[tasks]]
        name = "publish"
        script = "tasks/publish.sh"
        depends_on = ["build_report"]

        [[outputs]]
        name = "report"
        type = "table"
        location = "warehouse.analytics.daily_report"
        """;

    public const string CheckSource = """
        # Reads the report recipient through the SDK socket: the secret comes from [daily_report], else [global].
        import os

        from pit import sdk

        recipient = sdk.get_secret("report_recipient")
        token = sdk.get_secret("report_api_token")
        print(f"run {os.environ['PIT_RUN_ID']}: the report goes to {recipient}; the API token has {len(token)} characters")
        print(f"printing the token is safe, the log redacts it: {token}")
        """;

    public const string BuildReport = """
        -- Runs in-process on the warehouse named by [dag.sql].connection.
        CREATE OR REPLACE TABLE analytics.daily_report AS
        SELECT CAST(o.ordered_at AS DATE) AS day,
               c.country,
               count(*)                   AS orders,
               sum(o.amount)              AS revenue
        FROM analytics.orders o
        JOIN analytics.customers c ON c.customer_id = o.customer_id
        WHERE o.status <> 'cancelled'
        GROUP BY 1, 2;
        """;

    public const string Publish = """
        #!/usr/bin/env bash
        # Publishes a marker file next to the run; a real pipeline would upload or mail the report here.
        set -euo pipefail
        out="../report-$PIT_RUN_ID.txt"
        echo "daily_report run $PIT_RUN_ID published by $PIT_TASK_NAME" > "$out"
        echo "wrote $(cd .. && pwd)/report-$PIT_RUN_ID.txt"
        """;

    public static async Task WriteAsync(string workspace, CancellationToken ct)
    {
        var directory = Path.Combine(workspace, "projects", Name);
        Directory.CreateDirectory(Path.Combine(directory, "tasks"));
        await File.WriteAllTextAsync(Path.Combine(directory, "pit.toml"), PitToml + "\n", ct);
        await File.WriteAllTextAsync(Path.Combine(directory, "tasks", "check_source.py"), CheckSource + "\n", ct);
        await File.WriteAllTextAsync(Path.Combine(directory, "tasks", "build_report.sql"), BuildReport + "\n", ct);
        await File.WriteAllTextAsync(Path.Combine(directory, "tasks", "publish.sh"), Publish + "\n", ct);
    }
}
