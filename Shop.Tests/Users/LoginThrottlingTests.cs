using System.Net.Sockets;
using Shop.Tests.Gateway;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Users;

/// <summary>
/// Failed logins are throttled per account and client with a growing delay, so wrong passwords from
/// one client never lock the account for another. Through a gateway reached directly (the AppHost's gateway sits behind
/// DCP's proxy, which would make every test client one address), from two loopback addresses.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class LoginThrottlingTests(ShopAppFixture fixture) : IDisposable
{
    private readonly UsersApiClient _users = new(fixture);

    [Fact]
    public async Task Wrong_passwords_from_one_client_delay_it_more_and_more_but_never_lock_out_another_client()
    {
        var user = await _users.RegisterAsync();
        await using var gateway = await GatewayProcess.StartAsync(fixture);
        var subnet = (byte)Random.Shared.Next(1, 250);
        using var attacker = ClientFrom(new IPAddress([127, subnet, 0, 2]), gateway.Address);
        using var owner = ClientFrom(new IPAddress([127, subnet, 0, 3]), gateway.Address);

        for (var i = 0; i < 3; i++)
        {
            using var failure = await LoginAsync(attacker, user.Email, "wrong-password");
            Assert.Equal(HttpStatusCode.Unauthorized, failure.StatusCode);
        }

        var delays = new List<TimeSpan>();
        for (var round = 0; round < 3; round++)
        {
            // A forged X-Forwarded-For does not make the attacker another client: the gateway replaces it.
            using var throttled = await LoginAsync(attacker, user.Email, user.Password, forwardedFor: $"203.0.113.{round + 1}");
            Assert.Equal((HttpStatusCode)429, throttled.StatusCode);
            Assert.Equal(429, (await UsersApiClient.ReadProblemAsync(throttled)).GetProperty("status").GetInt32());
            var retryAfter = throttled.Headers.RetryAfter?.Delta;
            Assert.NotNull(retryAfter);
            delays.Add(retryAfter.Value);

            using var ownerLogin = await LoginAsync(owner, user.Email, user.Password);
            Assert.Equal(HttpStatusCode.OK, ownerLogin.StatusCode);

            await Task.Delay(retryAfter.Value + TimeSpan.FromMilliseconds(300));
            using var failure = await LoginAsync(attacker, user.Email, "wrong-password");
            Assert.Equal(HttpStatusCode.Unauthorized, failure.StatusCode);
        }

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], delays);
    }

    private static Task<HttpResponseMessage> LoginAsync(HttpClient client, string email, string password, string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/users/login") { Content = JsonContent.Create(new { email, password }) };
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        return client.SendAsync(request);
    }

    /// <summary>A client whose connections come from the given local address.</summary>
    private static HttpClient ClientFrom(IPAddress local, Uri baseAddress)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public void Dispose() => _users.Dispose();
}
