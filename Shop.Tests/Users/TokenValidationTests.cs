using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using Shop.AppHost.Hosting;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Users;

/// <summary>Tokens crafted with the AppHost's real signing key: only the one property under test is wrong.</summary>
[Collection(ShopCollection.Name)]
public sealed class TokenValidationTests(ShopAppFixture fixture) : IDisposable
{
    private readonly UsersApiClient _users = new(fixture);

    [Fact]
    public async Task A_well_formed_crafted_token_is_accepted()
    {
        var (user, issued) = await LoginAsync();

        using var response = await GetMeAsync(await CraftAsync(user, issued));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task No_token_is_401()
    {
        using var response = await GetMeAsync(null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(401, (await UsersApiClient.ReadProblemAsync(response)).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_tampered_token_is_401()
    {
        var (_, issued) = await LoginAsync();
        var parts = issued.RawData.Split('.');
        // Claim to be an admin, keep the original signature.
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("\"customer\"", "\"admin\"");
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";

        using var response = await GetMeAsync(tampered);

        Assert.NotEqual(issued.RawData, tampered);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_401()
    {
        var (user, issued) = await LoginAsync();

        using var response = await GetMeAsync(await CraftAsync(user, issued, key: new string('k', 64)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_401()
    {
        var (user, issued) = await LoginAsync();
        var issuedAt = DateTime.UtcNow.AddHours(-2);

        using var response = await GetMeAsync(await CraftAsync(user, issued, notBefore: issuedAt, expires: DateTime.UtcNow.AddMinutes(-5)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task An_alg_none_token_is_401()
    {
        var (_, issued) = await LoginAsync();
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        var unsigned = $"{header}.{issued.RawData.Split('.')[1]}.";

        using var response = await GetMeAsync(unsigned);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_wrong_audience_or_issuer_is_401()
    {
        var (user, issued) = await LoginAsync();

        using var wrongAudience = await GetMeAsync(await CraftAsync(user, issued, audience: "someone-else"));
        using var wrongIssuer = await GetMeAsync(await CraftAsync(user, issued, issuer: "https://evil.example"));

        Assert.Equal(HttpStatusCode.Unauthorized, wrongAudience.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongIssuer.StatusCode);
    }

    private async Task<(RegisteredUser User, JwtSecurityToken Issued)> LoginAsync()
    {
        var user = await _users.RegisterAsync();
        var token = await _users.GetTokenAsync(user.Email, user.Password);
        return (user, new JwtSecurityTokenHandler().ReadJwtToken(token));
    }

    private Task<HttpResponseMessage> GetMeAsync(string? token) => _users.SendAsync(HttpMethod.Get, "/api/users/me", token);

    /// <summary>A copy of the issued token's claims, signed HS256 with the app's key unless told otherwise.</summary>
    private async Task<string> CraftAsync(RegisteredUser user, JwtSecurityToken issued, string? key = null, string? audience = null,
        string? issuer = null, DateTime? notBefore = null, DateTime? expires = null)
    {
        key ??= await _users.GetParameterAsync(ShopParameters.JwtSigningKey);
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer ?? issued.Issuer,
            Audience = audience ?? issued.Audiences.Single(),
            Subject = new ClaimsIdentity([
                new Claim("sub", user.Id.ToString()),
                new Claim("email", user.Email),
                new Claim("role", "customer"),
                new Claim("sid", issued.Claims.Single(c => c.Type == "sid").Value),
                new Claim("sstamp", issued.Claims.Single(c => c.Type == "sstamp").Value, ClaimValueTypes.Integer64),
                new Claim("jti", Guid.NewGuid().ToString("N")),
            ]),
            IssuedAt = notBefore ?? now,
            NotBefore = notBefore ?? now,
            Expires = expires ?? now.AddMinutes(10),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        };
        var handler = new JwtSecurityTokenHandler { MapInboundClaims = false, OutboundClaimTypeMap = new Dictionary<string, string>() };
        return handler.WriteToken(handler.CreateJwtSecurityToken(descriptor));
    }

    public void Dispose() => _users.Dispose();
}
