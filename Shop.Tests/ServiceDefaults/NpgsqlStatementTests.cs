using Microsoft.Extensions.Hosting;

namespace Shop.Tests.ServiceDefaults;

public sealed class NpgsqlStatementTests
{
    [Fact]
    public void Holes_become_positional_parameters_in_order_and_a_repeated_value_is_two_of_them()
    {
        var id = Guid.NewGuid();
        var sql = NpgsqlStatementExtensions.PositionalSql(
            $"UPDATE orders SET \"Status\" = {"Paid"} WHERE \"Id\" = {id} AND \"UserId\" <> {id}");

        Assert.Equal("UPDATE orders SET \"Status\" = $1 WHERE \"Id\" = $2 AND \"UserId\" <> $3", sql);
    }

    [Fact]
    public void No_value_enters_the_text_of_the_statement()
    {
        const string hostile = "'); DROP TABLE orders; --";
        string? missing = null;
        var sql = NpgsqlStatementExtensions.PositionalSql($"INSERT INTO notes (text, extra) VALUES ({hostile}, {missing})");

        Assert.Equal("INSERT INTO notes (text, extra) VALUES ($1, $2)", sql);
        Assert.DoesNotContain("DROP", sql);
    }

    [Fact]
    public void Escaped_braces_are_single_braces_in_the_statement()
    {
        var sql = NpgsqlStatementExtensions.PositionalSql($"SELECT '{{1,2}}'::int[] || {3}");

        Assert.Equal("SELECT '{1,2}'::int[] || $1", sql);
    }
}
