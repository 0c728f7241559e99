using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Pipekit.Core.Secrets;
using Xunit;

namespace Pipekit.Server.Tests.Hostile;

/// <summary>
/// A secret never leaves the server in any form (raw, SQL-quoted, JSON-escaped, URL-encoded in each style): not in a
/// response, the server's log, the run log or the state file; a secret added while the server runs is used and masked at
/// once; and masking never flows back into a stored definition.
/// </summary>
public sealed class SecretFormsFacts : IDisposable
{
    private const string FormsName = "FORMS_PW";
    private const string FormsValue = "S3cr3t-V@lue! it's \"q\" a\\b +/:é";
    private const string SchemaName = "ORDERS_TABLE";
    private const string SchemaValue = "orders_copy";

    private readonly CapturedLog _log = new();
    private readonly PipekitApp _app;

    public SecretFormsFacts()
    {
        _app = new PipekitApp(secrets: new Dictionary<string, string> { [FormsName] = FormsValue, [SchemaName] = SchemaValue }, log: _log);
    }

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Every_form_of_a_secret_is_absent_from_responses_the_log_the_run_log_and_the_state_file()
    {
        var client = _app.Client();
        var bodies = new StringBuilder();
        var dest = await client.CreateConnectionAsync("dest", $"sqlite://{_app.DestPath}");
        var source = await client.CreateConnectionAsync("source", $"duckdb://{_app.File("source.duckdb")}");
        var module = await client.CreateOrdersModuleAsync(source, dest, "leaky", "leaky_out",
            $"SELECT error(concat_ws(' | ', {string.Join(", ", SecretForms.Of(FormsValue).Select(f => SecretForms.Built(f.Text)))})) AS id, 'n' AS customer, 1 AS amount");

        var started = await client.PostJsonAsync($"/api/modules/{module}/run", expected: HttpStatusCode.Accepted);
        var runId = (long)started["run_id"]!;
        var run = await client.WaitForRunAsync(runId);
        Assert.Equal("error", (string)run["status"]!);
        Assert.Contains(Redactor.Mask, (string)run["error"]!);

        foreach (var path in new[] { $"/api/runs/{runId}", "/api/runs", $"/api/modules/{module}/runs", $"/api/modules/{module}", $"/api/modules/{module}/preview" })
            bodies.AppendLine(await (await client.GetAsync(path)).Content.ReadAsStringAsync());
        bodies.AppendLine(await (await client.GetAsync($"/runs/{runId}")).Content.ReadAsStringAsync());

        Assert.Empty(SecretForms.FoundIn(bodies.ToString(), FormsValue));
        Assert.Empty(SecretForms.FoundIn(string.Join('\n', _log.Lines), FormsValue));
        var stored = await RunLogColumnsAsync(runId);
        Assert.Contains(Redactor.Mask, stored);
        Assert.Empty(SecretForms.FoundIn(stored, FormsValue));
        Assert.Empty(SecretForms.FoundIn(await StateFileTextAsync(), FormsValue));
    }

    [Fact]
    public async Task A_secret_added_while_the_server_runs_is_found_by_a_connection_test_and_masked_in_the_run_log()
    {
        var client = _app.Client();
        var dest = await client.CreateConnectionAsync("dest", $"sqlite://{_app.DestPath}");
        var source = await client.CreateConnectionAsync("source", $"duckdb://{_app.File("source.duckdb")}");
        // The server has served requests with the file as it was; now the secret is added, as 'pipekit secrets set' would.
        const string late = "l4te-Added'Secret";
        await SecretsFile.SetAsync(_app.SecretsPath, null, "LATE_PW", late, CancellationToken.None);

        var guarded = await client.CreateConnectionAsync("guarded", $"sqlite://{_app.File("guarded.db")}", new { password = "$LATE_PW" });
        var test = await client.PostJsonAsync($"/api/connections/{guarded}/test");
        Assert.True((bool)test["ok"]!, test.ToJsonString());

        var module = await client.CreateOrdersModuleAsync(source, dest, "late", "late_out",
            $"SELECT error({SecretForms.Built(late)}) AS id, 'n' AS customer, 1 AS amount");
        var runId = (long)(await client.PostJsonAsync($"/api/modules/{module}/run", expected: HttpStatusCode.Accepted))["run_id"]!;
        var run = await client.WaitForRunAsync(runId);

        Assert.Equal("error", (string)run["status"]!);
        foreach (var field in new[] { "error", "error_detail", "live_log" })
            Assert.Empty(SecretForms.FoundIn((string?)run[field] ?? "", late));
        var stored = await RunLogColumnsAsync(runId);
        Assert.Contains(Redactor.Mask, stored);
        Assert.Empty(SecretForms.FoundIn(stored, late));
        Assert.Empty(SecretForms.FoundIn(string.Join('\n', _log.Lines), late));
    }

