using NextEleven.Api.Chat;
using NextEleven.Api.Clients;
using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Tests.Chat;

/// <summary>Which model a client's call runs on: no host, no HTTP.</summary>
[Trait("Category", "Unit")]
public sealed class ModelAccessTests
{
    private static readonly RateLimitPolicy Policy = new("default", 10, TimeSpan.FromMinutes(1));

    private static ApiClient Client(params string[]? models) => new("acme", null, Policy, null, null, models, disabled: false);

    [Fact]
    public void AClientWithoutAListMayNameAnyModelAndNamingNoneMeansTheDefault()
    {
        Assert.Equal(("grok-3", (ChatFailure?)null), ModelAccess.Resolve(Client(null), "grok-4", "grok-3"));
        Assert.Equal((null, (ChatFailure?)null), ModelAccess.Resolve(null, "grok-4", null));
    }

    [Fact]
    public void AClientWhoseListLeavesOutTheDefaultIsGivenItsFirstModel()
    {
        Assert.Equal(("grok-3-mini", (ChatFailure?)null), ModelAccess.Resolve(Client("grok-3-mini", "grok-3"), "grok-4", null));
        Assert.Equal((null, (ChatFailure?)null), ModelAccess.Resolve(Client("grok-3", "grok-4"), "grok-4", null));
    }

    [Fact]
    public void AModelOffTheClientsListIsForbiddenByName()
    {
        var (_, forbidden) = ModelAccess.Resolve(Client("grok-3"), "grok-4", "grok-4");

        Assert.Equal(ChatFailureKind.ModelNotAllowed, forbidden!.Kind);
        Assert.Equal("Model 'grok-4' is not allowed for this API key", forbidden.Message);
    }

    [Fact]
    public void TheModelsListedForAClientAreTheAllowedOnesItsListKeeps()
    {
        Assert.Equal(["grok-3"], ModelAccess.For(Client("grok-3", "gpt-5"), ["grok-4", "grok-3"]));
        Assert.Equal(["grok-4", "grok-3"], ModelAccess.For(null, ["grok-4", "grok-3"]));
    }
}
