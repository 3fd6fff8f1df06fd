using System.Text.Json;

namespace Shop.Tests.OpenApi;

/// <summary>
/// What a client generated from the build's OpenAPI documents needs: every operation named, summarised,
/// tagged, with its security requirement and its problem answers. ./shop test also lints them with Redocly.
/// </summary>
public sealed class OpenApiDocumentTests
{
    [Theory]
    [MemberData(nameof(OpenApiDocuments.Files), MemberType = typeof(OpenApiDocuments))]
    public void Every_operation_has_an_id_a_summary_a_tag_a_security_requirement_and_problem_answers(string file)
    {
        using var document = OpenApiDocuments.Load(file);
        var operations = OpenApiDocuments.Operations(document).ToList();
        Assert.NotEmpty(operations);

        foreach (var (method, path, operation) in operations)
        {
            var name = $"{file}: {method} {path}";
            Assert.False(string.IsNullOrWhiteSpace(Text(operation, "operationId")), $"{name} has no operationId");
            Assert.False(string.IsNullOrWhiteSpace(Text(operation, "summary")), $"{name} has no summary");
            Assert.True(operation.TryGetProperty("tags", out var tags) && tags.GetArrayLength() > 0, $"{name} has no tag");
            Assert.True(operation.TryGetProperty("security", out var security), $"{name} states no security requirement");

            var responses = operation.GetProperty("responses").EnumerateObject().ToDictionary(r => r.Name, r => r.Value);
            var problems = responses.Where(r => r.Key.StartsWith('4')).ToList();
            Assert.True(problems.Count > 0, $"{name} documents no 4xx answer");
            Assert.All(problems, problem => Assert.True(
                problem.Value.TryGetProperty("content", out var content) && content.TryGetProperty("application/problem+json", out _),
                $"{name}: {problem.Key} is not documented as application/problem+json"));

            if (security.EnumerateArray().Any(requirement => requirement.TryGetProperty("Bearer", out _)))
            {
                Assert.True(responses.ContainsKey("401"), $"{name} needs a token but documents no 401");
            }
        }
        var ids = operations.Select(o => Text(o.Operation, "operationId")).ToList();
        Assert.Equal(ids.Distinct().Count(), ids.Count);
    }

    [Theory]
    [InlineData("Shop.OrderApi/Shop.OrderApi.json", 2)]
    [InlineData("Shop.BasketApi/Shop.BasketApi.json", 1)]
    public void Every_payment_declined_answer_declares_its_order_and_payment_reference(string file, int operationsThatPay)
    {
        using var document = OpenApiDocuments.Load(file);
        var declined = OpenApiDocuments.Operations(document)
            .Where(o => o.Operation.GetProperty("responses").TryGetProperty("402", out _))
            .Select(o => o.Operation.GetProperty("responses").GetProperty("402").GetProperty("content").GetProperty("application/problem+json")
                .GetProperty("schema").GetProperty("$ref").GetString())
            .ToList();

        Assert.Equal(operationsThatPay, declined.Count);
        Assert.All(declined, schema => Assert.Equal("#/components/schemas/PaymentDeclinedProblem", schema));
        var (properties, _) = OpenApiDocuments.Schema(file, "PaymentDeclinedProblem");
        Assert.Superset(new HashSet<string> { "orderId", "paymentReference", "title", "detail", "status" }, properties);
    }

    [Theory]
    [MemberData(nameof(OpenApiDocuments.Files), MemberType = typeof(OpenApiDocuments))]
    public void The_document_declares_the_bearer_scheme_a_server_and_its_tags(string file)
    {
        using var document = OpenApiDocuments.Load(file);
        var root = document.RootElement;

        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("info").GetProperty("description").GetString()));
        Assert.NotEmpty(root.GetProperty("servers").EnumerateArray());
        var bearer = root.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal(("http", "bearer", "JWT"),
            (bearer.GetProperty("type").GetString(), bearer.GetProperty("scheme").GetString(), bearer.GetProperty("bearerFormat").GetString()));
        var declared = root.GetProperty("tags").EnumerateArray()
            .ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("description").GetString());
        var used = OpenApiDocuments.Operations(document).SelectMany(o => o.Operation.GetProperty("tags").EnumerateArray()).Select(t => t.GetString()!);
        Assert.All(used.Distinct(), tag => Assert.False(string.IsNullOrWhiteSpace(declared.GetValueOrDefault(tag)), $"{file}: tag {tag} has no description"));
    }

    [Theory]
    [MemberData(nameof(OpenApiDocuments.Files), MemberType = typeof(OpenApiDocuments))]
    public void Numbers_are_typed_as_numbers_only(string file)
    {
        using var document = OpenApiDocuments.Load(file);

        var mixed = Schemas(document.RootElement)
            .Where(s => s.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Array
                && type.EnumerateArray().Any(t => t.GetString() == "string")
                && type.EnumerateArray().Any(t => t.GetString() is "integer" or "number"))
            .Select(s => s.ToString()).ToList();
        Assert.True(mixed.Count == 0, $"{file}: {string.Join("; ", mixed)}");
    }

    [Theory]
    [InlineData("Shop.UserApi/Shop.UserApi.json", "RegisterRequest")]
    [InlineData("Shop.UserApi/Shop.UserApi.json", "LoginRequest")]
    [InlineData("Shop.OrderApi/Shop.OrderApi.json", "CreateOrderRequest")]
    [InlineData("Shop.OrderApi/Shop.OrderApi.json", "PayOrderRequest")]
    [InlineData("Shop.BasketApi/Shop.BasketApi.json", "CheckoutRequest")]
    [InlineData("Shop.ProductApi/Shop.ProductApi.json", "CreateProductRequest")]
    public void The_main_request_bodies_carry_an_example_of_every_property(string file, string schema)
    {
        using var document = OpenApiDocuments.Load(file);
        var definition = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(schema);

        Assert.True(definition.TryGetProperty("examples", out var examples) && examples.GetArrayLength() > 0, $"{schema} has no example");
        var example = examples[0];
        var properties = definition.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order();
        Assert.Equal(properties, example.EnumerateObject().Select(p => p.Name).Order());
    }

    private static IEnumerable<JsonElement> Schemas(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            yield return element;
            foreach (var property in element.EnumerateObject())
            {
                foreach (var nested in Schemas(property.Value)) yield return nested;
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                foreach (var nested in Schemas(item)) yield return nested;
            }
        }
    }

    private static string? Text(JsonElement operation, string property) =>
        operation.TryGetProperty(property, out var value) ? value.GetString() : null;
}
