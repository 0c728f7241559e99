using System.Collections;
using System.Data;
using System.Data.Common;

namespace Pipekit.Core.State;

/// <summary>
/// The parameters of one state-store statement (see <see cref="StateSql"/>), written as a collection initialiser:
/// <c>new StateArgs { { "id", id }, { "owner", owner } }</c>. Each value carries its type, so a null still reaches
/// PostgreSQL as a bigint or a text: an untyped null in a <c>SELECT</c> list would be resolved as text.
/// </summary>
public sealed class StateArgs : IEnumerable
{
    private readonly List<(string Name, object? Value, DbType Type)> _items = [];

    public void Add(string name, long? value) => _items.Add((name, value, DbType.Int64));

    public void Add(string name, string? value) => _items.Add((name, value, DbType.String));

    public void Add(string name, double? value) => _items.Add((name, value, DbType.Double));

    internal void AddTo(DbCommand command)
    {
        foreach (var (name, value, type) in _items)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.DbType = type;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();
}
