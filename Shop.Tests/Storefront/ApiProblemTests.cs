using Shop.WebApp.Clients;
using Shop.WebApp.Services;
using OrdersProblem = Shop.WebApp.Clients.Orders.HttpValidationProblemDetails;
using BasketProblem = Shop.WebApp.Clients.Basket.ProblemDetails;

namespace Shop.Tests.Storefront;

/// <summary>
/// What a shopper is told comes from the answer's ProblemDetails even when the generated client read it into the
/// documented type and kept no text of it (which is how NSwag's clients throw every documented error).
/// </summary>
public sealed class ApiProblemTests
{
    private static readonly Dictionary<string, IEnumerable<string>> RetryIn59 = new() { ["Retry-After"] = ["59"] };

    [Fact]
    public void A_429_read_into_ProblemDetails_is_said_in_the_shop_s_words_with_the_wait_from_Retry_After()
    {
        var refused = new ApiException<BasketProblem>("documented 429", 429, response: null, RetryIn59,
            new BasketProblem { Status = 429, Title = "Too Many Requests", Detail = "Rate limit of 4 requests exceeded; retry after 59 s." }, null);

        var problem = ApiProblem.From(refused);

        Assert.Equal(429, problem.Status);
        Assert.Equal(59, problem.RetryAfterSeconds);
        Assert.Equal("You sent many requests in a short time. Please try again in 59 s.", problem.Summary);
    }

    [Fact]
    public void Field_errors_read_into_the_validation_type_are_shown_by_field()
    {
        var refused = new ApiException<OrdersProblem>("documented 400", 400, response: null, new Dictionary<string, IEnumerable<string>>(),
            new OrdersProblem
            {
                Status = 400,
                Title = "One or more validation errors occurred.",
                Errors = new Dictionary<string, ICollection<string>> { ["shippingAddress.city"] = ["The city is required."] },
            }, null);

        var problem = ApiProblem.From(refused);

        Assert.Equal(["The city is required."], problem.For("city"));
        Assert.Equal("One or more validation errors occurred.", problem.Summary);
    }

    [Fact]
    public void Without_a_body_a_503_s_own_words_make_a_sentence_before_the_wait()
    {
        var problem = ApiProblem.From(new ApiException("no body", 503, null, RetryIn59, null));

        Assert.Equal("This part of the shop is unavailable right now. Please try again in 59 s.", problem.Summary);
    }
}
