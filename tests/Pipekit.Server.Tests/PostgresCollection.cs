using Pipekit.Testing;
using Xunit;

namespace Pipekit.Server.Tests;

/// <summary>Facts that need the throwaway PostgreSQL cluster (one per test assembly), such as the server on a PostgreSQL state store.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
