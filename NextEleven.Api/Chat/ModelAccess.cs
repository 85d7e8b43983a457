using NextEleven.Api.Clients;

namespace NextEleven.Api.Chat;

/// <summary>The models a request's client may use: its own list (clients file), within <c>Chat:AllowedModels</c>.</summary>
internal static class ModelAccess
{
    /// <summary>
    /// The model a call runs on, or a failure when the client may not use the one asked for. A request
    /// that names none runs on the default model (null), or, when the client's list leaves that out, on
    /// the first model of its list.
    /// </summary>
    public static (string? Model, ChatFailure? Forbidden) Resolve(ApiClient? client, string defaultModel, string? asked)
    {
        if (client is not { Models: { } allowed })
        {
            return (asked, null);
        }
        var model = asked ?? (client.MayUse(defaultModel) ? null : allowed[0]);
        var used = model ?? defaultModel;
        return client.MayUse(used)
            ? (model, null)
            : (model, new ChatFailure(ChatFailureKind.ModelNotAllowed, $"Model '{used}' is not allowed for this API key"));
    }

    /// <summary>The models a client may name: <c>Chat:AllowedModels</c>, narrowed by its own list.</summary>
    public static IEnumerable<string> For(ApiClient? client, IReadOnlyList<string> models) =>
        client is { Models: not null } ? models.Where(client.MayUse) : models;
}
