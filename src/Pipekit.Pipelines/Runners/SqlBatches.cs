using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Pipekit.Pipelines.Runners;

/// <summary>
/// Splits a SQL Server script into the batches <c>GO</c> separates, as sqlcmd and SSMS do. The split uses the
/// T-SQL lexer of Microsoft.SqlServer.TransactSql.ScriptDom, so a GO inside a string, a comment or an identifier is
/// left alone, and <c>GO n</c> repeats its batch n times.
/// </summary>
internal static class SqlBatches
{
    public static IReadOnlyList<string> Split(string script)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        var tokens = parser.GetTokenStream(new StringReader(script), out var errors);
        if (errors.Count > 0 || tokens.Count == 0) return script.Trim().Length == 0 ? [] : [script];

        var batches = new List<string>();
        var start = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.TokenType != TSqlTokenType.Go) continue;
            var repeat = 1;
            var end = token.Offset + token.Text.Length;
            // GO n: an integer on the same line repeats the batch.
            for (var j = i + 1; j < tokens.Count && tokens[j].Line == token.Line; j++)
            {
                if (tokens[j].TokenType == TSqlTokenType.Integer && int.TryParse(tokens[j].Text, out var n) && n > 0) repeat = n;
                end = tokens[j].Offset + tokens[j].Text.Length;
                i = j;
            }
            var batch = script[start..token.Offset];
            if (batch.Trim().Length > 0)
                for (var r = 0; r < repeat; r++) batches.Add(batch);
            start = end;
        }
        var last = script[start..];
        if (last.Trim().Length > 0) batches.Add(last);
        return batches;
    }
}
