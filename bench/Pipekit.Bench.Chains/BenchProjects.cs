using System.Globalization;
using Pipekit.Chains.Projects;

namespace Pipekit.Bench.Chains;

/// <summary>The benchmark's projects: a 20-step chain with a bulk seed step, and a small 10-step one.</summary>
internal static class BenchProjects
{
    /// <summary>20 steps: schema, a seed of <paramref name="rows"/> rows, 17 small steps (indexes, views, lookups, updates), the head.</summary>
    public static ProjectTree Large(long rows, string step19 = "insert into note values ('step 19');")
    {
        var files = new Dictionary<string, string>
        {
            ["init/01_schema.sql"] = "create table big (id bigint primary key, label text not null, bucket int not null);\ncreate table note (text text);",
            ["seed/02_big.sql"] = string.Create(CultureInfo.InvariantCulture,
                $"insert into big select g, md5(g::text), (g % 100)::int from generate_series(1, {rows}) g;\nanalyze big;"),
            ["seed/03_index.sql"] = "create index big_bucket on big (bucket);",
        };
        for (var i = 4; i <= 18; i++)
            files[string.Create(CultureInfo.InvariantCulture, $"seed/{i:00}_step.sql")] = string.Create(CultureInfo.InvariantCulture,
                $"create table lookup_{i} (bucket int primary key, name text);\ninsert into lookup_{i} select b, 'bucket ' || b from generate_series(0, 99) b;\ninsert into note values ('step {i}');");
        files["seed/19_last.sql"] = step19;
        files["test/20_head.sql"] = "select b.bucket, count(*) as n, l.name from big b join lookup_18 l using (bucket) where b.bucket < @limit group by b.bucket, l.name order by b.bucket;";
        return ProjectTree.From(files);
    }

    /// <summary>10 steps, a few small tables, no bulk data: the shape of an interactive edit-and-run project.</summary>
    public static IReadOnlyDictionary<string, string> Small()
    {
        var files = new Dictionary<string, string>
        {
            ["init/01_schema.sql"] = "create table customer (id int primary key, name text);\ncreate table orders (id int primary key, customer_id int, amount numeric);",
            ["seed/02_customers.sql"] = "insert into customer select g, 'customer ' || g from generate_series(1, 200) g;",
            ["seed/03_orders.sql"] = "insert into orders select g, 1 + g % 200, g * 1.5 from generate_series(1, 2000) g;",
        };
        for (var i = 4; i <= 9; i++)
            files[string.Create(CultureInfo.InvariantCulture, $"seed/{i:00}_view.sql")] = string.Create(CultureInfo.InvariantCulture,
                $"create view v_{i} as select customer_id, sum(amount) as total from orders where amount > {i} group by customer_id;");
        files["test/10_head.sql"] = "select c.name, v.total from customer c join v_9 v on v.customer_id = c.id where c.id <= @top order by c.id;";
        return files;
    }
}
