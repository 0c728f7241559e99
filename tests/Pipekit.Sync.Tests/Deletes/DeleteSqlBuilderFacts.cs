using Pipekit.Core.Drivers;
using Pipekit.Sync.Deletes;
using Pipekit.Sync.Modules;
using Xunit;

namespace Pipekit.Sync.Tests.Deletes;

/// <summary>The delete-detection statements as exact text in the dialects whose quoting differs.</summary>
public sealed class DeleteSqlBuilderFacts
{
    private static readonly DriverRegistry Drivers = DriverRegistry.CreateDefault();

    [Fact]
    public void Hard_deletes_destination_rows_without_a_key_in_the_keys_table()
    {
        var sql = DeleteSqlBuilder.Build(Drivers.Get("postgres").GetDialect(null), DeleteDetection.Hard, new TableName("orders", "sales"),
            new TableName("m__keys", "pipekit_staging"), ["region", "order_no"]);

        Assert.Equal(
            ["DELETE FROM \"sales\".\"orders\" WHERE NOT EXISTS (SELECT 1 FROM \"pipekit_staging\".\"m__keys\" k WHERE k.\"region\" = \"sales\".\"orders\".\"region\" AND k.\"order_no\" = \"sales\".\"orders\".\"order_no\")"],
            sql);
    }

    [Fact]
    public void Soft_marks_rows_that_left_and_unmarks_rows_that_came_back()
    {
        var sql = DeleteSqlBuilder.Build(Drivers.Get("mysql").GetDialect(null), DeleteDetection.Soft, new TableName("orders"),
            new TableName("m__keys", "pipekit_staging"), ["id"]);

        Assert.Equal(
        [
            "UPDATE `orders` SET `_pipekit_deleted_at` = CURRENT_TIMESTAMP WHERE `_pipekit_deleted_at` IS NULL AND NOT EXISTS (SELECT 1 FROM `pipekit_staging`.`m__keys` k WHERE k.`id` = `orders`.`id`)",
            "UPDATE `orders` SET `_pipekit_deleted_at` = NULL WHERE `_pipekit_deleted_at` IS NOT NULL AND EXISTS (SELECT 1 FROM `pipekit_staging`.`m__keys` k WHERE k.`id` = `orders`.`id`)",
        ], sql);
    }
}
