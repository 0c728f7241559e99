using Pipekit.Chains.Projects;
using Xunit;

namespace Pipekit.Chains.Tests.Projects;

public sealed class ProjectPathFacts
{
    [Theory]
    [InlineData("init/01.sql", "init/01.sql")]
    [InlineData("./init//01.sql", "init/01.sql")]
    [InlineData("init/./a/b.sql", "init/a/b.sql")]
    [InlineData("a.sql/", "a.sql")]
    public void Paths_are_normalised(string raw, string expected) => Assert.Equal(expected, ProjectPath.Normalize(raw));

    [Theory]
    [InlineData("../etc/passwd", "'..'")]
    [InlineData("init/../../x.sql", "'..'")]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("C:/x.sql", "absolute")]
    [InlineData("init\\01.sql", "backslash")]
    [InlineData("init/01\0.sql", "NUL")]
    [InlineData("", "empty")]
    [InlineData("./", "names no file")]
    public void Unsafe_paths_are_rejected_with_a_message_naming_the_problem(string raw, string expected)
    {
        var error = Assert.Throws<ChainInputException>(() => ProjectPath.Normalize(raw));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_path_given_twice_with_different_content_is_refused_and_with_the_same_content_accepted()
    {
        var tree = new ProjectTree();
        tree.Add("a.sql", "select 1");
        tree.Add("./a.sql", "select 1");
        Assert.Equal(1, tree.Count);
        Assert.Throws<ChainInputException>(() => tree.Add("a.sql", "select 2"));
    }

    [Fact]
    public async Task A_directory_is_read_without_hidden_files_or_symlinks()
    {
        using var dir = new Pipekit.Testing.TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "init"));
        Directory.CreateDirectory(Path.Combine(dir.Path, ".git"));
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "init", "01.sql"), "create table t(x int);");
        await File.WriteAllTextAsync(Path.Combine(dir.Path, ".git", "HEAD"), "ref");
        File.CreateSymbolicLink(Path.Combine(dir.Path, "init", "02.sql"), "/etc/hostname");
        var tree = await ProjectTree.ReadDirectoryAsync(dir.Path, CancellationToken.None);
        Assert.Equal(["init/01.sql"], tree.Files.Keys);
    }
}
