using System.Diagnostics;
using Pipekit.Chains.Hashing;
using Pipekit.Chains.Planning;
using Pipekit.Chains.Projects;
using Xunit;

namespace Pipekit.Chains.Tests.Hashing;

public sealed class StateHashFacts
{
    private static readonly EngineFingerprint Pg15 = new("postgres", "15.4",
        new Dictionary<string, string> { ["plpgsql"] = "1.0" },
        new Dictionary<string, string> { ["TimeZone"] = "UTC", ["search_path"] = "\"$user\", public" });

    private static ProjectTree Project(params (string Path, string Content)[] files) =>
        ProjectTree.From(files.Select(f => KeyValuePair.Create(f.Path, f.Content)));

    private static readonly (string, string)[] Base =
    [
        ("init/01_schema.sql", "create table t(id int);"),
        ("seed/01_rows.sql", "insert into t values (1), (2);"),
        ("test/01_count.sql", "select count(*) from t;"),
    ];

    private static string TailHash(ProjectTree tree, string head, EngineFingerprint? fingerprint = null)
    {
        var plan = ChainOrder.Plan(tree, head);
        var root = StateHash.Root(fingerprint ?? Pg15);
        return plan.Tail.Count == 0 ? root : StateHash.States(root, plan.Tail)[^1];
    }

    [Fact]
    public void Identical_trees_hash_identically()
    {
        Assert.Equal(TailHash(Project(Base), "test/01_count.sql"), TailHash(Project(Base.Reverse().ToArray()), "test/01_count.sql"));
    }

    [Fact]
    public void One_changed_byte_of_content_changes_the_hash()
    {
        var changed = Base.ToArray();
        changed[1] = ("seed/01_rows.sql", "insert into t values (1), (3);");
        Assert.NotEqual(TailHash(Project(Base), "test/01_count.sql"), TailHash(Project(changed), "test/01_count.sql"));
    }

    [Fact]
    public void A_renamed_path_with_the_same_content_and_place_changes_the_hash()
    {
        var moved = Base.ToArray();
        moved[1] = ("seed/02_rows.sql", moved[1].Item2);
        Assert.NotEqual(TailHash(Project(Base), "test/01_count.sql"), TailHash(Project(moved), "test/01_count.sql"));
    }

    [Fact]
    public void A_different_order_changes_the_hash()
    {
        var a = Project(("init/1.sql", "select 1;"), ("init/2.sql", "select 2;"), ("test/1.sql", "select 3;"));
        var b = Project(("init/1.sql", "select 2;"), ("init/2.sql", "select 1;"), ("test/1.sql", "select 3;"));
        Assert.NotEqual(TailHash(a, "test/1.sql"), TailHash(b, "test/1.sql"));
    }

    [Theory]
    [InlineData("engine")]
    [InlineData("version")]
    [InlineData("extension")]
    [InlineData("setting")]
    public void A_different_engine_version_extension_or_setting_changes_the_hash(string what)
    {
        var other = what switch
        {
            "engine" => Pg15 with { Engine = "duckdb" },
            "version" => Pg15 with { ServerVersion = "15.5" },
            "extension" => Pg15 with { Extensions = new Dictionary<string, string> { ["plpgsql"] = "1.0", ["pg_trgm"] = "1.6" } },
            _ => Pg15 with { Settings = new Dictionary<string, string> { ["TimeZone"] = "Europe/Paris", ["search_path"] = "\"$user\", public" } },
        };
        Assert.NotEqual(TailHash(Project(Base), "test/01_count.sql"), TailHash(Project(Base), "test/01_count.sql", other));
    }

    [Fact]
    public void An_unrelated_file_in_another_branch_does_not_change_the_hash()
    {
        var withBranch = Base.Append(("test/02_other_branch.sql", "select 42;")).ToArray();
        Assert.Equal(TailHash(Project(Base), "test/01_count.sql"), TailHash(Project(withBranch), "test/01_count.sql"));
    }

    [Fact]
    public void Branches_share_the_states_of_their_common_prefix()
    {
        var a = Project(Base.Append(("test/02_a.sql", "select 1;")).ToArray());
        var b = Project(Base.Append(("test/02_b.sql", "select 2;")).ToArray());
        var rootA = StateHash.States(StateHash.Root(Pg15), ChainOrder.Steps(a));
        var rootB = StateHash.States(StateHash.Root(Pg15), ChainOrder.Steps(b));
        Assert.Equal(rootA.Take(3), rootB.Take(3));
        Assert.NotEqual(rootA[3], rootB[3]);
    }

    [Fact]
    public void Length_prefixes_keep_a_path_and_content_boundary_from_being_ambiguous()
    {
        var root = StateHash.Root(Pg15);
        Assert.NotEqual(StateHash.Next(root, "ab", "c"), StateHash.Next(root, "a", "bc"));
    }

    /// <summary>
    /// The scheme recomputed by another process from its documentation (docs/chains.md) with Python's hashlib: same
    /// hashes across processes, and the document describes the code.
    /// </summary>
    [Fact]
    public async Task Another_process_following_the_documented_scheme_computes_the_same_hashes()
    {
        const string script = """
            import hashlib, struct, sys
            def lp(s):
                b = s.encode("utf-8"); return struct.pack(">q", len(b)) + b
            def m(d):
                out = struct.pack(">q", len(d))
                for k in sorted(d): out += lp(k) + lp(d[k])
                return out
            s0 = hashlib.sha256(lp("pipekit-chains/1") + lp("postgres") + lp("15.4") + m({"plpgsql": "1.0"})
                                + m({"TimeZone": "UTC", "search_path": '"$user", public'})).hexdigest()
            s = s0
            for path, content in [("init/01_schema.sql", "create table t(id int);"), ("seed/01_rows.sql", "insert into t values (1), (2);")]:
                s = hashlib.sha256(bytes.fromhex(s) + lp(path) + lp(content)).hexdigest()
            print(s0); print(s)
            """;
        var psi = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true };
        using var python = Process.Start(psi)!;
        await python.StandardInput.WriteAsync(script);
        python.StandardInput.Close();
        var lines = (await python.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await python.WaitForExitAsync();
        Assert.Equal(StateHash.Root(Pg15), lines[0]);
        Assert.Equal(TailHash(Project(Base), "test/01_count.sql"), lines[1]);
    }
}
