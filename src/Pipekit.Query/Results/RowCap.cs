using Pipekit.Query.Engine;

namespace Pipekit.Query.Results;

/// <summary>
/// <c>[query].max_rows</c> for the streamed formats: the next row while fewer than the cap were read; at the cap, one
/// more read tells whether the result goes on, and if it does the cursor is marked truncated.
/// </summary>
internal static class RowCap
{
    public static bool Next(QueryCursor cursor, ref long rows, long maxRows)
    {
        if (rows >= maxRows)
        {
            if (!cursor.Truncated && cursor.Read()) cursor.Truncated = true;
            return false;
        }
        if (!cursor.Read()) return false;
        rows++;
        return true;
    }
}
