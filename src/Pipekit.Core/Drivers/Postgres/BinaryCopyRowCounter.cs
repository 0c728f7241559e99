using System.Buffers.Binary;

namespace Pipekit.Core.Drivers.Postgres;

/// <summary>
/// Counts the rows of a PostgreSQL binary COPY stream as its bytes pass through, without decoding values:
/// an 11-byte signature, flags, a header extension, then per row a 16-bit field count (-1 ends the stream)
/// and per field a 32-bit length (-1 for NULL) followed by that many bytes.
/// </summary>
internal sealed class BinaryCopyRowCounter
{
    private const int SignatureAndFlags = 11 + 4;
    private readonly byte[] _scratch = new byte[4];
    private int _have;
    private long _skip = SignatureAndFlags;
    private Phase _phase = Phase.ExtensionLength;
    private int _fieldsLeft;

    private enum Phase { ExtensionLength, FieldCount, FieldLength, Done }

    public long Rows { get; private set; }

    public bool Finished => _phase == Phase.Done;

    public void Consume(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty && _phase != Phase.Done)
        {
            if (_skip == 0 && _have == 0 && _phase == Phase.FieldCount && TrySkipWholeRow(ref data)) continue;
            if (_skip > 0)
            {
                var n = (int)Math.Min(_skip, data.Length);
                _skip -= n;
                data = data[n..];
                continue;
            }
            var want = _phase == Phase.FieldCount ? 2 : 4;
            var take = Math.Min(want - _have, data.Length);
            data[..take].CopyTo(_scratch.AsSpan(_have));
            _have += take;
            data = data[take..];
            if (_have < want) return;
            _have = 0;
            switch (_phase)
            {
                case Phase.ExtensionLength:
                    _skip = BinaryPrimitives.ReadInt32BigEndian(_scratch);
                    _phase = Phase.FieldCount;
                    break;
                case Phase.FieldCount:
                    var count = BinaryPrimitives.ReadInt16BigEndian(_scratch);
                    if (count < 0) { _phase = Phase.Done; break; }
                    Rows++;
                    _fieldsLeft = count;
                    _phase = count == 0 ? Phase.FieldCount : Phase.FieldLength;
                    break;
                case Phase.FieldLength:
                    var length = BinaryPrimitives.ReadInt32BigEndian(_scratch);
                    if (length > 0) _skip = length;
                    _phase = --_fieldsLeft == 0 ? Phase.FieldCount : Phase.FieldLength;
                    break;
            }
        }
    }

    /// <summary>
    /// The common case, a whole row inside the span, read straight from it without the byte-wise state machine;
    /// false (and nothing consumed) when the row crosses the end of the span.
    /// </summary>
    private bool TrySkipWholeRow(ref ReadOnlySpan<byte> data)
    {
        if (data.Length < 2) return false;
        var count = BinaryPrimitives.ReadInt16BigEndian(data);
        if (count < 0) return false;
        var offset = 2;
        for (var i = 0; i < count; i++)
        {
            if (data.Length - offset < 4) return false;
            var length = BinaryPrimitives.ReadInt32BigEndian(data[offset..]);
            offset += 4;
            if (length > 0)
            {
                if (data.Length - offset < length) return false;
                offset += length;
            }
        }
        Rows++;
        data = data[offset..];
        return true;
    }
}
