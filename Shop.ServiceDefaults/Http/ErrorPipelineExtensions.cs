using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Shop.ServiceDefaults.Http;

/// <summary>
/// The error pipeline of every service, whatever ASPNETCORE_ENVIRONMENT says: ProblemDetails for every error status
/// (status-code pages give bodiless 4xx a body), <see cref="ShopExceptionHandler"/> for exceptions, and minimal
/// APIs throwing their binding failures so the handler can say which field was wrong.
/// </summary>
public static class ErrorPipelineExtensions
{
    /// <summary>The log category of ASP.NET Core's developer exception page.</summary>
    public const string DeveloperExceptionPageCategory = "Microsoft.AspNetCore.Diagnostics.DeveloperExceptionPageMiddleware";

    public static IServiceCollection AddShopErrorPipeline(this IServiceCollection services)
    {
        services.AddProblemDetails(options =>
            options.CustomizeProblemDetails = context => ProblemDetailsDefaultsApplier.Apply(context.HttpContext, context.ProblemDetails));
        services.AddExceptionHandler<ShopExceptionHandler>();
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        // A number sent as a string ("quantity": "2") is a value of the wrong type, as the OpenAPI documents say
        // (integer, number): JSON's web defaults, which minimal APIs use, would read it.
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict);
        services.AddSingleton<IStartupFilter, ErrorPipelineStartupFilter>();
        // In Development WebApplication adds the developer exception page inside our handler; this filter makes it
        // answer as the handler does, so no environment shows exception text to a client.
        services.AddSingleton<IDeveloperPageExceptionFilter, SafeDeveloperPageFilter>();
        // That page logs every exception it sees as "An unhandled exception has occurred" (Error, with the stack) before
        // the filter runs: every refusal (a wrong password, a missing order, a declined card) was an error in the
        // dashboard's logs. The handler logs what is unexpected itself, at Error, and a refusal at Debug.
        services.Configure<LoggerFilterOptions>(options => options.AddFilter(DeveloperExceptionPageCategory, LogLevel.None));
        return services;
    }

    private sealed class ErrorPipelineStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseExceptionHandler();
            app.UseStatusCodePages();
            next(app);
        };
    }

    private sealed class SafeDeveloperPageFilter(IEnumerable<IExceptionHandler> handlers) : IDeveloperPageExceptionFilter
    {
        public async Task HandleExceptionAsync(ErrorContext errorContext, Func<ErrorContext, Task> next)
        {
            foreach (var handler in handlers)
            {
                if (await handler.TryHandleAsync(errorContext.HttpContext, errorContext.Exception, errorContext.HttpContext.RequestAborted))
                {
                    return;
                }
            }
            await next(errorContext);
        }
    }
}
