using System.IdentityModel.Tokens.Jwt;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using Shop.AppHost.Hosting;
using Shop.ServiceDefaults.Configuration;

namespace Shop.Tests.Infrastructure;

/// <summary>
/// Access tokens as UserApi issues them (HS256 with the AppHost's jwt-signing-key, issuer shop-user-api, audience
/// shop, claims sub/email/role/sid/sstamp), so a test can act as an admin or a customer without going through sign-in.
/// The account behind the token is real: it is created in usersdb (without a usable password) unless it exists, and
/// the token carries its current security version, since every service checks the token against its account.
/// </summary>
public static class TestTokens
{
    public const string Issuer = "shop-user-api";
    public const string Audience = "shop";

    public static async Task<string> CreateAsync(DistributedApplication app, string role, Guid? userId = null, string? email = null,
        TimeSpan? lifetime = null)
    {
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        var signingKey = await model.Resources.OfType<ParameterResource>().Single(r => r.Name == ShopParameters.JwtSigningKey).GetValueAsync(default)
            ?? throw new InvalidOperationException("The jwt-signing-key parameter has no value.");

        var id = userId ?? Guid.NewGuid();
        email ??= $"{role}-{id:N}@tests.shop.local";
        var securityVersion = await EnsureAccountAsync(app, id, email, role);
        var now = DateTime.UtcNow;
        var token = new JwtSecurityToken(
            issuer: Issuer,
            audience: Audience,
            claims:
            [
                new Claim("sub", id.ToString()), new Claim("email", email), new Claim("role", role),
                new Claim("sid", Guid.NewGuid().ToString()),
                new Claim("sstamp", securityVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
            ],
            notBefore: now.AddSeconds(-5),
            expires: now + (lifetime ?? TimeSpan.FromHours(1)),
            signingCredentials: new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)), SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }

    public static Task<string> AdminAsync(DistributedApplication app) => CreateAsync(app, "admin");

    public static Task<string> CustomerAsync(DistributedApplication app) => CreateAsync(app, "customer");

    /// <summary>Sets the client's default Authorization header to a bearer token.</summary>
    public static HttpClient WithBearer(this HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Creates the account unless it exists; returns its security version.</summary>
    private static async Task<long> EnsureAccountAsync(DistributedApplication app, Guid id, string email, string role)
    {
        await using var connection = new NpgsqlConnection(await app.GetConnectionStringAsync(ShopResources.UsersDb));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            WITH inserted AS (
                INSERT INTO users (id, email, normalized_email, password_hash, name, role, active, created_at, updated_at, security_version)
                VALUES (@id, @email, upper(@email), '', 'Test token holder', @role, true, now(), now(), 0)
                ON CONFLICT (id) DO NOTHING
                RETURNING security_version)
            SELECT security_version FROM inserted
            UNION ALL SELECT security_version FROM users WHERE id = @id
            LIMIT 1
            """, connection);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("email", email);
        command.Parameters.AddWithValue("role", role);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
