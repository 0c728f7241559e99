using Microsoft.Extensions.DependencyInjection;
using Pipekit.Chains.Jobs;
using Pipekit.Chains.Planning;
using Pipekit.Chains.Projects;

namespace Pipekit.Cli.Demo;

/// <summary>
/// The chains step of <c>pipekit demo</c>: a small SQL project on DuckDB layer files (no server needed), run cold,
/// warm, and with one seed file changed, so the tour shows a miss, a hit, and a miss that says why.
/// </summary>
internal static class DemoChains
{
    public static ProjectTree Project(string seedRows) => ProjectTree.From(new Dictionary<string, string>
    {
        ["init/01_schema.sql"] = "create table product (id integer primary key, name text, price decimal(8,2));",
        ["seed/01_products.sql"] = $"insert into product values {seedRows};",
        ["seed/02_view.sql"] = "create view expensive as select * from product where price > 5;",
        ["test/01_expensive.sql"] = "select name, price from expensive where price < @max order by price desc;",
    });

    public static async Task RunAsync(IServiceProvider services, Func<string, Task> say, string projectDirectory, CancellationToken ct)
    {
        var runner = services.GetRequiredService<ChainRunner>();
        var variables = new Dictionary<string, object?> { ["max"] = 100 };
        var original = Project("(1, 'tea', 4.50), (2, 'coffee', 7.00), (3, 'cake', 12.00)");
        await WriteAsync(original, projectDirectory, ct);
        await say($"   project {projectDirectory}: init/, seed/ (the tail), test/01_expensive.sql (the head, with @max bound as a parameter)");

        var runs = new (string Title, ProjectTree Tree)[]
        {
            ("first run (cold)", original),
            ("same project again (warm)", original),
            ("seed/01_products.sql edited", Project("(1, 'tea', 4.50), (2, 'coffee', 7.50), (3, 'cake', 12.00)")),
        };
        var n = 0;
        foreach (var (title, tree) in runs)
        {
            var outcome = await runner.RunAsync(new ChainRunRequest(ChainOrder.Plan(tree, "test/01_expensive.sql"), "duckdb", variables, null, $"pkj_demo{++n}"),
                new QuietObserver(), ct);
            await say($"   {title}: {string.Join(", ", outcome.Result.Rows.Select(r => $"{r[0]} {r[1]}"))}");
            await say($"     snapshot: {(outcome.Tail.Hit ? "hit" : "miss")} (tail_hash {outcome.Tail.TailHash[..16]}…), replayed {outcome.Tail.ReplayedSteps} step(s)"
                + (outcome.Tail.Miss is { } miss ? $"; why: {miss.Kind}: {miss.Detail}" : ""));
        }
        await runner.DrainAsync();
    }

    private static async Task WriteAsync(ProjectTree tree, string directory, CancellationToken ct)
    {
        foreach (var (path, content) in tree.Files)
        {
            var file = Path.Combine(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, content, ct);
        }
    }

    private sealed class QuietObserver : IChainRunObserver
    {
        public Task StatusAsync(string status, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StageAsync(string stage, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task LogAsync(string line, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
