using Pipekit.Pipelines.Projects;
using Pipekit.Pipelines.Tests.Fixtures;
using Xunit;

namespace Pipekit.Pipelines.Tests.Projects;

public sealed class ProjectValidatorFacts : IDisposable
{
    private readonly TestWorkspace _ws = new();

    public void Dispose() => _ws.Dispose();

    private async Task<List<string>> ProblemsAsync() =>
        (await _ws.Workspace.LoadAsync(CancellationToken.None)).Problems.Select(p => p.ToString()).ToList();

    [Fact]
    public async Task A_valid_workspace_has_no_problems()
    {
        _ws.Project("a", "[[tasks]]\nname = \"one\"\nscript = \"one.sh\"\n", ("one.sh", "true\n"));

        var report = await _ws.Workspace.LoadAsync(CancellationToken.None);

        Assert.Empty(report.Problems);
        Assert.Equal("a", Assert.Single(report.Projects).Name);
    }

    [Fact]
    public async Task Task_problems_are_all_reported_naming_the_project_and_the_task()
    {
        _ws.Project("p", """
            [dag]
            name = "p"

            [[tasks]]
            name = "a"
            script = "a.sh"

            [[tasks]]
            name = "a"
            script = "a.sh"

            [[tasks]]
            name = ""
            script = "a.sh"

            [[tasks]]
            name = "b"
            script = "missing.py"
            depends_on = ["nope"]

            [[tasks]]
            name = "c"
            script = "../outside.sh"

            [[tasks]]
            name = "d"
            script = "c.rb"
            """, ("a.sh", "true\n"), ("c.rb", "puts 1\n"));

        var problems = await ProblemsAsync();

        Assert.Contains(problems, p => p.Contains(":8: p/a: duplicate task name (first at line 4)", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains(":12: p: a [[tasks]] entry has no name", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains(":16: p/b: script missing.py not found", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains(":16: p/b: depends_on 'nope', which is not a task of this DAG", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains(":21: p/c: script ../outside.sh is outside the project directory (through '..')", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains(":25: p/d: cannot tell the runner of 'c.rb'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_script_symlinked_outside_the_project_is_refused()
    {
        var outside = Path.Combine(_ws.Root, "outside.sh");
        await File.WriteAllTextAsync(outside, "true\n");
        var dir = _ws.Project("p", "[[tasks]]\nname = \"a\"\nscript = \"tasks/a.sh\"\n");
        Directory.CreateDirectory(Path.Combine(dir, "tasks"));
        File.CreateSymbolicLink(Path.Combine(dir, "tasks", "a.sh"), outside);

        var problems = await ProblemsAsync();

        Assert.Contains(problems, p => p.Contains("p/a: script tasks/a.sh leads outside the project directory through a symlink", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_script_under_a_symlinked_directory_outside_the_project_is_refused()
    {
        var outside = Path.Combine(_ws.Root, "elsewhere");
        Directory.CreateDirectory(outside);
        await File.WriteAllTextAsync(Path.Combine(outside, "a.sh"), "true\n");
        var dir = _ws.Project("p", "[[tasks]]\nname = \"a\"\nscript = \"tasks/a.sh\"\n");
        Directory.CreateSymbolicLink(Path.Combine(dir, "tasks"), outside);

        var problems = await ProblemsAsync();

        Assert.Contains(problems, p => p.Contains("symlink", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_cycle_is_reported_with_its_path()
    {
        _ws.Project("p", """
            [[tasks]]
            name = "a"
            script = "x.sh"
            depends_on = ["c"]

            [[tasks]]
            name = "b"
            script = "x.sh"
            depends_on = ["a"]

            [[tasks]]
            name = "c"
            script = "x.sh"
            depends_on = ["b"]
            """, ("x.sh", "true\n"));

        var problems = await ProblemsAsync();

        var cycle = Assert.Single(problems);
        Assert.Contains("dependency cycle: a -> b -> c -> a", cycle);
    }

    [Fact]
    public async Task Duplicate_dag_names_and_unknown_requires_are_reported()
    {
        _ws.Project("one", "[dag]\nname = \"same\"\nrequires = [\"ghost\"]\n[[tasks]]\nname = \"a\"\nscript = \"a.sh\"\n", ("a.sh", "true\n"));
        _ws.Project("two", "[dag]\nname = \"same\"\n[[tasks]]\nname = \"a\"\nscript = \"a.sh\"\n", ("a.sh", "true\n"));

        var problems = await ProblemsAsync();

        Assert.Contains(problems, p => p.Contains("two/pit.toml:1: same: duplicate DAG name, also used by", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("same: requires 'ghost', which is not a DAG in this workspace", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dag_with_problems_is_refused_to_run_and_an_unknown_dag_is_not_found()
    {
        _ws.Project("p", "[[tasks]]\nname = \"a\"\nscript = \"missing.sh\"\n");

        var invalid = await Assert.ThrowsAsync<InvalidProjectException>(() => _ws.LoadAsync("p"));
        var missing = await Assert.ThrowsAsync<PipelineNotFoundException>(() => _ws.LoadAsync("q"));

        Assert.Contains("has 1 problem(s)", invalid.Message);
        Assert.Contains("known DAGs: p", missing.Message);
    }
}
