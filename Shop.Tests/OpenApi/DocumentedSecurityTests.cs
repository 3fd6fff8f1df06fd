using System.Text.RegularExpressions;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.OpenApi;

/// <summary>
/// The documents' security requirements match the running services: an operation documented with the bearer scheme
/// refuses an anonymous request with 401, and one documented as public never does. A generated client trusts this.
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
            var documented = operation.GetProperty("security").EnumerateArray().Any(r => r.TryGetProperty("Bearer", out _));
            // Any id will do: authorization is decided before the resource is looked up.
            var path = RouteParameter().Replace(template, Guid.NewGuid().ToString());
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method is "POST" or "PUT") request.Content = JsonContent.Create(new { });

            using var response = await client.SendAsync(request);

            Assert.True(documented == (response.StatusCode == HttpStatusCode.Unauthorized),
                $"{method} {template}: documented {(documented ? "with" : "without")} a token, answered {(int)response.StatusCode} to an anonymous request");
        }
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
