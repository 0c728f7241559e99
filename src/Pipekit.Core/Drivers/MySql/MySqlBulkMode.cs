namespace Pipekit.Core.Drivers.MySql;

/// <summary>How the MySQL bulk writer loads rows.</summary>
internal enum MySqlBulkMode
{
    /// <summary>LOAD DATA LOCAL when the client allows it, falling back to INSERT when the server refuses it.</summary>
    Auto,

    /// <summary>LOAD DATA LOCAL through MySqlBulkCopy only; a refusal is an error.</summary>
    LoadData,

    /// <summary>Multi-row parameterised INSERT only.</summary>
    Insert,
}
