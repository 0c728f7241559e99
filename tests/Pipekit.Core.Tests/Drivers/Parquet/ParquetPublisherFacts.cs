using System.Globalization;
using DuckDB.NET.Data;
using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.DuckDb;
using Pipekit.Core.Drivers.Parquet;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.Parquet;

/// <summary>
/// The Parquet lake's publications straight from staged rows: full replaces the file set, append adds a file, and an
/// incremental publication rewrites only the files whose merge-key range can hold a staged key, leaving every other
/// file's name and bytes as they were. A failure part-way leaves the manifest and the files as they were.
/// </summary>
public sealed class ParquetPublisherFacts : IDisposable
{
    private static readonly TableName Orders = new("orders");
    private static readonly TableName Staging = new("orders_stage", "_pipekit");

    private readonly TempDirectory _lake = new();
    private readonly DuckDBConnection _connection = new("Data Source=:memory:");

    public ParquetPublisherFacts()
    {
        _connection.Open();
        Execute("CREATE SCHEMA _pipekit");
    }

    public void Dispose()
    {
        _connection.Dispose();
        _lake.Dispose();
    }

    private string Dataset => Path.Combine(_lake.Path, "orders");

    [Fact]
    public async Task An_incremental_run_rewrites_only_the_file_whose_key_range_holds_a_staged_key()
    {
        await SeedThreeFilesAsync();
        var before = await ManifestAsync();
        var times = before.Files.ToDictionary(f => f.Path, f => File.GetLastWriteTimeUtc(PathOf(f)));
        // id 15 changes (file 2 holds 11..20); id 31 is new, beyond every file's range.
        Stage("(15, 'changed', TIMESTAMP '2026-02-01'), (31, 'new', TIMESTAMP '2026-02-01')");

        var published = await PublishAsync(FileWriteMode.Merge);

        var after = await ManifestAsync();
        Assert.Equal((1, 1, 2), (published.Added, published.Rewritten, published.Untouched));
        Assert.Equal(Key(before.Files[0]), Key(after.Files[0]));
        Assert.Equal(Key(before.Files[2]), Key(after.Files[2]));
        Assert.NotEqual(before.Files[1].Path, after.Files[1].Path);
        Assert.Equal(9, after.Files[1].Rows);
        Assert.Equal([10L, 9L, 10L, 2L], after.Files.Select(f => f.Rows));
        foreach (var kept in new[] { before.Files[0], before.Files[2] })
            Assert.Equal(times[kept.Path], File.GetLastWriteTimeUtc(PathOf(kept)));
        Assert.Equal(31, Scalar($"SELECT count(*) FROM {Read(after)}"));
        Assert.Equal("changed", Scalar($"SELECT name FROM {Read(after)} WHERE id = 15"));
        Assert.Equal(1, Scalar($"SELECT count(*) FROM {Read(after)} WHERE id = 15"));
    }

    [Fact]
    public async Task A_second_incremental_run_reads_the_files_the_first_one_wrote_by_their_recorded_ranges()
    {
        await SeedThreeFilesAsync();
        Stage("(15, 'changed', TIMESTAMP '2026-02-01'), (31, 'new', TIMESTAMP '2026-02-01')");
        await PublishAsync(FileWriteMode.Merge);
        var middle = await ManifestAsync();
        Execute($"DELETE FROM {Q(Staging)}");
        // id 31 lives only in the delta file of the first run; id 5 in the first seeded file.
        Stage("(31, 'again', TIMESTAMP '2026-03-01'), (5, 'five', TIMESTAMP '2026-03-01')");

        var published = await PublishAsync(FileWriteMode.Merge);

        var after = await ManifestAsync();
        Assert.Equal((1, 2, 2), (published.Added, published.Rewritten, published.Untouched));
        Assert.NotEqual(middle.Files[0].Path, after.Files[0].Path);
        Assert.Equal(Key(middle.Files[1]), Key(after.Files[1]));
        Assert.Equal(Key(middle.Files[2]), Key(after.Files[2]));
        Assert.DoesNotContain(after.Files, f => f.Path == middle.Files[3].Path);
        Assert.Equal(31, Scalar($"SELECT count(*) FROM {Read(after)}"));
        Assert.Equal("again", Scalar($"SELECT name FROM {Read(after)} WHERE id = 31"));
        Assert.Equal("five", Scalar($"SELECT name FROM {Read(after)} WHERE id = 5"));
    }

