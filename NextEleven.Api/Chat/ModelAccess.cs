using NextEleven.Api.Errors;
using NextEleven.Api.Security;

namespace NextEleven.Api.Chat;

/// <summary>The models a request's client may use: its own list (clients file), within <c>Chat:AllowedModels</c>.</summary>
public static class ModelAccess
{
    /// <summary>
    /// A 403 when the client may not use the model asked for. A request that names none runs on the
    /// default model, or, when the client's list leaves that out, on the first model of its list.
    /// </summary>
    public static ApiErrorResult? Check(HttpContext context, ChatService chat, ref string? model)
    {
        if (context.Features.Get<ClientIdentity>()?.Client is not { Models: { } allowed } client)
        {
            return null;
        }
        if (model is null && !client.MayUse(chat.DefaultModel))
        {
            model = allowed[0];
        }
        var asked = model ?? chat.DefaultModel;
        return client.MayUse(asked) ? null : ApiErrors.Forbidden($"Model '{asked}' is not allowed for this API key");
    }

    /// <summary>The models a client may name: <c>Chat:AllowedModels</c>, narrowed by its own list.</summary>
    public static IEnumerable<string> For(HttpContext context, ChatService chat) =>
        context.Features.Get<ClientIdentity>()?.Client is { Models: not null } client
            ? chat.Models.Where(client.MayUse)
            : chat.Models;
}
