using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Fixtures;

[CollectionDefinition(Name)]
public sealed class MariaDbCollection : ICollectionFixture<MariaDbFixture>
{
    public const string Name = "mariadb";
}
