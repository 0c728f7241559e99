using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;
using Pipekit.Core.Secrets;

namespace Pipekit.Query.Results;

/// <summary>
/// What happens to one column's arrays between DuckDB's Arrow export and the wire: nothing for most (the buffers DuckDB
/// filled go out as they are); a new type label on the same buffers for a timestamp with time zone (DuckDB labels it with
/// the session's zone, Pipekit with UTC: the values are UTC instants either way); ISO 8601 text for an interval; and, for
/// every text column, the redaction of secret values, which costs one scan of the batch's text and rebuilds the column
/// only when a secret is in it.
/// </summary>
internal sealed class ArrowColumnConversion
{
    private readonly Kind _kind;
    private readonly IArrowType _target;
    private readonly RedactionSnapshot _redaction;

    private ArrowColumnConversion(Kind kind, IArrowType target, RedactionSnapshot redaction)
    {
        _kind = kind;
        _target = target;
        _redaction = redaction;
    }

    private enum Kind
    {
        AsIs,
        Relabel,
        Redact,
        IntervalText,
    }

    /// <summary>The conversion from <paramref name="native"/> to <paramref name="target"/>; throws when there is none.</summary>
    public static ArrowColumnConversion For(string column, IArrowType native, IArrowType target, RedactionSnapshot redaction)
    {
        if (target is StringType && native is IntervalType { Unit: IntervalUnit.MonthDayNanosecond })
            return new(Kind.IntervalText, target, redaction);
        if (target is StringType && native is StringType) return new(Kind.Redact, target, redaction);
        if (!ArrowTypes.SameLayout(native, target))
            throw new InvalidOperationException($"column '{column}': DuckDB exported {ArrowTypes.Describe(native)} where Pipekit sends " +
                $"{ArrowTypes.Describe(target)}; the Arrow result cannot be encoded");
        return native is TimestampType n && target is TimestampType t && n.Timezone != t.Timezone
            ? new(Kind.Relabel, target, redaction)
            : new(Kind.AsIs, target, redaction);
    }

    /// <summary>
    /// The column as it is sent. <c>Owned</c> is true for a new array with memory of its own, which the caller disposes
    /// after writing it; otherwise the result shares <paramref name="array"/>'s buffers.
    /// </summary>
    public (IArrowArray Array, bool Owned) Apply(IArrowArray array) => _kind switch
    {
        Kind.Relabel => (ArrowArrayFactory.BuildArray(new ArrayData(_target, array.Length, array.NullCount, array.Offset, array.Data.Buffers,
            array.Data.Children)), false),
        Kind.Redact => Redact((StringArray)array),
        Kind.IntervalText => (IntervalText((MonthDayNanosecondIntervalArray)array), true),
        _ => (array, false),
    };

    private (IArrowArray, bool) Redact(StringArray array)
    {
        if (array.Length == 0) return (array, false);
        var offsets = array.ValueOffsets;
        var bytes = array.ValueBuffer.Span[offsets[0]..offsets[array.Length]];
        if (bytes.IsEmpty) return (array, false);
        // One scan over all of the batch's text: almost always no secret, and the buffers go out untouched.
        var text = Encoding.UTF8.GetString(bytes);
        if (ReferenceEquals(_redaction.Redact(text), text)) return (array, false);
        var builder = new StringArray.Builder();
        for (var i = 0; i < array.Length; i++)
        {
            if (array.IsNull(i)) builder.AppendNull();
            else builder.Append(_redaction.Redact(array.GetString(i)));
        }
        return (builder.Build(), true);
    }

    private static StringArray IntervalText(MonthDayNanosecondIntervalArray array)
    {
        var builder = new StringArray.Builder();
        for (var i = 0; i < array.Length; i++)
        {
            if (array.GetValue(i) is { } value) builder.Append(ValueText.Interval(value.Months, value.Days, value.Nanoseconds / 1000));
            else builder.AppendNull();
        }
        return builder.Build();
    }
}
