using System.Text.Json.Nodes;
using NextEleven.Api.Clients;
using NextEleven.Api.RateLimiting;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.Clients;

/// <summary>The clients file checked and built into a directory, without a host.</summary>
[Trait("Category", "Unit")]
public sealed class ClientDirectoryBuilderTests
{
    private static readonly RateLimitOptions Limits = new()
    {
        Tiers = { ["gold"] = new RateLimitTierOptions { PermitLimit = 1_000 } },
    };

    internal static (ClientDirectory Directory, string? Problem) Build(string json, string? environmentKey = null)
    {
        var file = System.Text.Json.JsonSerializer.Deserialize(json, ClientsJsonContext.Default.ClientsFileJson);
        var directory = ClientDirectoryBuilder.Build(new ApiKeyOptions { ApiKey = environmentKey }, file, Limits, out var problem);
        return (directory, problem);
    }

    [Fact]
    public void EachKeyIsFoundByItsDigestAndNamesItsClient()
    {
        var (acme, globex) = (ClientsFiles.NewKey(), ClientsFiles.NewKey());

        var (directory, problem) = Build(ClientsFiles.File(ClientsFiles.Client("acme", [acme]), ClientsFiles.Client("globex", [globex])));

        Assert.Null(problem);
        Assert.Equal("acme", directory.Keys[KeyDigest.Of(acme)].Client.Id);
        Assert.Equal("globex", directory.Keys[KeyDigest.Of(globex)].Client.Id);
        Assert.True(directory.IsEnforced);
    }

    public static TheoryData<string, string> Refused() => new()
    {
        { ClientsFiles.File(ClientsFiles.Client("acme", [ClientsFiles.NewKey()]), ClientsFiles.Client("acme", [ClientsFiles.NewKey()])), "the id is used twice" },
        { ClientsFiles.File(ClientsFiles.Client("acme\n", [ClientsFiles.NewKey()])), "must match" },
        { ClientsFiles.File(ClientsFiles.Client("Acme", [ClientsFiles.NewKey()])), "must match" },
        { ClientsFiles.File(ClientsFiles.Client("acme", [ClientsFiles.NewKey()], new { tier = "platinum" })), "tier 'platinum' is not configured" },
        { ClientsFiles.File(ClientsFiles.Client("acme", [ClientsFiles.NewKey()], new { limits = new { window = "1h" } })), "limits.window '1h'" },
        { ClientsFiles.File(ClientsFiles.Client("acme", [ClientsFiles.NewKey()], new { limits = new { permitLimit = 0 } })), "limits.permitLimit must be at least 1" },
        { ClientsFiles.File(ClientsFiles.Client("acme", [ClientsFiles.NewKey()], new { limits = new { spend = new { limit = 1, window = "fortnight" } } })),
            "client 'acme': limits.spend.window 'fortnight' must be a whole number of seconds from 00:00:01 to 366.00:00:00, or month" },
        { ClientsFiles.File(ClientsFiles.Client("acme", [ClientsFiles.NewKey()], new { limits = new { spend = new { limit = -1 } } })),
            "client 'acme': limits.spend.limit must be USD from 0.000001" },
        { ClientsFiles.File(ClientsFiles.Client("acme", [ClientsFiles.NewKey()], new { models = Array.Empty<string>() })), "models must name at least one model" },
        { """{"clients":[]}""", "has no key" },
        { ClientsFiles.File(ClientsFiles.Client("acme", [])), "has no key" },
        { """{"clients":[{"id":"acme","keys":[{"hash":"sha256:ABC"}]}]}""", "keys[0].hash must be 'sha256:'" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void AFileWithOneProblemIsRefusedWholeWithALineNamingIt(string json, string named)
    {
        var (_, problem) = Build(json);

        Assert.NotNull(problem);
        Assert.Contains(named, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AClientsOwnSpendBudgetIsRefusedWhileATargetHasNoPrice()
    {
        var json = ClientsFiles.File(ClientsFiles.Client("acme", [ClientsFiles.NewKey()], new { limits = new { spend = new { limit = 50 } } }),
            ClientsFiles.Client("globex", [ClientsFiles.NewKey()]));
        var file = System.Text.Json.JsonSerializer.Deserialize(json, ClientsJsonContext.Default.ClientsFileJson);

        ClientDirectoryBuilder.Build(new ApiKeyOptions(), file, Limits, out var unpriced, unpricedTarget: "xai/grok-4");
        var priced = ClientDirectoryBuilder.Build(new ApiKeyOptions(), file, Limits, out var none);

        Assert.Equal("client 'acme': limits.spend needs a price for every target a call can go to, but xai/grok-4 has none (Chat:Prices:xai/grok-4).", unpriced);
        Assert.Null(none);
        Assert.Equal(50_000_000, priced.Clients.Single(c => c.Id == "acme").SpendBudget!.PermitLimit);
        Assert.Null(priced.Clients.Single(c => c.Id == "globex").SpendBudget);
    }

    [Fact]
    public void TheSameKeyUnderTwoClientsIsRefused()
    {
        var key = ClientsFiles.NewKey();

        var (_, problem) = Build(ClientsFiles.File(ClientsFiles.Client("acme", [key]), ClientsFiles.Client("globex", [key])));

        Assert.Contains("is already a key of client 'acme'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TheEnvironmentsKeyIsTheDefaultClientAndNoFileClientMayTakeItsId()
    {
        var environmentKey = new string('e', 40);

        var alone = ClientDirectoryBuilder.Build(new ApiKeyOptions { ApiKey = environmentKey }, null, Limits, out var aloneProblem);
        var (_, problem) = Build(ClientsFiles.File(ClientsFiles.Client("default", [ClientsFiles.NewKey()])), environmentKey);

        Assert.Null(aloneProblem);
        Assert.Equal(ClientDirectoryBuilder.DefaultClientId, alone.Keys[KeyDigest.Of(environmentKey)].Client.Id);
        Assert.Contains("the id is taken by NEXTELEVEN_API_KEY", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void LimitsComeFromTheClientThenItsTierThenTheDefaults()
    {
        var (own, tiered, plain) = (ClientsFiles.NewKey(), ClientsFiles.NewKey(), ClientsFiles.NewKey());

        var (directory, _) = Build(ClientsFiles.File(
            ClientsFiles.Client("own", [own], new { tier = "gold", limits = new { permitLimit = 5 } }),
            ClientsFiles.Client("tiered", [tiered], new { tier = "gold" }),
            ClientsFiles.Client("plain", [plain])));

        Assert.Equal(5, directory.Keys[KeyDigest.Of(own)].Client.Policy.PermitLimit);
        Assert.Equal(1_000, directory.Keys[KeyDigest.Of(tiered)].Client.Policy.PermitLimit);
        Assert.Equal("gold", directory.Keys[KeyDigest.Of(tiered)].Client.Policy.Name);
        Assert.Equal(100, directory.Keys[KeyDigest.Of(plain)].Client.Policy.PermitLimit);
    }

    [Fact]
    public void AKeyWithoutAPrefixIsNamedByItsDigest()
    {
        var key = ClientsFiles.NewKey();
        var client = ClientsFiles.Client("acme", [key]);
        client["keys"]![0]!.AsObject().Remove("prefix");

        var (directory, _) = Build(ClientsFiles.File(client));

        Assert.Equal("key_" + ClientsFiles.Hash(key)["sha256:".Length..][..12], directory.Keys[KeyDigest.Of(key)].KeyId);
    }
}
