using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Shop.ServiceDefaults.Configuration;
using Shop.ServiceDefaults.Health;
using Shop.ServiceDefaults.Http;
using Shop.ServiceDefaults.Security.AccountState;
using Shop.ServiceDefaults.Security.AccountState.Grpc;

namespace Shop.ServiceDefaults.Security;

/// <summary>
/// One token validation for every service (and the gateway): same issuer, audience, key and algorithm rules, then the
/// account check (<see cref="AccountTokenValidator"/>): a token stops working everywhere within seconds of a change to
/// its account or the end of its session. Needs the "redis" connection string; asks user-api ("_grpc.user-api") on a
/// Redis miss unless the service registers its own <see cref="IAccountSecuritySource"/> first.
/// </summary>
public static class JwtAuthenticationExtensions
{
    private const string UnavailableItem = "Shop.AccountStateUnavailable";

    public static TBuilder AddShopJwtAuthentication<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var section = builder.Configuration.GetSection(JwtOptions.SectionName);
        builder.Services.Configure<JwtOptions>(section);
        var options = section.Get<JwtOptions>() ?? new JwtOptions();

        builder.Services.Configure<AccountStateOptions>(builder.Configuration.GetSection(AccountStateOptions.SectionName));
        builder.Services.AddSingleton<AccountStateCache>();
        builder.Services.AddSingleton<AccountStateRedis>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AccountStateRedis>());
        builder.Services.AddSingleton<AccountTokenValidator>();
        builder.Services.AddGrpcClient<AccountSecurity.AccountSecurityClient>(o => o.Address = ShopResources.GrpcAddress(ShopResources.UserApi));
        builder.Services.TryAddSingleton<IAccountSecuritySource, GrpcAccountSecuritySource>();
        builder.Services.AddHealthChecks()
            .AddCheck<AccountStateHealthCheck>("account-state", HealthStatus.Degraded, [HealthTags.Ready]);

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(bearer =>
            {
                bearer.MapInboundClaims = false;
                bearer.TokenValidationParameters = CreateValidationParameters(options);
                bearer.Events = new JwtBearerEvents
                {
                    OnTokenValidated = CheckAccountStateAsync,
                    OnChallenge = WriteUnauthorizedProblemAsync,
                    OnForbidden = context => ProblemResponses.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden", "This operation needs another role."),
                };
            });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ShopClaims.AdminPolicy, policy => policy.RequireAuthenticatedUser().RequireClaim(ShopClaims.Role, ShopClaims.AdminRole))
            .AddPolicy(ShopClaims.OptionalTokenPolicy, policy => policy.RequireAssertion(context =>
                context.User.Identity?.IsAuthenticated == true
                || context.Resource is HttpContext http && string.IsNullOrEmpty(http.Request.Headers.Authorization)));

        return builder;
    }

    public static SymmetricSecurityKey CreateSigningKey(JwtOptions options)
    {
        var bytes = Encoding.UTF8.GetBytes(options.SigningKey);
        if (bytes.Length < 32)
        {
            throw new InvalidOperationException(
                $"Configuration '{JwtOptions.SectionName}:SigningKey' must be at least 32 bytes; the AppHost passes its generated 'jwt-signing-key' parameter.");
        }
        return new SymmetricSecurityKey(bytes);
    }

    public static TokenValidationParameters CreateValidationParameters(JwtOptions options) => new()
    {
        ValidIssuer = options.Issuer,
        ValidAudience = options.Audience,
        IssuerSigningKey = CreateSigningKey(options),
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        ValidateIssuerSigningKey = true,
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        // Only HS256: rejects "alg: none" and algorithm-confusion attempts.
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ClockSkew = options.ClockSkew,
        NameClaimType = ShopClaims.Subject,
        RoleClaimType = ShopClaims.Role,
    };

    /// <summary>The caller's user id (the token's <c>sub</c>), or null for an anonymous caller.</summary>
    public static Guid? GetUserId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ShopClaims.Subject), out var id) ? id : null;

    public static bool IsAdmin(this ClaimsPrincipal user) => user.HasClaim(ShopClaims.Role, ShopClaims.AdminRole);

    private static async Task CheckAccountStateAsync(TokenValidatedContext context)
    {
        var http = context.HttpContext;
        var validator = http.RequestServices.GetRequiredService<AccountTokenValidator>();
        var isWrite = !(HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method));
        var check = await validator.CheckAsync(context.Principal!, isWrite, http.RequestAborted);
        if (check.Status == AccountTokenStatus.Valid) return;
        if (check.Status == AccountTokenStatus.Unavailable) http.Items[UnavailableItem] = check.Reason;
        context.Fail(check.Reason!);
    }

    private static Task WriteUnauthorizedProblemAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        if (context.HttpContext.Items[UnavailableItem] is string reason)
        {
            var retryAfter = context.HttpContext.RequestServices.GetRequiredService<IOptionsMonitor<AccountStateOptions>>().CurrentValue.RetryAfter;
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return ProblemResponses.WriteAsync(context.HttpContext, StatusCodes.Status503ServiceUnavailable, "Service Unavailable",
                reason + " Authenticated changes are refused until then; retry shortly.");
        }
        var detail = context.AuthenticateFailure is null
            ? "A bearer token is required."
            : "The bearer token is invalid or expired.";
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return ProblemResponses.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Unauthorized", detail);
    }
}
