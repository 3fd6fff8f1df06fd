using Shop.ServiceDefaults.Validation;

namespace Shop.Tests.ServiceDefaults;

public sealed class PageRequestTests
{
    [Fact]
    public void Missing_values_take_the_defaults()
    {
        var request = PageRequest.Create(null, null, new FieldErrors(), defaultPageSize: 50, maxPageSize: 200);

        Assert.NotNull(request);
        Assert.Equal((1, 50, 0), (request.Page, request.PageSize, request.Offset));
    }

    [Theory]
    [InlineData(3, 25, 50)]
    [InlineData(21_474_837, 100, 2_147_483_600)]
    public void The_offset_is_exact_up_to_the_deepest_page(int page, int pageSize, int offset)
    {
        var request = PageRequest.Create(page, pageSize, new FieldErrors(), maxPageSize: 100);

        Assert.NotNull(request);
        Assert.Equal(offset, request.Offset);
    }

    [Theory]
    [InlineData(int.MaxValue, 20, "page")]
    [InlineData(21_474_838, 100, "page")]
    [InlineData(0, 20, "page")]
    [InlineData(int.MinValue, 20, "page")]
    [InlineData(1, 0, "pageSize")]
    [InlineData(1, -1, "pageSize")]
    [InlineData(1, 101, "pageSize")]
    [InlineData(1, int.MaxValue, "pageSize")]
    public void Out_of_range_values_are_field_errors(int page, int pageSize, string field)
    {
        var errors = new FieldErrors();

        var request = PageRequest.Create(page, pageSize, errors, maxPageSize: 100);

        Assert.Null(request);
        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public void An_explicit_deepest_page_is_enforced()
    {
        var errors = new FieldErrors();

        Assert.NotNull(PageRequest.Create(10_000, 100, errors, maxPageSize: 100, maxPage: 10_000));
        Assert.Null(PageRequest.Create(10_001, 100, errors, maxPageSize: 100, maxPage: 10_000));
        Assert.Equal(["page"], errors.Keys);
    }

    [Fact]
    public void Limits_whose_offset_could_overflow_are_a_programming_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PageRequest.Create(1, 1, new FieldErrors(), maxPageSize: 100, maxPage: int.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => PageRequest.Create(1, 1, new FieldErrors(), defaultPageSize: 200, maxPageSize: 100));
    }

    [Fact]
    public void A_page_is_written_as_items_page_page_size_and_total_count()
    {
        var request = PageRequest.Create(3, 2, new FieldErrors())!;

        var page = Page<int>.Of([5, 6], request, totalCount: 9).Select(n => n * 10);

        Assert.Equal("""{"items":[50,60],"page":3,"pageSize":2,"totalCount":9}""",
            System.Text.Json.JsonSerializer.Serialize(page, System.Text.Json.JsonSerializerOptions.Web));
    }
}