    [Fact]
    public async Task A_key_inside_a_files_range_but_not_in_it_leaves_the_file_as_it_was()
    {
        Stage(Rows(Enumerable.Range(1, 5).Select(i => i * 2)));
        await PublishAsync(FileWriteMode.Replace);
        var before = await ManifestAsync();
        Execute($"DELETE FROM {Q(Staging)}");
        Stage("(3, 'odd', TIMESTAMP '2026-02-01')");

        var published = await PublishAsync(FileWriteMode.Merge);

        var after = await ManifestAsync();
        Assert.Equal((1, 0, 1), (published.Added, published.Rewritten, published.Untouched));
        Assert.Equal(Key(before.Files[0]), Key(after.Files[0]));
        Assert.Equal(6, after.Rows);
    }

    [Fact]
    public async Task A_file_whose_every_row_is_replaced_leaves_the_manifest()
    {
        await SeedThreeFilesAsync();
        Stage(Rows(Enumerable.Range(11, 10)).Replace("'row ", "'new ", StringComparison.Ordinal));

        var published = await PublishAsync(FileWriteMode.Merge);

        var after = await ManifestAsync();
        Assert.Equal((1, 0, 2), (published.Added, published.Rewritten, published.Untouched));
        Assert.Equal([10L, 10L, 10L], after.Files.Select(f => f.Rows));
        Assert.Equal(10, Scalar($"SELECT count(*) FROM {Read(after)} WHERE name LIKE 'new %'"));
    }

    [Fact]
    public async Task An_incremental_run_with_nothing_staged_and_nothing_matching_keeps_the_current_version()
    {
        await SeedThreeFilesAsync();
        var before = await ManifestAsync();
        Execute($"DELETE FROM {Q(Staging)}");

        var published = await PublishAsync(FileWriteMode.Merge);

        Assert.Equal(before.Version, (await ManifestAsync()).Version);
        Assert.Equal((0, 0, 3), (published.Added, published.Rewritten, published.Untouched));
    }

    [Fact]
    public async Task A_full_run_replaces_every_file_with_the_staged_rows_and_keeps_only_the_previous_version_beside_it()
    {
        await SeedThreeFilesAsync();
        var before = await ManifestAsync();
        Execute($"DELETE FROM {Q(Staging)}");
        Stage(Rows(Enumerable.Range(100, 4)));

        await PublishAsync(FileWriteMode.Replace);
        var middle = await ManifestAsync();
        Execute($"DELETE FROM {Q(Staging)}");
        Stage(Rows(Enumerable.Range(200, 2)));
        await PublishAsync(FileWriteMode.Replace);

        var after = await ManifestAsync();
        Assert.Single(after.Files);
        Assert.Equal(2, after.Rows);
        Assert.Equal("200", after.Files[0].Min["id"]);
        Assert.True(File.Exists(PathOf(middle.Files[0])));
        Assert.All(before.Files, f => Assert.False(File.Exists(PathOf(f))));
        Assert.Equal(2, Scalar($"SELECT count(*) FROM {Read(after)}"));
    }

    [Fact]
    public async Task An_append_run_adds_one_file_and_leaves_the_others_untouched()
    {
        await SeedThreeFilesAsync();
        var before = await ManifestAsync();
        Execute($"DELETE FROM {Q(Staging)}");
        Stage(Rows(Enumerable.Range(1, 3)));

        var published = await PublishAsync(FileWriteMode.Append);

        var after = await ManifestAsync();
        Assert.Equal((1, 0, 3), (published.Added, published.Rewritten, published.Untouched));
        Assert.Equal(before.Files.Select(Key), after.Files.Take(3).Select(Key));
        Assert.Equal(33, Scalar($"SELECT count(*) FROM {Read(after)}"));
    }

    [Fact]
    public async Task The_manifest_records_min_and_max_of_the_merge_key_and_the_watermark_column()
    {
        Stage("(7, 'a', TIMESTAMP '2026-01-03 04:05:06'), (2, 'b', TIMESTAMP '2026-01-01'), (9, NULL, NULL)");

        await PublishAsync(FileWriteMode.Replace);

        var file = (await ManifestAsync()).Files.Single();
        Assert.Equal(("2", "9"), (file.Min["id"], file.Max["id"]));
        Assert.Equal(("2026-01-01 00:00:00", "2026-01-03 04:05:06"), (file.Min["updated_at"], file.Max["updated_at"]));
    }

