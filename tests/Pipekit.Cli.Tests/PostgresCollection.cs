using Pipekit.Testing;
using Xunit;

namespace Pipekit.Cli.Tests;

/// <summary>Facts that need the throwaway PostgreSQL cluster, such as the CLI on a PostgreSQL state store.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
