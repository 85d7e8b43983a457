using Microsoft.Playwright;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.OpenApi;

/// <summary>Swagger UI used as a person uses it: in headless Chromium, against the service on a real port.</summary>
public sealed class SwaggerUiBrowserTests
{
    private const string Key = NextElevenApiFactory.TestApiKey;

    [ChromiumFact]
    public async Task SwaggerUiShowsTheRoutesAndRunsChatOnceAuthorized()
    {
        using var folder = new TempFolder();
        await using var service = ServiceProcess.Start(folder.Path, new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["NEXTELEVEN_API_KEY"] = Key,
        });
        using var client = await service.WaitUntilListeningAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.ExecutablePath,
            Headless = true,
            // This machine has no network beyond its package registries: keep Chromium from reaching out.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1600 } });
        page.SetDefaultTimeout(30_000);

        await page.GotoAsync(new Uri(client.BaseAddress!, "/swagger").ToString());

        var chat = page.Locator("#operations-Chat-SendChatMessage");
        await Assertions.Expect(chat).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#operations-System-GetEnvStatus")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#operations-OpenAI-compatible-CreateChatCompletion")).ToBeVisibleAsync();

        await chat.Locator(".opblock-summary").First.ClickAsync();
        await chat.Locator(".try-out__btn").ClickAsync();
        await chat.Locator("textarea.body-param__text").FillAsync("""{ "message": "Hello from the browser" }""");
        await chat.Locator("button.execute").ClickAsync();
        await Assertions.Expect(chat.Locator(".live-responses-table tr.response .response-col_status")).ToHaveTextAsync("401");

        await page.Locator(".auth-wrapper .authorize").ClickAsync();
        var apiKeyForm = page.Locator(".modal-ux .auth-container").Filter(new LocatorFilterOptions { HasText = "X-API-Key" });
        await apiKeyForm.Locator("input").FillAsync(Key);
        await apiKeyForm.Locator("button.authorize").ClickAsync();
        await page.Locator(".modal-ux .close-modal").ClickAsync();
        await chat.Locator("button.execute").ClickAsync();

        await Assertions.Expect(chat.Locator(".live-responses-table tr.response .response-col_status")).ToHaveTextAsync("200");
        await Assertions.Expect(chat.Locator(".live-responses-table tr.response .response-col_description")).ToContainTextAsync("You said: Hello from the browser");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ArtifactPath("swagger-ui.png"), FullPage = true });
    }

    /// <summary>Screenshots go to TestResults/ at the repository root, beside the test results CI keeps.</summary>
    private static string ArtifactPath(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "NextEleven.sln")))
        {
            directory = directory.Parent;
        }
        var folder = Path.Combine(directory?.FullName ?? AppContext.BaseDirectory, "TestResults");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }
}