    [Fact]
    public async Task A_secret_set_between_two_responses_is_masked_in_every_string_of_the_second()
    {
        // One JSON body looks at the secrets once (at its first string); the next body must see a secret set in between.
        var client = _app.Client();
        var dest = await client.CreateConnectionAsync("dest", $"sqlite://{_app.DestPath}");
        var source = await client.CreateConnectionAsync("source", $"duckdb://{_app.File("source.duckdb")}");
        const string value = "becomes-secret-later";
        var module = await client.CreateOrdersModuleAsync(source, dest, "plain", "plain_out",
            $"SELECT error('failed near {value}') AS id, 'n' AS customer, 1 AS amount");
        var runId = (long)(await client.PostJsonAsync($"/api/modules/{module}/run", expected: HttpStatusCode.Accepted))["run_id"]!;
        var before = await client.WaitForRunAsync(runId);
        Assert.Contains(value, (string)before["error"]!);

        await SecretsFile.SetAsync(_app.SecretsPath, null, "LATER_PW", value, CancellationToken.None);

        var bodies = new StringBuilder();
        foreach (var path in new[] { $"/api/runs/{runId}", "/api/runs", $"/api/modules/{module}/runs", $"/runs/{runId}", "/" })
            bodies.AppendLine(await client.GetStringAsync(path));
        Assert.Empty(SecretForms.FoundIn(bodies.ToString(), value));
        var run = await client.GetJsonAsync($"/api/runs/{runId}");
        Assert.Contains(Redactor.Mask, (string)run["error"]!);
    }

    [Fact]
    public async Task A_module_whose_definition_holds_a_secret_value_survives_a_get_then_post_round_trip()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        // The destination table is named like a secret's value, and the query mentions it too.
        var module = await client.CreateOrdersModuleAsync(source, dest, "orders", SchemaValue,
            $"SELECT id, customer, amount FROM orders WHERE customer <> '{SchemaValue}'");

        var shown = await client.GetJsonAsync($"/api/modules/{module}");
        var body = new JsonObject();
        foreach (var field in new[] { "name", "source_connection_id", "dest_connection_id", "dest_table", "source_query", "merge_strategy", "merge_key", "enabled", "notes" })
            body[field] = shown[field]?.DeepClone();
        body["columns"] = shown["columns"]!.DeepClone();
        await client.PostJsonAsync($"/api/modules/{module}", body);

        var after = await client.GetJsonAsync($"/api/modules/{module}");
        Assert.Equal(SchemaValue, (string)after["dest_table"]!);
        Assert.Equal($"SELECT id, customer, amount FROM orders WHERE customer <> '{SchemaValue}'", (string)after["source_query"]!);
        var run = await client.WaitForRunAsync((long)(await client.PostJsonAsync($"/api/modules/{module}/run", expected: HttpStatusCode.Accepted))["run_id"]!);
        Assert.Equal("success", (string)run["status"]!);
    }

    [Fact]
    public async Task A_module_saved_unchanged_from_its_edit_page_keeps_the_text_the_page_showed_masked()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var query = $"SELECT id, customer, amount FROM orders\nWHERE customer <> '{SchemaValue}'";
        var module = await client.CreateOrdersModuleAsync(source, dest, "orders", SchemaValue, query);
        var browser = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        browser.DefaultRequestHeaders.Authorization = PipekitApp.Basic(PipekitApp.User, PipekitApp.Password);

        var page = await (await browser.GetAsync($"/modules/{module}/edit")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(SchemaValue, page);
        var shownTable = WebUtility.HtmlDecode(Regex.Match(page, "name=\"dest_table\" value=\"([^\"]*)\"").Groups[1].Value);
        var shownQuery = WebUtility.HtmlDecode(Regex.Match(page, "<textarea id=\"source_query\"[^>]*>([^<]*)</textarea>").Groups[1].Value);
        Assert.Equal(Redactor.Mask, shownTable);
        var saved = await browser.PostAsync($"/modules/{module}/edit", new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", Regex.Match(page, "name=\"__RequestVerificationToken\"(?: type=\"hidden\")? value=\"([^\"]+)\"").Groups[1].Value),
            new("name", "orders"), new("source_connection_id", source.ToString(CultureInfo.InvariantCulture)),
            new("dest_connection_id", dest.ToString(CultureInfo.InvariantCulture)), new("dest_table", shownTable),
            new("source_query", shownQuery.ReplaceLineEndings("\r\n")), new("merge_strategy", "full"), new("enabled", "true"),
        ]));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var after = await client.GetJsonAsync($"/api/modules/{module}");
        Assert.Equal(SchemaValue, (string)after["dest_table"]!);
        Assert.Equal(query, (string)after["source_query"]!);
    }

    private async Task<string> RunLogColumnsAsync(long runId)
    {
        await using var connection = new SqliteConnection($"Data Source={_app.StatePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(error, '') || char(10) || coalesce(error_detail, '') || char(10) || coalesce(live_log, '') || char(10) || coalesce(resolved_source_sql, '') FROM run_log WHERE id = $id";
        command.Parameters.AddWithValue("$id", runId);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task<string> StateFileTextAsync()
    {
        var text = new StringBuilder();
        foreach (var path in new[] { _app.StatePath, _app.StatePath + "-wal" })
            if (File.Exists(path))
            {
                await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream, Encoding.UTF8);
                text.Append(await reader.ReadToEndAsync());
            }
        return text.ToString();
    }
}
