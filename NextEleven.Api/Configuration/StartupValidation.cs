using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace NextEleven.Api.Configuration;

/// <summary>Checks every setting before the host starts, and starts it, each failure in one line.</summary>
internal static partial class StartupValidation
{
    /// <summary>
    /// Runs every <c>ValidateOnStart</c> check before the host starts, so a bad setting ends the process
    /// with one line that names it rather than the host's stack trace: a value that breaks a rule, and a
    /// value that cannot even be read as its type (<c>RateLimit__Window=abc</c>).
    /// </summary>
    public static bool TryValidateOptions(this WebApplication app, out string problem)
    {
        problem = string.Empty;
        try
        {
            app.Services.GetService<IStartupValidator>()?.Validate();
            return true;
        }
        catch (OptionsValidationException invalid)
        {
            problem = string.Join(" ", invalid.Failures.Distinct());
        }
        catch (AggregateException many) when (many.InnerExceptions.All(e => e is OptionsValidationException || IsUnreadable(e)))
        {
            // A validator that reads other options (the clients file needs the limits) reports their failure
            // again: each sentence once.
            problem = string.Join(" ", many.InnerExceptions.SelectMany(e => e is OptionsValidationException invalid
                ? invalid.Failures
                : [Describe((InvalidOperationException)e)]).Distinct());
        }
        catch (InvalidOperationException unreadable) when (IsUnreadable(unreadable))
        {
            problem = Describe(unreadable);
        }
        return false;
    }

    /// <summary>
    /// Starts the host; a failure to start (a port already in use, a listener that cannot be bound) ends
    /// in the same one-line refusal as a bad setting rather than the host's stack trace.
    /// </summary>
    public static async Task<string?> TryStartAsync(this WebApplication app)
    {
        try
        {
            await app.StartAsync().ConfigureAwait(false);
            return null;
        }
        catch (IOException bind) when (bind.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            return $"{bind.Message} Choose another port in Urls (--urls, ASPNETCORE_URLS) or Management:Urls.";
        }
        catch (Exception failed) when (failed is IOException or InvalidOperationException or System.Net.Sockets.SocketException
            or UnauthorizedAccessException)
        {
            return failed.Message.ReplaceLineEndings(" ");
        }
    }

    /// <summary>The configuration binder's failure to convert a value to its setting's type.</summary>
    private static bool IsUnreadable(Exception exception) =>
        exception is InvalidOperationException && UnreadableValue().IsMatch(exception.Message);

    /// <summary>Names the setting and the type it needs, without repeating the value (it might be something pasted by mistake).</summary>
    private static string Describe(InvalidOperationException unreadable)
    {
        var match = UnreadableValue().Match(unreadable.Message);
        var (key, type) = (match.Groups["key"].Value, match.Groups["type"].Value);
        var expected = type switch
        {
            "System.TimeSpan" => "a time span such as 00:01:00 (hh:mm:ss or d.hh:mm:ss)",
            "System.Int32" => "a whole number from -2147483648 to 2147483647",
            "System.Int64" => "a whole number",
            "System.Boolean" => "true or false",
            _ => $"a value of type {type}",
        };
        return $"{key} cannot be read: it must be {expected}.";
    }

    [GeneratedRegex("^Failed to convert configuration value .* at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex UnreadableValue();
}
