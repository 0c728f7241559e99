using Pipekit.Core.Connections;
using Pipekit.Server.Pages.Shared;

namespace Pipekit.Server.Pages;

/// <summary>
/// The dashboard's modules of one source connection: the first rows by name, how many modules it has in all (that
/// match the search) and how many of them are failing.
/// </summary>
internal sealed record DashboardSection(long SourceId, ConnectionRecord? Source, IReadOnlyList<ModuleRow> Rows, int Total, int Failing);
