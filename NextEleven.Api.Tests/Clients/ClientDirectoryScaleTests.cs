using System.Text.Json.Nodes;

namespace NextEleven.Api.Tests.Clients;

/// <summary>
/// The clients directory at its documented scale, without a host: a hundred thousand clients build in
/// seconds (the duplicate-id check is a set, not a scan). Seconds, not milliseconds, so not among the unit tests.
/// </summary>
public sealed class ClientDirectoryScaleTests
{
    [Fact]
    public void AHundredThousandClientsBuildInLinearTime()
    {
        var clients = new JsonArray([.. Enumerable.Range(0, 100_000).Select(i => (JsonNode)new JsonObject
        {
            ["id"] = $"bulk-{i}",
            ["keys"] = new JsonArray(new JsonObject { ["hash"] = "sha256:" + i.ToString("x64", System.Globalization.CultureInfo.InvariantCulture) }),
        })]);
        var json = new JsonObject { ["clients"] = clients }.ToJsonString();

        var (directory, problem) = ClientDirectoryBuilderTests.Build(json);

        Assert.Null(problem);
        Assert.Equal(100_000, directory.Keys.Count);
    }
}
