namespace NextEleven.Api.Providers;

/// <summary>A public model (<c>Chat:Models:&lt;name&gt;</c>): the targets that answer it, <c>provider/model</c>, tried in order.</summary>
internal sealed class ModelRouteOptions
{
    public List<string> Targets { get; } = [];
}
