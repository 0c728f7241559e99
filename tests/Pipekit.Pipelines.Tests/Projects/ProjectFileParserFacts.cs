using Pipekit.Core.Retries;
using Pipekit.Core.Configuration;
using Pipekit.Pipelines.Projects;
using Xunit;

namespace Pipekit.Pipelines.Tests.Projects;

public sealed class ProjectFileParserFacts
{
    private const string Path = "/ws/projects/claims/pit.toml";

    [Fact]
    public void Every_key_of_the_format_is_read()
    {
        var (project, problems) = ProjectFileParser.Parse("""
            [dag]
            name = "claims_pipeline"
            schedule = "0 6 * * *"
            overlap = "wait"
            timeout = "1h"
            requires = ["other_dag"]

            [dag.sql]
            connection = "claims_db"

            [[tasks]]
            name = "extract"
            script = "tasks/extract.py"
            runner = "python"
            depends_on = []
            timeout = "5m"
            retries = 2
            retry_delay = "30s"
            retry_backoff = "exponential"

            [[tasks]]
            name = "load"
            script = "tasks/load.sql"
            depends_on = ["extract"]

            [[outputs]]
            name = "results"
            type = "table"
            location = "warehouse.results"
            """, Path);

        Assert.Empty(problems);
        Assert.NotNull(project);
        Assert.Equal("claims_pipeline", project.Name);
        Assert.Equal("/ws/projects/claims", project.Directory);
        Assert.Equal("0 6 * * *", project.Schedule);
        Assert.Equal(OverlapPolicy.Wait, project.Overlap);
        Assert.Equal(TimeSpan.FromHours(1), project.Timeout);
        Assert.Equal(["other_dag"], project.Requires);
        Assert.Equal("claims_db", project.SqlConnection);
        var extract = project.Tasks[0];
        Assert.Equal(("extract", "tasks/extract.py", "python"), (extract.Name, extract.Script, extract.Runner));
        Assert.Equal((TimeSpan.FromMinutes(5), 2, TimeSpan.FromSeconds(30), RetryBackoff.Exponential),
            (extract.Timeout!.Value, extract.Retries, extract.RetryDelay, extract.RetryBackoff));
        Assert.Equal(11, extract.Line);
        Assert.Equal(["extract"], project.Tasks[1].DependsOn);
        Assert.Equal(new PitOutput("results", "table", "warehouse.results"), project.Outputs[0]);
    }

    [Fact]
    public void A_missing_name_defaults_to_the_directory_name()
    {
        var (project, problems) = ProjectFileParser.Parse("[[tasks]]\nname = \"a\"\nscript = \"a.sh\"\n", Path);

        Assert.Empty(problems);
        Assert.Equal("claims", project!.Name);
        Assert.Equal(OverlapPolicy.Skip, project.Overlap);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_with_its_line()
    {
        var (_, problems) = ProjectFileParser.Parse("""
            [dag]
            name = "d"
            overlap = "sometimes"
            timeout = "forever"
            schedule = "61 * * * *"
            colour = "blue"

            [[tasks]]
            name = "a"
            script = "a.sh"
            retries = -1
            retry_delay = "5 minutes"
            retry_backoff = "linear"

            [[tasks]]
            name = "b"
            depends_on = "a"

            [extra]
            x = 1
            """, Path);

        var text = problems.Select(p => p.ToString()).ToList();
        Assert.Contains(text, t => t.StartsWith($"{Path}:3: d: overlap 'sometimes' is not one of skip, wait, allow", StringComparison.Ordinal));
        Assert.Contains(text, t => t.StartsWith($"{Path}:4: d: timeout 'forever' is not a duration", StringComparison.Ordinal));
        Assert.Contains(text, t => t.StartsWith($"{Path}:5: d: schedule '61 * * * *' is not a valid cron expression", StringComparison.Ordinal));
        Assert.Contains(text, t => t.StartsWith($"{Path}:6: d: unknown key 'colour' in [dag]", StringComparison.Ordinal));
        Assert.Contains(text, t => t.StartsWith($"{Path}:11: d/a: retries must be an integer from 0 to 100", StringComparison.Ordinal));
        Assert.Contains(text, t => t.StartsWith($"{Path}:12: d/a: retry_delay '5 minutes' is not a duration", StringComparison.Ordinal));
        Assert.Contains(text, t => t.StartsWith($"{Path}:13: d/a: retry_backoff 'linear'", StringComparison.Ordinal));
        Assert.Contains(text, t => t.StartsWith($"{Path}:15: d/b: has no script", StringComparison.Ordinal));
        Assert.Contains(text, t => t.StartsWith($"{Path}:17: d/b: depends_on must be an array of strings", StringComparison.Ordinal));
        Assert.Contains(text, t => t.StartsWith($"{Path}:19: d: unknown table [extra]", StringComparison.Ordinal));
        Assert.Equal(10, problems.Count);
    }

    [Fact]
    public void Invalid_toml_is_a_problem_with_its_line()
    {
        var (project, problems) = ProjectFileParser.Parse("[dag]\nname = \n", Path);

        Assert.Null(project);
        Assert.StartsWith($"{Path}:2: claims: not valid TOML", problems[0].ToString());
    }

    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("250ms", 250)]
    [InlineData("1.5s", 1_500)]
    public void Durations_are_read_as_pit_writes_them(string text, long milliseconds)
    {
        Assert.True(DurationText.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5 m")]
    [InlineData("5x")]
    [InlineData("-5s")]
    [InlineData("m")]
    public void Other_durations_are_refused(string text) => Assert.False(DurationText.TryParse(text, out _));

    [Theory]
    [InlineData(300_000, "5m")]
    [InlineData(5_400_000, "1h30m")]
    [InlineData(1_500, "1.5s")]
    [InlineData(12, "12ms")]
    public void Durations_are_written_short(long milliseconds, string text) => Assert.Equal(text, DurationText.Format(TimeSpan.FromMilliseconds(milliseconds)));
}
