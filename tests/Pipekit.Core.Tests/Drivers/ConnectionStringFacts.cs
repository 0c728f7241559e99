using Npgsql;
using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.DuckDb;
using Pipekit.Core.Drivers.Postgres;
using Pipekit.Core.Drivers.Sqlite;
using Xunit;

namespace Pipekit.Core.Tests.Drivers;

public sealed class ConnectionStringFacts
{
    private static ResolvedConnection Conn(string driver, string url, string? user = null, string? password = null) =>
        new("c", driver, url, user, password, null);

    [Fact]
    public void Postgres_uri_sets_host_port_database_user_password_and_sslmode()
    {
        var b = new NpgsqlConnectionStringBuilder(PostgresConnectionString.Build(
            Conn("postgres", "postgres://etl:p%40ss@db.example:6543/ware%20house?sslmode=require&application_name=pipekit")));
        Assert.Equal("db.example", b.Host);
        Assert.Equal(6543, b.Port);
        Assert.Equal("ware house", b.Database);
        Assert.Equal("etl", b.Username);
        Assert.Equal("p@ss", b.Password);
        Assert.Equal(SslMode.Require, b.SslMode);
        Assert.Equal("pipekit", b.ApplicationName);
    }

    [Theory]
    [InlineData("postgres://h/d", GssEncryptionMode.Disable)]
    [InlineData("postgres://h/d?gssencmode=prefer", GssEncryptionMode.Prefer)]
    [InlineData("postgres://h/d?gssencmode=require", GssEncryptionMode.Require)]
    [InlineData("Host=h;Database=d", GssEncryptionMode.Disable)]
    [InlineData("Host=h;Database=d;GSS Encryption Mode=Prefer", GssEncryptionMode.Prefer)]
    public void Gss_encryption_is_asked_for_only_when_the_connection_says_so(string url, GssEncryptionMode expected) =>
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(PostgresConnectionString.Build(Conn("postgres", url))).GssEncryptionMode);

    [Theory]
    [InlineData("postgres://h/d", false)]
    [InlineData("postgres://h/d?enlist=true", true)]
    [InlineData("Host=h;Database=d", false)]
    [InlineData("Host=h;Database=d;Enlist=true", true)]
    public void Connections_enlist_in_ambient_transactions_only_when_they_say_so(string url, bool expected) =>
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(PostgresConnectionString.Build(Conn("postgres", url))).Enlist);

    [Theory]
    [InlineData("postgres://h/d", 65536)]
    [InlineData("postgres://h/d?Read%20Buffer%20Size=16384", 16384)]
    [InlineData("Host=h;Database=d", 65536)]
    [InlineData("Host=h;Database=d;read buffer size=8192", 8192)]
    public void Bulk_sized_buffers_apply_unless_the_connection_sets_its_own(string url, int readBuffer)
    {
        var b = new NpgsqlConnectionStringBuilder(PostgresConnectionString.Build(Conn("postgres", url)));
        Assert.Equal((readBuffer, 65536), (b.ReadBufferSize, b.WriteBufferSize));
    }

    [Fact]
    public void An_unknown_gssencmode_is_an_error_naming_the_choices() =>
        Assert.Contains("unknown gssencmode 'maybe' (disable, prefer, require)",
            Assert.Throws<DriverException>(() => PostgresConnectionString.Build(Conn("postgres", "postgres://h/d?gssencmode=maybe"))).Message);

    [Fact]
    public void Postgres_connection_username_and_resolved_password_win_over_the_uri()
    {
        var b = new NpgsqlConnectionStringBuilder(PostgresConnectionString.Build(
            Conn("postgres", "postgresql://old@localhost/db", "etl", "s3cret")));
        Assert.Equal("etl", b.Username);
        Assert.Equal("s3cret", b.Password);
        Assert.Equal(5432, b.Port);
    }

    [Fact]
    public void Postgres_native_strings_pass_through()
    {
        var b = new NpgsqlConnectionStringBuilder(PostgresConnectionString.Build(
            Conn("postgres", "Host=h;Port=5433;Database=d", "u", "pw")));
        Assert.Equal(("h", 5433, "d", "u", "pw"), (b.Host, b.Port, b.Database, b.Username, b.Password));
    }

    [Fact]
    public void A_bad_postgres_option_is_an_error_without_the_password()
    {
        var ex = Assert.Throws<DriverException>(() => PostgresConnectionString.Build(
            Conn("postgres", "postgres://u:hunter2@h/d?sslmode=sometimes", null, "hunter2")));
        Assert.Contains("sslmode", ex.Message);
        Assert.DoesNotContain("hunter2", ex.Message);
    }

    [Theory]
    [InlineData("duckdb:///var/data/w.duckdb", "Data Source=/var/data/w.duckdb")]
    [InlineData("duckdb::memory:", "Data Source=:memory:")]
    [InlineData("duckdb:///var/w.duckdb?access_mode=read_only", "Data Source=/var/w.duckdb;access_mode=read_only")]
    [InlineData("Data Source=/x.duckdb", "Data Source=/x.duckdb")]
    public void Duckdb_uris_become_data_sources(string url, string expected) =>
        Assert.Equal(expected, DuckDbConnectionString.Build(Conn("duckdb", url)));

    [Theory]
    [InlineData("sqlite:///var/data/app.db", "Data Source=/var/data/app.db")]
    [InlineData("sqlite::memory:", "Data Source=:memory:")]
    [InlineData("sqlite:///var/app.db?mode=ro", "Data Source=/var/app.db;Mode=ReadOnly")]
    public void Sqlite_uris_become_data_sources(string url, string expected) =>
        Assert.Equal(expected, SqliteConnectionString.Build(Conn("sqlite", url)));

    [Theory]
    [InlineData("sqlite", "sqlite://relative.db")]
    [InlineData("duckdb", "duckdb://relative.duckdb")]
    public void Relative_file_uris_are_refused_with_the_expected_form(string kind, string url)
    {
        var ex = Assert.Throws<DriverException>(() => kind == "sqlite"
            ? SqliteConnectionString.Build(Conn(kind, url))
            : DuckDbConnectionString.Build(Conn(kind, url)));
        Assert.Contains($"{kind}:///", ex.Message);
    }

    [Theory]
    [InlineData("postgres://h/d", "postgres")]
    [InlineData("postgresql://h/d", "postgres")]
    [InlineData("duckdb:///x.duckdb", "duckdb")]
    [InlineData("sqlite:///x.db", "sqlite")]
    public void The_registry_finds_the_driver_by_scheme(string url, string kind) =>
        Assert.Equal(kind, DriverRegistry.CreateDefault().Resolve(null, url).Kind);
}
