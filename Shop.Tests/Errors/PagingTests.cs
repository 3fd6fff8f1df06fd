using System.Text.Json;
using Shop.Tests.Infrastructure;
using Shop.Tests.Users;

namespace Shop.Tests.Errors;

/// <summary>Every list endpoint bounds page and pageSize; absurd values are 200 (empty) or a 400 naming the parameter, never 5xx.</summary>
[Collection(ShopCollection.Name)]
public sealed class PagingTests(ShopAppFixture fixture) : IDisposable
{
    private readonly GatewayRequests _requests = new(fixture);
    private readonly UsersApiClient _users = new(fixture);

    public static TheoryData<string, string> Cases
    {
        get
        {
            var data = new TheoryData<string, string>();
            string[] lists = ["/api/orders", "/api/notifications", "/api/products", "/api/products/search?q=phone", "/api/users"];
            string[] values = ["page=2147483647", "page=-2147483648", "page=0", "pageSize=2147483647", "pageSize=-1", "pageSize=0",
                "page=abc", "pageSize=abc", "page=99999999999", "page=2147483647&pageSize=100"];
            foreach (var list in lists)
            {
                foreach (var value in values)
                {
                    data.Add(list, value);
                }
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Absurd_paging_is_an_empty_page_or_a_400_naming_the_parameter(string list, string query)
    {
        // user-api checks that the token's user exists: its admin list needs the seeded admin.
        var token = list == "/api/users" ? await _users.GetAdminTokenAsync() : await _requests.CustomerTokenAsync();
        var path = list + (list.Contains('?') ? "&" : "?") + query;

        using var response = await _requests.SendAsync(HttpMethod.Get, path, token);

        if (response.StatusCode == HttpStatusCode.OK)
        {
            // A page past the end is empty; a page size above the maximum is refused by every list, never capped.
            using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.False(query.StartsWith("pageSize=", StringComparison.Ordinal), $"{path}: {page.RootElement}");
            Assert.Equal(0, page.RootElement.GetProperty("items").GetArrayLength());
            return;
        }
        var parameter = query.Split('=')[0];
        await GatewayProblemAssert.NamesFieldAsync(response, parameter);
    }

    [Theory]
    [InlineData("/api/orders")]
    [InlineData("/api/notifications")]
    [InlineData("/api/products")]
    [InlineData("/api/products/search?q=phone")]
    [InlineData("/api/users")]
    public async Task Every_list_answers_one_page_shape(string list)
    {
        var token = list == "/api/users" ? await _users.GetAdminTokenAsync() : await _requests.CustomerTokenAsync();
        var path = list + (list.Contains('?') ? "&" : "?") + "page=2&pageSize=3";

        using var response = await _requests.SendAsync(HttpMethod.Get, path, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = page.RootElement;
        Assert.Equal(2, root.GetProperty("page").GetInt32());
        Assert.Equal(3, root.GetProperty("pageSize").GetInt32());
        var totalCount = root.GetProperty("totalCount").GetInt32();
        Assert.Equal(Math.Clamp(totalCount - 3, 0, 3), root.GetProperty("items").GetArrayLength());
        Assert.False(root.TryGetProperty("total", out _), $"{list}: {root}");
    }

    public void Dispose()
    {
        _requests.Dispose();
        _users.Dispose();
    }
}
