using Microsoft.Extensions.Options;
using NextEleven.Api.Providers;

namespace NextEleven.Api.Budgets;

/// <summary>Registers the token and spend budgets, on the limiter's store, and the start-up check of prices under a spend budget.</summary>
internal static class BudgetServiceExtensions
{
    public static IHostApplicationBuilder AddBudgets(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TokenBudget>();
        builder.Services.AddSingleton<SpendBudget>();
        builder.Services.AddSingleton<IValidateOptions<ChatProviderOptions>, SpendPricesValidator>();
        return builder;
    }
}
