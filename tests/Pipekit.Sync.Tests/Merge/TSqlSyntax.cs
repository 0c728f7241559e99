using Microsoft.SqlServer.TransactSql.ScriptDom;
using Xunit;

namespace Pipekit.Sync.Tests.Merge;

/// <summary>Checks generated T-SQL with Microsoft's own parser, since no SQL Server runs on this machine.</summary>
internal static class TSqlSyntax
{
    public static void AssertParses(string sql)
    {
        var parser = new TSql170Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        var fragment = parser.Parse(reader, out var errors);
        Assert.True(errors.Count == 0, $"T-SQL does not parse: {string.Join("; ", errors.Select(e => $"{e.Message} at {e.Line}:{e.Column}"))}\n{sql}");
        Assert.NotEmpty(((TSqlScript)fragment).Batches);
    }
}
