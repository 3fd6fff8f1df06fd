using System.Text.RegularExpressions;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.OpenApi;

/// <summary>
/// The documents' security requirements match the running services: an operation documented with the bearer scheme
/// refuses an anonymous request with 401, one documented as public never does, and one documented with an optional
/// token (<c>[{}, {Bearer: []}]</c>) serves an anonymous request but refuses a bad token. A generated client trusts this.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed partial class DocumentedSecurityTests(ShopAppFixture fixture)
{
    [Theory]
    [MemberData(nameof(OpenApiDocuments.Files), MemberType = typeof(OpenApiDocuments))]
    public async Task Each_operation_asks_for_a_token_exactly_when_its_document_says_so(string file)
    {
        using var document = OpenApiDocuments.Load(file);
        using var client = fixture.CreateHttpClient(OpenApiDocuments.Services[file]);

        foreach (var (method, template, operation) in OpenApiDocuments.Operations(document))
        {
            var requirements = operation.GetProperty("security").EnumerateArray().ToList();
            var bearer = requirements.Any(r => r.TryGetProperty("Bearer", out _));
            // [{}, {Bearer: []}]: a token is optional, so an anonymous request is served and a bad token refused.
            var optional = bearer && requirements.Any(r => !r.EnumerateObject().Any());
            var documented = bearer && !optional;

            using var response = await SendAsync(client, method, template, token: null);

            Assert.True(documented == (response.StatusCode == HttpStatusCode.Unauthorized),
                $"{method} {template}: documented {(documented ? "with" : "without")} a token, answered {(int)response.StatusCode} to an anonymous request");
            if (optional)
            {
                using var badToken = await SendAsync(client, method, template, token: "not-a-token");
                Assert.True(badToken.StatusCode == HttpStatusCode.Unauthorized,
                    $"{method} {template}: documented with an optional token, answered {(int)badToken.StatusCode} to a bad one");
            }
        }
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string template, string? token)
    {
        // Any id will do: authorization is decided before the resource is looked up.
        var path = RouteParameter().Replace(template, Guid.NewGuid().ToString());
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT") request.Content = JsonContent.Create(new { });
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        return client.SendAsync(request);
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
