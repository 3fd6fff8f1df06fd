using System.Data.Common;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Shop.ServiceDefaults.Http;

namespace Shop.Tests.ServiceDefaults;

public sealed class ExceptionProblemsTests
{
    private sealed class FakeDbException(string sqlState, bool transient = false) : DbException("secret internals: relation \"users\"")
    {
        public override string SqlState => sqlState;
        public override bool IsTransient => transient;
    }

    private sealed class FakeDbUpdateException(Exception inner) : Exception("An error occurred while saving the entity changes.", inner);

    [Theory]
    [InlineData("40001")]
    [InlineData("40P01")]
    [InlineData("08006")]
    public void Serialization_deadlock_and_connection_failures_are_503_with_retry_after(string sqlState)
    {
        var answer = ExceptionProblems.For(new FakeDbUpdateException(new FakeDbException(sqlState)));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, answer.Problem.Status);
        Assert.NotNull(answer.RetryAfter);
        Assert.Equal(ExceptionProblemKind.Transient, answer.Kind);
    }

    [Fact]
    public void Provider_transient_errors_and_timeouts_are_503()
    {
        Assert.Equal(503, ExceptionProblems.For(new FakeDbException("53300", transient: true)).Problem.Status);
        Assert.Equal(503, ExceptionProblems.For(new InvalidOperationException("wrapped", new TimeoutException())).Problem.Status);
    }

    [Theory]
    [InlineData("22021")] // invalid byte sequence (U+0000)
    [InlineData("22001")] // string too long
    [InlineData("22003")] // numeric value out of range
    [InlineData("2201X")] // negative OFFSET
    [InlineData("23514")] // check violation
    public void Values_the_database_refuses_are_400_without_retry(string sqlState)
    {
        var answer = ExceptionProblems.For(new FakeDbUpdateException(new FakeDbException(sqlState)));

        Assert.Equal(StatusCodes.Status400BadRequest, answer.Problem.Status);
        Assert.Null(answer.RetryAfter);
        Assert.DoesNotContain("secret", answer.Problem.Detail);
    }

    [Fact]
    public void Anything_else_is_a_500_that_tells_nothing()
    {
        var answer = ExceptionProblems.For(new InvalidOperationException("Sequence contains no elements at Shop.Secret"));

        Assert.Equal(StatusCodes.Status500InternalServerError, answer.Problem.Status);
        Assert.Equal("An unexpected error occurred.", answer.Problem.Detail);
        Assert.Null(answer.RetryAfter);
        Assert.Equal(503, ExceptionProblems.For(new FakeDbException("40001")).Problem.Status);
        Assert.Equal(500, ExceptionProblems.For(new FakeDbException("42P01")).Problem.Status); // undefined table: our bug
    }

    [Fact]
    public void Invalid_json_names_the_path_but_never_the_type()
    {
        var json = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<Probe>("""{"shipping":{"line1":"a\ud800"}}""", JsonSerializerOptions.Web));
        var bad = new BadHttpRequestException("Failed to read parameter \"Probe request\" from the request body as JSON.", json);

        var answer = ExceptionProblems.For(bad);

        Assert.Equal(400, answer.Problem.Status);
        Assert.Equal("The request body is not valid JSON.", answer.Problem.Detail);
        var errors = Assert.IsAssignableFrom<IReadOnlyDictionary<string, string[]>>(answer.Problem.Extensions["errors"]);
        Assert.Equal(["shipping.line1"], errors.Keys);
        Assert.DoesNotContain("Probe", JsonSerializer.Serialize(answer.Problem));
    }

    [Theory]
    [InlineData("""{"shipping":{"line1":12}}""", "shipping.line1", "a string")]
    [InlineData("""{"count":"two"}""", "count", "an integer from -2147483648 to 2147483647")]
    [InlineData("""{"count":99999999999}""", "count", "an integer from -2147483648 to 2147483647")]
    [InlineData("""{"price":true}""", "price", "a number")]
    [InlineData("""{"id":"not-a-uuid"}""", "id", "a UUID string")]
    [InlineData("""{"shipping":"1 Main Street"}""", "shipping", "an object")]
    [InlineData("""{"tags":"a"}""", "tags", "an array")]
    public void A_value_of_the_wrong_json_type_names_the_field_and_the_expected_type(string body, string field, string expected)
    {
        var json = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<Probe>(body, JsonSerializerOptions.Web));
        var bad = new BadHttpRequestException("Failed to read parameter \"Probe request\" from the request body as JSON.", json);

        var answer = ExceptionProblems.For(bad, typeof(Probe));

        Assert.Equal(400, answer.Problem.Status);
        Assert.Equal(Shop.ServiceDefaults.Refusals.InvalidRefusal.DefaultTitle, answer.Problem.Title);
        Assert.Equal($"The value of '{field}' is not {expected}.", answer.Problem.Detail);
        var errors = Assert.IsAssignableFrom<IReadOnlyDictionary<string, string[]>>(answer.Problem.Extensions["errors"]);
        Assert.Equal([$"Must be {expected}."], errors[field]);
        Assert.DoesNotContain("System.", JsonSerializer.Serialize(answer.Problem));
    }

    [Fact]
    public void A_body_of_the_wrong_json_type_says_what_it_must_be()
    {
        var json = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<Probe>("""["not","an","object"]""", JsonSerializerOptions.Web));

        var answer = ExceptionProblems.For(new BadHttpRequestException("Failed to read parameter.", json), typeof(Probe));

        Assert.Equal("The request body must be an object.", answer.Problem.Detail);
    }

    [Theory]
    [InlineData("Failed to bind parameter \"int page\" from \"abc\".", 400, "page")]
    [InlineData("Failed to bind parameter \"Nullable<decimal> minPrice\" from \"1e999\".", 400, "minPrice")]
    [InlineData("Required parameter \"string q\" was not provided from query string.", 400, "q")]
    public void Unbindable_values_name_the_parameter(string message, int status, string field)
    {
        var answer = ExceptionProblems.For(new BadHttpRequestException(message));

        Assert.Equal(status, answer.Problem.Status);
        var errors = Assert.IsAssignableFrom<IReadOnlyDictionary<string, string[]>>(answer.Problem.Extensions["errors"]);
        Assert.Equal([field], errors.Keys);
        Assert.DoesNotContain("int", answer.Problem.Detail);
    }

    [Theory]
    [InlineData("Implicit body inferred for parameter \"request\" but no body was provided. Did you mean to use a Service instead?", 400, 400)]
    [InlineData("Required parameter \"CreateOrderRequest request\" was not provided from body.", 400, 400)]
    [InlineData("Expected a supported JSON media type but got \"text/plain\".", 415, 415)]
    [InlineData("Request body too large. The max request body size is 30000000 bytes.", 413, 413)]
    public void Body_problems_keep_their_status_with_a_fixed_detail(string message, int thrownStatus, int status)
    {
        var answer = ExceptionProblems.For(new BadHttpRequestException(message, thrownStatus));

        Assert.Equal(status, answer.Problem.Status);
        Assert.DoesNotContain("CreateOrderRequest", answer.Problem.Detail);
        Assert.DoesNotContain("text/plain", answer.Problem.Detail);
        Assert.DoesNotContain("30000000", answer.Problem.Detail);
    }

    private sealed record Probe(Address? Shipping, int? Count = null, decimal? Price = null, Guid? Id = null, List<string>? Tags = null);

    private sealed record Address(string? Line1);
}
