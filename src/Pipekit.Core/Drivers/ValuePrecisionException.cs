namespace Pipekit.Core.Drivers;

/// <summary>
/// A value the destination would keep only approximately (a 38-digit decimal into System.Decimal or a SQLite REAL).
/// Its message names the value's shape; a bulk writer's error adds the row, the column and the type.
/// </summary>
internal sealed class ValuePrecisionException(string message) : OverflowException(message);