    [Fact]
    public async Task A_failure_part_way_through_a_merge_leaves_the_manifest_and_every_file_as_they_were()
    {
        await SeedThreeFilesAsync();
        var before = await ManifestAsync();
        var bytes = before.Files.ToDictionary(f => f.Path, f => File.ReadAllBytes(PathOf(f)));
        var versions = Directory.GetDirectories(Dataset).Order(StringComparer.Ordinal).ToList();
        // File 2 is rewritten first (id 15); file 3 (id 25) cannot be read, so the publication fails after a file was written.
        File.WriteAllBytes(PathOf(before.Files[2]), [1, 2, 3, 4]);
        bytes[before.Files[2].Path] = [1, 2, 3, 4];
        Stage("(15, 'changed', TIMESTAMP '2026-02-01'), (25, 'changed', TIMESTAMP '2026-02-01')");

        await Assert.ThrowsAnyAsync<DuckDBException>(() => PublishAsync(FileWriteMode.Merge));

        var after = await ManifestAsync();
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Files.Select(Key), after.Files.Select(Key));
        foreach (var file in before.Files) Assert.Equal(bytes[file.Path], File.ReadAllBytes(PathOf(file)));
        Assert.Equal(versions, Directory.GetDirectories(Dataset).Order(StringComparer.Ordinal).ToList());
    }

    // Three appended files: ids 1..10, 11..20, 21..30; staging is left empty.
    private async Task SeedThreeFilesAsync()
    {
        Execute($"CREATE TABLE IF NOT EXISTS {Q(Staging)} (id INTEGER, name VARCHAR, updated_at TIMESTAMP)");
        for (var start = 1; start <= 21; start += 10)
        {
            Execute($"DELETE FROM {Q(Staging)}");
            Stage(Rows(Enumerable.Range(start, 10)));
            await PublishAsync(FileWriteMode.Append);
        }
        Execute($"DELETE FROM {Q(Staging)}");
        Assert.Equal(3, (await ManifestAsync()).Files.Count);
    }

    // A manifest entry as text (its dictionaries compare by reference).
    private static string Key(ParquetManifestFile file) =>
        $"{file.Path}|{file.Rows}|{string.Join(",", file.Min.OrderBy(p => p.Key, StringComparer.Ordinal))}|{string.Join(",", file.Max.OrderBy(p => p.Key, StringComparer.Ordinal))}";

    private static string Rows(IEnumerable<int> ids) =>
        string.Join(", ", ids.Select(i => string.Create(CultureInfo.InvariantCulture, $"({i}, 'row {i}', TIMESTAMP '2026-01-01')")));

    private void Stage(string values)
    {
        Execute($"CREATE TABLE IF NOT EXISTS {Q(Staging)} (id INTEGER, name VARCHAR, updated_at TIMESTAMP)");
        Execute($"INSERT INTO {Q(Staging)} VALUES {values}");
    }

    private Task<PublishedFiles> PublishAsync(FileWriteMode mode) =>
        new ParquetPublisher(_lake.Path, _connection, new DuckDbDialect())
            .PublishAsync(new FilePublishRequest(Orders, Staging, mode, ["id"], ["id", "updated_at"]), CancellationToken.None);

    private async Task<ParquetManifest> ManifestAsync() =>
        await ParquetLake.ReadManifestAsync(Dataset, CancellationToken.None) ?? throw new InvalidOperationException("no manifest");

    private string PathOf(ParquetManifestFile file) => Path.Combine(Dataset, file.Path);

    private string Read(ParquetManifest manifest) =>
        "read_parquet([" + string.Join(", ", ParquetLake.FilesOf(Dataset, manifest).Select(f => $"'{f}'")) + "])";

    private static string Q(TableName table) => new DuckDbDialect().QualifyTable(table);

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        var value = command.ExecuteScalar();
        return value is long or int or short ? Convert.ToInt32(value, CultureInfo.InvariantCulture) : value;
    }
}
