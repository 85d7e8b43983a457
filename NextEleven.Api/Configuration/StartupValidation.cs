using Microsoft.Extensions.Options;

namespace NextEleven.Api.Configuration;

public static class StartupValidation
{
    /// <summary>
    /// Runs every <c>ValidateOnStart</c> check before the host starts, so a bad setting ends the process
    /// with one line that names it rather than the host's stack trace.
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
            problem = string.Join(" ", invalid.Failures);
        }
        catch (AggregateException many) when (many.InnerExceptions.All(e => e is OptionsValidationException))
        {
            problem = string.Join(" ", many.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures));
        }
        return false;
    }
}
