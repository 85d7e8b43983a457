using NextEleven.Api.Clients;

namespace NextEleven.Api.Chat;

/// <summary>The models a request's client may use: its own list (clients file), within <c>Chat:AllowedModels</c>.</summary>
internal static class ModelAccess
{
    /// <summary>
    /// A failure when the client may not use the model asked for. A request that names none runs on the
    /// default model, or, when the client's list leaves that out, on the first model of its list.
    /// </summary>
    public static ChatFailure? Check(ApiClient? client, string defaultModel, ref string? model)
    {
        if (client is not { Models: { } allowed })
        {
            return null;
        }
        if (model is null && !client.MayUse(defaultModel))
        {
            model = allowed[0];
        }
        var asked = model ?? defaultModel;
        return client.MayUse(asked) ? null : new ChatFailure(ChatFailureKind.ModelNotAllowed, $"Model '{asked}' is not allowed for this API key");
    }

    /// <summary>The models a client may name: <c>Chat:AllowedModels</c>, narrowed by its own list.</summary>
    public static IEnumerable<string> For(ApiClient? client, IReadOnlyList<string> models) =>
        client is { Models: not null } ? models.Where(client.MayUse) : models;
}
