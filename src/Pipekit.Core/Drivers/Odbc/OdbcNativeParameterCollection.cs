using System.Collections;
using System.Data.Common;

namespace Pipekit.Core.Drivers.Odbc;

/// <summary>The parameters of a command, bound to the <c>?</c> markers in order; names are only labels.</summary>
internal sealed class OdbcNativeParameterCollection : DbParameterCollection
{
    private readonly List<OdbcNativeParameter> _items = [];

    public override int Count => _items.Count;

    public override object SyncRoot => ((ICollection)_items).SyncRoot;

    internal IReadOnlyList<OdbcNativeParameter> Items => _items;

    /// <summary>Appends a parameter for the next <c>?</c> marker.</summary>
    public OdbcNativeParameter AddWithValue(object? value)
    {
        var parameter = new OdbcNativeParameter(value);
        _items.Add(parameter);
        return parameter;
    }

    public override int Add(object value)
    {
        _items.Add(Cast(value));
        return _items.Count - 1;
    }

    public override void AddRange(Array values)
    {
        foreach (var value in values) Add(value!);
    }

    public override void Clear() => _items.Clear();

    public override bool Contains(object value) => value is OdbcNativeParameter p && _items.Contains(p);

    public override bool Contains(string value) => IndexOf(value) >= 0;

    public override void CopyTo(Array array, int index) => ((ICollection)_items).CopyTo(array, index);

    public override IEnumerator GetEnumerator() => _items.GetEnumerator();

    public override int IndexOf(object value) => value is OdbcNativeParameter p ? _items.IndexOf(p) : -1;

    public override int IndexOf(string parameterName) =>
        _items.FindIndex(p => string.Equals(p.ParameterName, parameterName, StringComparison.OrdinalIgnoreCase));

    public override void Insert(int index, object value) => _items.Insert(index, Cast(value));

    public override void Remove(object value) => _items.Remove(Cast(value));

    public override void RemoveAt(int index) => _items.RemoveAt(index);

    public override void RemoveAt(string parameterName) => _items.RemoveAt(IndexOfOrThrow(parameterName));

    protected override DbParameter GetParameter(int index) => _items[index];

    protected override DbParameter GetParameter(string parameterName) => _items[IndexOfOrThrow(parameterName)];

    protected override void SetParameter(int index, DbParameter value) => _items[index] = Cast(value);

    protected override void SetParameter(string parameterName, DbParameter value) => _items[IndexOfOrThrow(parameterName)] = Cast(value);

    private int IndexOfOrThrow(string parameterName)
    {
        var index = IndexOf(parameterName);
        return index >= 0 ? index : throw new IndexOutOfRangeException($"no parameter named '{parameterName}'");
    }

    private static OdbcNativeParameter Cast(object value) =>
        value as OdbcNativeParameter
        ?? throw new InvalidCastException($"an ODBC command takes OdbcNativeParameter values, not {value?.GetType().Name ?? "null"}");
}
