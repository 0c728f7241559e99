using Pipekit.Core.Drivers;
using Xunit;

namespace Pipekit.Core.Tests.Transfer;

/// <summary>
/// One table of every type that must survive a transfer, as each engine spells it, with the rows that probe
/// the edges: an all-NULL row, decimal precision and a negative, timestamps with and without a zone (one given
/// at +02), booleans, UUIDs, empty and non-empty binary, 4-byte Unicode, and empty strings that are not NULL.
/// </summary>
internal static class FidelityTable
{
    public const string Columns = "id, amount, ts, tstz, d, flag, u, bin, txt, empty";

    public static string Create(string kind) => kind switch
    {
        "postgres" => "CREATE TABLE fidelity (id integer, amount numeric(15,4), ts timestamp, tstz timestamptz, d date, flag boolean, u uuid, bin bytea, txt text, empty text)",
        "duckdb" => "CREATE TABLE fidelity (id INTEGER, amount DECIMAL(15,4), ts TIMESTAMP, tstz TIMESTAMPTZ, d DATE, flag BOOLEAN, u UUID, bin BLOB, txt VARCHAR, empty VARCHAR)",
        "sqlite" => "CREATE TABLE fidelity (id INTEGER, amount NUMERIC(15,4), ts DATETIME, tstz TIMESTAMPTZ, d DATE, flag BOOLEAN, u UUID, bin BLOB, txt TEXT, empty TEXT)",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static string Insert(string kind) => kind switch
    {
        "postgres" => "INSERT INTO fidelity VALUES " +
            "(1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL), " +
            "(2, 12345678901.2345, '2024-02-29 13:45:56.123456', '2024-02-29 13:45:56.123456+00', '2024-02-29', true, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '\\x0001ff', 'Grüße 😀 𝔘', ''), " +
            "(3, -12345678901.2345, '1999-12-31 23:59:59', '1970-01-01 02:00:00+02', '0001-01-01', false, '00000000-0000-0000-0000-000000000001', '\\x', 'plain', ' ')",
        "duckdb" => "INSERT INTO fidelity VALUES " +
            "(1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL), " +
            "(2, 12345678901.2345, TIMESTAMP '2024-02-29 13:45:56.123456', TIMESTAMPTZ '2024-02-29 13:45:56.123456+00', DATE '2024-02-29', true, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::UUID, '\\x00\\x01\\xFF'::BLOB, 'Grüße 😀 𝔘', ''), " +
            "(3, -12345678901.2345, TIMESTAMP '1999-12-31 23:59:59', TIMESTAMPTZ '1970-01-01 02:00:00+02', DATE '0001-01-01', false, '00000000-0000-0000-0000-000000000001'::UUID, ''::BLOB, 'plain', ' ')",
        "sqlite" => "INSERT INTO fidelity VALUES " +
            "(1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL), " +
            "(2, 12345678901.2345, '2024-02-29 13:45:56.123456', '2024-02-29 13:45:56.123456+00:00', '2024-02-29', 1, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', X'0001FF', 'Grüße 😀 𝔘', ''), " +
            "(3, -12345678901.2345, '1999-12-31 23:59:59', '1970-01-01 02:00:00+02:00', '0001-01-01', 0, '00000000-0000-0000-0000-000000000001', X'', 'plain', ' ')",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Asserts the rows read back from any engine, whatever CLR types that engine's provider returns.</summary>
    public static void AssertRows(IReadOnlyList<object?[]> rows)
    {
        Assert.Equal(3, rows.Count);

        Assert.Equal(1L, ValueConversion.ToInt64(rows[0][0]!));
        Assert.All(rows[0].Skip(1), Assert.Null);

        var r2 = rows[1];
        Assert.Equal(2L, ValueConversion.ToInt64(r2[0]!));
        Assert.Equal(12345678901.2345m, ValueConversion.ToDecimal(r2[1]!));
        Assert.Equal(new DateTime(2024, 2, 29, 13, 45, 56).AddTicks(1234560), ValueConversion.ToTimestamp(r2[2]!));
        Assert.Equal(new DateTime(2024, 2, 29, 13, 45, 56, DateTimeKind.Utc).AddTicks(1234560), ValueConversion.ToTimestampUtc(r2[3]!));
        Assert.Equal(new DateOnly(2024, 2, 29), ValueConversion.ToDate(r2[4]!));
        Assert.True(ValueConversion.ToBoolean(r2[5]!));
        Assert.Equal(Guid.Parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), ValueConversion.ToGuid(r2[6]!));
        Assert.Equal(new byte[] { 0, 1, 255 }, ValueConversion.ToBytes(r2[7]!));
        Assert.Equal("Grüße 😀 𝔘", r2[8]);
        Assert.Equal("", r2[9]);

        var r3 = rows[2];
        Assert.Equal(-12345678901.2345m, ValueConversion.ToDecimal(r3[1]!));
        Assert.Equal(new DateTime(1999, 12, 31, 23, 59, 59), ValueConversion.ToTimestamp(r3[2]!));
        Assert.Equal(new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc), ValueConversion.ToTimestampUtc(r3[3]!));
        Assert.Equal(new DateOnly(1, 1, 1), ValueConversion.ToDate(r3[4]!));
        Assert.False(ValueConversion.ToBoolean(r3[5]!));
        Assert.Equal(Guid.Parse("00000000-0000-0000-0000-000000000001"), ValueConversion.ToGuid(r3[6]!));
        Assert.Empty(ValueConversion.ToBytes(r3[7]!));
        Assert.Equal("plain", r3[8]);
        Assert.Equal(" ", r3[9]);
    }
}
