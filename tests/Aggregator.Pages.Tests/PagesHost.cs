using System.Net.Http.Headers;
using Aggregator.Application.Security;
using Aggregator.Application.Submissions;
using Aggregator.Application.Units;
using Aggregator.Cli.Demo;
using Aggregator.Cli.Hosting;
using Aggregator.Storage;
using Aggregator.Storage.Periods;
using Aggregator.Storage.Units;
using Aggregator.Testing;
using Aggregator.Testing.Databases;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;

namespace Aggregator.Pages.Tests;

/// <summary>
/// The all-in-one server on a real port over a fresh SQLite file with the demo district loaded (due date three days
/// ago, so the board shows 逾期) plus a unit with a hostile name, and headless Debian Chromium driven by Playwright.
/// </summary>
public sealed class PagesHost : IAsyncLifetime
{
    public const string HostileCode = "QL-EVIL";
    public const string HostileName = "<script>window.__pwned=1</script>{{ 7*7 }}局";

    private TestDatabase? _database;
    private WebApplication? _app;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _browserMissing;

    public string BaseAddress { get; private set; } = "";

    public string AdminKey { get; } = ApiKeyText.Generate();

    public string OpsKey { get; private set; } = "";

    /// <summary>A key of 荷溪镇 (QL-HXZ), whose demo submission breaks the 第一项＋第二项＝第三项＋第四项 balance.</summary>
    public string TownshipKey { get; private set; } = "";

    public DistrictScenario Scenario { get; private set; } = null!;

    public Period Period { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public static string ScreenshotDirectory { get; } = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _database = await TestDatabases.SqliteAsync();
        var settings = new Dictionary<string, string?>(_database.Settings)
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Auth:BootstrapAdminKey"] = AdminKey,
            ["Intake:RateLimit:PermitLimit"] = "100000",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        _app = AllInOneHost.Build([], settings);
        await _app.StartAsync(ct);
        BaseAddress = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var scenario = DistrictScenario.Standard();
        var root = scenario.Registrations.First(r => r.Code == scenario.Root.Code);
        var registered = await Get<UnitRegistry>().UpsertAsync(
            [root, new UnitRegistration(HostileCode, HostileName, OrgUnitKind.Department, root.Code)], Actor.Cli, ct);
        Assert.True(registered.IsSuccess, registered.Problem?.Detail);
        Scenario = await DemoDistrict.LoadAsync(_app.Services, ct, dueDate: DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(-3));
        Period = (await Get<PeriodRepository>().ListAsync(ct)).Single();

        var keys = Get<ApiKeyRegistry>();
        OpsKey = (await keys.IssueAsync(new NewApiKey(ApiKeyRole.Ops, null, "ops"), Actor.Cli, ct)).Key;
        TownshipKey = (await keys.IssueAsync(new NewApiKey(ApiKeyRole.Unit, "QL-HXZ", "荷溪镇"), Actor.Cli, ct)).Key;

        var chromium = new[] { Environment.GetEnvironmentVariable("AGGREGATOR_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser" }
            .FirstOrDefault(path => path is { Length: > 0 } && File.Exists(path));
        if (chromium is null)
        {
            _browserMissing = "Chromium is not installed (apt-get install chromium, or set AGGREGATOR_CHROMIUM).";
            return;
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            // Root in a container has no user namespace for Chromium's sandbox.
            Args = ["--no-sandbox", "--lang=zh-CN"],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    public T Get<T>()
        where T : notnull => _app!.Services.GetRequiredService<T>();

    /// <summary>A fresh browser context (its own cookies), or the test skips (fails under CI) without Chromium.</summary>
    public Task<IPage> NewPageAsync() => NewPageAsync(BaseAddress);

    /// <summary>A fresh browser context on another server of the test (an intake API on the real broker).</summary>
    public async Task<IPage> NewPageAsync(string baseAddress)
    {
        if (_browser is null)
        {
            Skips.Skip(_browserMissing ?? "Chromium did not start.");
        }

        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress,
            Locale = "zh-CN",
            ViewportSize = new ViewportSize { Width = 1366, Height = 900 },
            AcceptDownloads = true,
        });
        return await context.NewPageAsync();
    }

    public static async Task SignInAsync(IPage page, string key)
    {
        await page.GotoAsync("/signin");
        // Keyboard only: the key field has the focus, Enter submits.
        await page.GetByLabel("API 密钥").FocusAsync();
        await page.Keyboard.TypeAsync(key);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal));
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    public HttpClient BearerClient(string key)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(BaseAddress) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>A submission document of a unit of the demo, rewritten as <paramref name="unitCode"/>'s.</summary>
    public string DocumentAs(string fromUnitCode, string unitCode, string unitName) =>
        (Scenario.Submissions.Single(s => s.Unit.Code == fromUnitCode).Document with { UnitCode = unitCode, UnitName = unitName }).ToJson();

    public async Task<Guid> SubmissionOfAsync(string unitCode) =>
        (await Get<Aggregator.Storage.Submissions.SubmissionRepository>().FindAsync(Period.Id, unitCode, TestContext.Current.CancellationToken))!.Id;

    public Task<Aggregator.Application.Results.Result<IntakeOutcome>> SubmitAsOfficeAsync(string json) =>
        Get<SubmissionIntake>().SubmitAsync(Period.Id, json, Submitter.Office(Actor.Cli), false, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Aggregator.sln")))
            {
                return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
