using Pipekit.Chains.Projects;

namespace Pipekit.Chains.Tests.Fixtures;

/// <summary>Small portable SQL projects (PostgreSQL, DuckDB and SQLite all run them).</summary>
internal static class SampleProjects
{
    public static ProjectTree Shop(string seedRows = "(1, 'apple'), (2, 'pear')", params (string Path, string Content)[] extra)
    {
        var tree = ProjectTree.From(new Dictionary<string, string>
        {
            ["init/01_tables.sql"] = "create table item (id integer primary key, name text);\ncreate table audit (note text);",
            ["schema/01_view.sql"] = "create view item_names as select name from item;",
            ["seed/01_items.sql"] = $"insert into item values {seedRows};",
            ["seed/02_audit.sql"] = "insert into audit values ('seeded');",
            ["test/01_count.sql"] = "select count(*) as n from item;",
            ["test/02_names.sql"] = "-- the names, in order\nselect name from item_names\norder by name;",
            ["test/03_param.sql"] = "select name from item where id = @id;",
        });
        foreach (var (path, content) in extra) tree.Add(path, content);
        return tree;
    }

    public static ProjectTree With(ProjectTree tree, string path, string content) =>
        ProjectTree.From(tree.Files.Select(f => f.Key == path ? KeyValuePair.Create(path, content) : f)
            .Concat(tree.Contains(path) ? [] : [KeyValuePair.Create(path, content)]));
}
