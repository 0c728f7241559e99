using Pipekit.Core.Connections;
using Pipekit.Core.Drivers;
using Pipekit.Core.Validation;
using Xunit;

namespace Pipekit.Core.Tests.Connections;

/// <summary>
/// Every way each provider accepts a password in a connection string or URI is refused before anything is stored:
/// passwords live in the secrets file and connections name them as <c>$NAME</c>.
/// </summary>
public sealed class ConnectionPasswordFormsFacts
{
    private const string Value = "S3cr3t-V@lue!";

    private static readonly ConnectionValidator Validator = new(DriverRegistry.CreateDefault());

    public static TheoryData<string, string> PasswordForms => new()
    {
        // PostgreSQL: URI user info, libpq/Npgsql query parameters in any case, encoded keys, Npgsql keywords and aliases.
        { "", "postgres://u:S3cr3t-V%40lue!@db.example/sales" },
        { "", "postgresql://u:S3cr3t@db.example/sales" },
        { "", "postgres://:S3cr3t@db.example/sales" },
        { "", "postgres://u@db.example/sales?password=S3cr3t-V%40lue!" },
        { "", "postgres://u@db.example/sales?sslmode=require&PASSWORD=S3cr3t" },
        { "", "postgres://u@db.example/sales?PSW=S3cr3t" },
        { "", "postgres://u@db.example/sales?pwd=S3cr3t" },
        { "", "postgres://u@db.example/sales?pass%77ord=S3cr3t" },
        { "", "postgres://u@db.example/sales?Password=%24NOT_RESOLVED" },
        { "", "postgres://u@db.example/sales?sslpassword=S3cr3t" },
        { "postgres", "Host=db.example;Username=u;PSW=S3cr3t" },
        { "postgres", "Host=db.example;Username=u;psw=$LOOKS_LIKE_A_REFERENCE" },
        { "postgres", "Host=db.example;Username=u;Password=S3cr3t" },
        { "postgres", "Host=db.example;Username=u; pWd = S3cr3t" },
        { "postgres", "Host=db.example;Username=u;SSL Password=S3cr3t" },
        { "postgres", "Host=db.example;Username=u;Password='S3cr;3t'" },
        // MySQL / MariaDB
        { "", "mysql://u:S3cr3t@db.example/sales" },
        { "", "mariadb://u@db.example/sales?password=S3cr3t" },
        { "", "mysql://u@db.example/sales?Pwd=S3cr3t" },
        { "mysql", "Server=db.example;User ID=u;pwd=S3cr3t" },
        { "mysql", "Server=db.example;User ID=u;Password=S3cr3t" },
        // SQL Server
        { "", "sqlserver://u:S3cr3t@db.example/sales" },
        { "", "mssql://u@db.example/sales?Password=S3cr3t" },
        { "sqlserver", "Server=db.example;User Id=u;Password=S3cr3t;TrustServerCertificate=true" },
        { "sqlserver", "Data Source=db.example;PWD=S3cr3t" },
        // ODBC: native strings (braced values too) and the odbc:// forms
        { "odbc", "Driver={PostgreSQL Unicode};Server=db.example;UID=u;PWD={S3cr;3t}" },
        { "", "odbc:Driver={PostgreSQL Unicode};Server=db.example;UID=u;pwd=S3cr3t" },
        { "", "odbc://SALES?UID=u;PWD=S3cr3t" },
        { "", "odbc://?Driver=/usr/lib/x.so;Database=/data/x.db;Password=S3cr3t" },
        // SQLite (SQLCipher's Password keyword) and DuckDB configuration secrets
        { "", "sqlite:///tmp/x.db?password=S3cr3t" },
        { "sqlite", "Data Source=/tmp/x.db;Password=S3cr3t" },
        { "", "duckdb:///tmp/x.duckdb?s3_secret_access_key=S3cr3t" },
    };

    [Theory]
    [MemberData(nameof(PasswordForms))]
    public void A_password_in_any_form_is_refused_with_a_hint_to_use_a_secret_reference(string driver, string url)
    {
        var refused = Assert.Throws<ValidationException>(() => Validator.Validate(new ConnectionRecord { Name = "c", Driver = driver, Url = url }));

        Assert.Contains("url", refused.Message);
        Assert.Contains("$NAME", refused.Message);
        Assert.DoesNotContain("S3cr3t", refused.Message);
        Assert.DoesNotContain(Uri.EscapeDataString(Value), refused.Message);
    }

    [Theory]
    [InlineData("", "postgres://u@db.example/sales?sslmode=require&application_name=pipekit")]
    [InlineData("postgres", "Host=db.example;Username=u;Passfile=/etc/pipekit/pgpass")]
    [InlineData("", "mysql://u@db.example/sales?ssl_mode=Required")]
    [InlineData("sqlserver", "Server=db.example;User Id=u;Encrypt=false")]
    [InlineData("", "odbc://SALES?UID=u")]
    [InlineData("", "duckdb:///tmp/x.duckdb?access_mode=read_only")]
    [InlineData("", "sqlite:///tmp/x.db")]
    public void A_connection_without_a_password_passes(string driver, string url)
    {
        var valid = Validator.Validate(new ConnectionRecord { Name = "c", Driver = driver, Url = url, Password = "$PW" });

        Assert.Equal(url, valid.Url);
    }
}
