using System.IdentityModel.Tokens.Jwt;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shop.WebApp.Clients;
using Shop.WebApp.Clients.Users;
using Shop.WebApp.Services;

namespace Shop.Tests.Storefront;

/// <summary>
/// The storefront's gateway handler on a 401 (an ended access token): one refresh, one retry with the new token
/// and the same body, the new pair written to the auth cookie; the session ends only when the refresh is refused.
/// The gateway is a scripted handler; user-api's client is the generated one, through the same handler.
/// </summary>
public sealed class GatewayRequestHandlerTests : IDisposable
{
    private readonly ScriptedGateway _gateway = new();
    private readonly PageAccessor _accessor = new();
    private readonly ServiceProvider _services;
    private readonly DefaultHttpContext _page;
    private readonly SessionTokens _signedIn = Tokens("old-refresh");

    public GatewayRequestHandlerTests()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton<IHttpContextAccessor>(_accessor);
        services.AddSingleton<TokenRefresher>();
        services.AddTransient<GatewayRequestHandler>();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o => o.Cookie.Name = "shop.session");
        services.AddHttpClient("gateway", c => c.BaseAddress = new Uri("http://gateway"))
            .AddHttpMessageHandler<GatewayRequestHandler>()
            .ConfigurePrimaryHttpMessageHandler(() => _gateway);
        services.AddHttpClient<UsersClient>(c => c.BaseAddress = new Uri("http://gateway"))
            .AddHttpMessageHandler<GatewayRequestHandler>()
            .ConfigurePrimaryHttpMessageHandler(() => _gateway);
        _services = services.BuildServiceProvider();

        _page = new DefaultHttpContext { RequestServices = _services };
        var properties = new AuthenticationProperties { IsPersistent = true };
        _signedIn.StoreIn(properties);
        var ticket = new AuthenticationTicket(_signedIn.ToPrincipal(), properties, CookieAuthenticationDefaults.AuthenticationScheme);
        _page.Features.Set<IAuthenticateResultFeature>(new SignedInFeature { AuthenticateResult = AuthenticateResult.Success(ticket) });
        _accessor.HttpContext = _page;
    }

    [Fact]
    public async Task A_401_is_refreshed_once_and_the_request_sent_again_with_the_new_token_and_the_same_body()
    {
        var renewed = Tokens("new-refresh");
        _gateway.Answer = request => request.RequestUri!.AbsolutePath switch
        {
            "/api/users/refresh" => Json(HttpStatusCode.OK, new { accessToken = renewed.AccessToken, tokenType = "Bearer", expiresIn = 300, refreshToken = "new-refresh", refreshTokenExpiresIn = 1209600 }),
            _ when request.Headers.Authorization?.Parameter == renewed.AccessToken => new HttpResponseMessage(HttpStatusCode.Created),
            _ => new HttpResponseMessage(HttpStatusCode.Unauthorized),
        };

        using var response = await Gateway().PostAsync("/api/basket/items", new StringContent("""{"productId":"p","quantity":2}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Collection(_gateway.Received,
            first => Assert.Equal(("/api/basket/items", _signedIn.AccessToken), (first.Path, first.Bearer)),
            refresh =>
            {
                // The exchange carries the refresh token, never the refused bearer token.
                Assert.Equal(("/api/users/refresh", null), (refresh.Path, refresh.Bearer));
                Assert.Equal("old-refresh", JsonDocument.Parse(refresh.Body!).RootElement.GetProperty("refreshToken").GetString());
            },
            retry =>
            {
                Assert.Equal(("/api/basket/items", renewed.AccessToken), (retry.Path, retry.Bearer));
                Assert.Equal("""{"productId":"p","quantity":2}""", retry.Body);
                Assert.Equal("application/json", retry.ContentType);
            });
        Assert.Equal(renewed.AccessToken, Assert.IsType<SessionTokens>(_page.Items[SessionTokens.CurrentItem]).AccessToken);
        Assert.Contains(_page.Response.Headers.SetCookie, cookie => cookie!.StartsWith("shop.session=", StringComparison.Ordinal) && !cookie.Contains("expires=Thu, 01 Jan 1970"));
        Assert.Null(_page.Items[SessionCookieEvents.SessionExpiredItem]);
        // A streamed page could not write that cookie: the next request's cookie check finds the pair without a call.
        Assert.True(_services.GetRequiredService<TokenRefresher>().TryGetCompleted("old-refresh", out var kept));
        Assert.Equal(renewed.AccessToken, kept?.AccessToken);
    }

    [Fact]
    public async Task A_refused_refresh_ends_the_session_and_returns_the_401_without_a_retry()
    {
        _gateway.Answer = _ => new HttpResponseMessage(HttpStatusCode.Unauthorized);

        using var response = await Gateway().GetAsync("/api/orders");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(["/api/orders", "/api/users/refresh"], _gateway.Received.Select(r => r.Path));
        Assert.Equal(true, _page.Items[SessionCookieEvents.SessionExpiredItem]);
        Assert.Contains(_page.Response.Headers.SetCookie, cookie => cookie!.StartsWith("shop.session=;", StringComparison.Ordinal));
        // A streamed page keeps its cookie: the next request's cookie check learns without a call that the session is over.
        Assert.True(_services.GetRequiredService<TokenRefresher>().TryGetCompleted("old-refresh", out var renewed));
        Assert.Null(renewed);
    }

    [Fact]
    public async Task A_401_with_the_new_token_too_ends_the_session_after_exactly_one_retry()
    {
        var renewed = Tokens("new-refresh");
        _gateway.Answer = request => request.RequestUri!.AbsolutePath == "/api/users/refresh"
            ? Json(HttpStatusCode.OK, new { accessToken = renewed.AccessToken, tokenType = "Bearer", expiresIn = 300, refreshToken = "new-refresh", refreshTokenExpiresIn = 1209600 })
            : new HttpResponseMessage(HttpStatusCode.Unauthorized);

        using var response = await Gateway().GetAsync("/api/orders");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(["/api/orders", "/api/users/refresh", "/api/orders"], _gateway.Received.Select(r => r.Path));
        Assert.Equal(true, _page.Items[SessionCookieEvents.SessionExpiredItem]);
    }

    [Fact]
    public async Task A_refresh_without_an_answer_is_not_a_refusal_and_the_next_call_tries_again()
    {
        _gateway.Answer = request => new HttpResponseMessage(request.RequestUri!.AbsolutePath == "/api/users/refresh"
            ? HttpStatusCode.ServiceUnavailable
            : HttpStatusCode.Unauthorized);

        for (var call = 0; call < 2; call++)
        {
            var failure = await Assert.ThrowsAsync<ApiException>(() => Gateway().GetAsync("/api/orders"));
            Assert.Equal(503, failure.StatusCode);
        }

        Assert.Equal(["/api/orders", "/api/users/refresh", "/api/orders", "/api/users/refresh"], _gateway.Received.Select(r => r.Path));
        Assert.Null(_page.Items[SessionCookieEvents.SessionExpiredItem]);
        Assert.False(_services.GetRequiredService<TokenRefresher>().TryGetCompleted("old-refresh", out _));
    }

    [Fact]
    public async Task Any_other_answer_and_an_anonymous_401_are_returned_as_they_are()
    {
        _gateway.Answer = request => new HttpResponseMessage(request.Headers.Authorization is null ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden);

        using (var forbidden = await Gateway().GetAsync("/api/users"))
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        _page.Features.Set<IAuthenticateResultFeature>(null);
        using (var anonymous = await Gateway().GetAsync("/api/orders"))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        Assert.Equal(["/api/users", "/api/orders"], _gateway.Received.Select(r => r.Path));
        Assert.Null(_page.Items[SessionCookieEvents.SessionExpiredItem]);
    }

    private HttpClient Gateway() => _services.GetRequiredService<IHttpClientFactory>().CreateClient("gateway");

    /// <summary>A pair whose access token reads like user-api's (unsigned here: the storefront only reads it).</summary>
    private static SessionTokens Tokens(string refreshToken)
    {
        var jwt = new JwtSecurityTokenHandler().WriteToken(new JwtSecurityToken(claims:
        [
            new Claim("sub", Guid.NewGuid().ToString()), new Claim("email", "shopper@example.com"), new Claim("role", "customer"),
        ]));
        return new SessionTokens(jwt, refreshToken, DateTimeOffset.UtcNow.AddMinutes(5));
    }

    private static HttpResponseMessage Json(HttpStatusCode status, object body) =>
        new(status) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };

    public void Dispose() => _services.Dispose();

    private sealed class PageAccessor : IHttpContextAccessor
    {
        public HttpContext? HttpContext { get; set; }
    }

    private sealed class SignedInFeature : IAuthenticateResultFeature
    {
        public AuthenticateResult? AuthenticateResult { get; set; }
    }

    private sealed record Received(string Path, string? Bearer, string? Body, string? ContentType);

    private sealed class ScriptedGateway : HttpMessageHandler
    {
        public Func<HttpRequestMessage, HttpResponseMessage> Answer { get; set; } = _ => new HttpResponseMessage(HttpStatusCode.OK);
        public List<Received> Received { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            lock (Received)
            {
                Received.Add(new(request.RequestUri!.AbsolutePath, request.Headers.Authorization?.Parameter, body, request.Content?.Headers.ContentType?.MediaType));
            }
            var response = Answer(request);
            response.RequestMessage = request;
            return response;
        }
    }
}
