using System.Text.Json.Serialization;

namespace Pipekit.Sync.Modules;

/// <summary>The <c>columns_json</c> column, (de)serialised by generated code: module listings read it for every module.</summary>
[JsonSerializable(typeof(List<ModuleColumn>))]
internal sealed partial class ModuleColumnsJson : JsonSerializerContext;
