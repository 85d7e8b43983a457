using System.Text.Json;
using System.Text.Json.Serialization;

namespace NextEleven.Api.Clients;

/// <summary>
/// The clients file's JSON, source-generated. Unknown fields are refused, so a plaintext <c>"key"</c> written in by hand makes the file invalid
/// rather than being silently ignored; so is a property given twice (a second <c>"clients"</c> would
/// otherwise silently replace the first).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(ClientsFileJson))]
internal sealed partial class ClientsJsonContext : JsonSerializerContext;
