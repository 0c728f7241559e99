using Pipekit.Core.Connections;
using Pipekit.Core.Drivers;
using Pipekit.Core.Secrets;
using Pipekit.Core.Validation;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Connections;

/// <summary>A connection's whole URL may be a <c>$NAME</c> secret reference, resolved like a password and redacted everywhere.</summary>
public sealed class SecretUrlFacts : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_secret_url_without_a_driver_is_refused_saying_to_give_the_driver()
    {
        var validator = new ConnectionValidator(DriverRegistry.CreateDefault());

        var ex = Assert.Throws<ValidationException>(() => validator.Validate(new ConnectionRecord { Name = "shop", Driver = "", Url = "$SHOP_URL" }));

        Assert.Equal(["is required when the URL is a secret reference ($SHOP_URL): the driver cannot be read from it; give it (--driver postgres, or driver = \"postgres\" in a project file)"],
            ex.Errors["driver"]);
    }

    [Fact]
    public void A_secret_url_with_a_driver_is_stored_as_the_reference_even_when_the_secret_holds_a_password()
    {
        var validator = new ConnectionValidator(DriverRegistry.CreateDefault());

        var record = validator.Validate(new ConnectionRecord { Name = "shop", Driver = "postgres", Url = " $SHOP_URL " });

        Assert.Equal(("postgres", "$SHOP_URL"), (record.Driver, record.Url));
    }

    [Fact]
    public async Task The_url_resolves_from_the_project_section_before_global_and_every_form_of_it_is_redacted()
    {
        var path = _dir.File("secrets.toml");
        await File.WriteAllTextAsync(path, """
            [global]
            SHOP_URL = "postgres://etl:globalpw@db1/shop"

            [sales]
            SHOP_URL = "postgres://etl:S3cr3t-pw@db2/shop"
            """);
        var redactor = new Redactor([]);
        var resolver = new ConnectionResolver(await SecretStore.LoadAsync(path, CancellationToken.None), redactor);
        var record = new ConnectionRecord { Name = "shop", Driver = "postgres", Url = "$SHOP_URL", Project = "sales" };

        var resolved = resolver.Resolve(record);

        Assert.Equal("postgres://etl:S3cr3t-pw@db2/shop", resolved.Url);
        Assert.Equal("failed at *** and the password *** alone", redactor.Redact("failed at postgres://etl:S3cr3t-pw@db2/shop and the password S3cr3t-pw alone"));
        Assert.Equal("postgres://etl:globalpw@db1/shop", resolver.Resolve(record with { Project = null }).Url);
    }

    [Fact]
    public async Task A_missing_url_secret_is_an_error_that_names_it_and_never_a_value()
    {
        var path = _dir.File("secrets.toml");
        await File.WriteAllTextAsync(path, "[global]\n");
        var resolver = new ConnectionResolver(await SecretStore.LoadAsync(path, CancellationToken.None), new Redactor([]));

        var ex = Assert.Throws<SecretsException>(() => resolver.Resolve(new ConnectionRecord { Name = "shop", Driver = "postgres", Url = "$NO_SUCH_URL_SECRET" }));

        Assert.Contains("NO_SUCH_URL_SECRET", ex.Message);
    }
}
