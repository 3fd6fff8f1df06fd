using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;
using Shop.ServiceDefaults.Http;

namespace Shop.ServiceDefaults.Security;

/// <summary>One token validation for every service (and the gateway): same issuer, audience, key and algorithm rules.</summary>
public static class JwtAuthenticationExtensions
{
    public static TBuilder AddShopJwtAuthentication<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var section = builder.Configuration.GetSection(JwtOptions.SectionName);
        builder.Services.Configure<JwtOptions>(section);
        var options = section.Get<JwtOptions>() ?? new JwtOptions();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(bearer =>
            {
                bearer.MapInboundClaims = false;
                bearer.TokenValidationParameters = CreateValidationParameters(options);
                bearer.Events = new JwtBearerEvents
                {
                    OnTokenValidated = RejectInactiveUserAsync,
                    OnChallenge = WriteUnauthorizedProblemAsync,
                    OnForbidden = context => ProblemResponses.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden", "This operation needs another role."),
                };
            });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ShopClaims.AdminPolicy, policy => policy.RequireAuthenticatedUser().RequireClaim(ShopClaims.Role, ShopClaims.AdminRole));

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

    private static async Task RejectInactiveUserAsync(TokenValidatedContext context)
    {
        if (context.HttpContext.RequestServices.GetService<IActiveUserCheck>() is not { } check) return;
        if (context.Principal?.GetUserId() is not { } userId
            || !await check.IsActiveAsync(userId, context.HttpContext.RequestAborted))
        {
            context.Fail("The token's user is not active.");
        }
    }

    private static Task WriteUnauthorizedProblemAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var detail = context.AuthenticateFailure is null
            ? "A bearer token is required."
            : "The bearer token is invalid or expired.";
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return ProblemResponses.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Unauthorized", detail);
    }
}
