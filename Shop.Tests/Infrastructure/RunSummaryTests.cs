using Shop.TestLogger;

namespace Shop.Tests.Infrastructure;

public sealed class RunSummaryTests
{
    private static FinishedTest Passed(string name, double seconds) =>
        new(name, "Passed", TimeSpan.FromSeconds(seconds), null, null);

    [Fact]
    public void The_slowest_tests_come_first_and_only_ten_of_them()
    {
        var tests = Enumerable.Range(1, 12).Select(i => Passed($"T{i}", i)).ToList();

        var lines = RunSummary.Render(tests, aborted: false, TimeSpan.FromMinutes(2)).Split('\n');

        Assert.Equal("slowest tests:", lines[0]);
        Assert.Equal("     12.0 s  T12", lines[1]);
        Assert.Equal("      3.0 s  T3", lines[10]);
        Assert.DoesNotContain(lines, l => l.EndsWith("  T2", StringComparison.Ordinal));
        Assert.Equal("tests: passed, 12 passed, 0 failed, 0 skipped of 12, in 2.0 min", lines[^1]);
    }

    [Fact]
    public void Each_failure_is_named_again_with_the_head_of_its_message_and_stack_and_the_verdict_is_last()
    {
        var message = string.Join('\n', Enumerable.Range(1, RunSummary.MessageLines + 5).Select(i => $"line {i}"));
        var tests = new[]
        {
            Passed("Fine", 1),
            new FinishedTest("Broken(x: 1)", "Failed", TimeSpan.FromSeconds(4.25), message, "at A.B()\r\nat C.D()"),
            new FinishedTest("Later", "Skipped", TimeSpan.Zero, null, null),
        };

        var text = RunSummary.Render(tests, aborted: false, TimeSpan.FromSeconds(30));
        var failures = text[text.IndexOf("failed tests:", StringComparison.Ordinal)..].Split('\n');

        Assert.Equal("  Broken(x: 1) [4.3 s]", failures[1]);
        Assert.Equal("      line 1", failures[2]);
        Assert.Equal($"      line {RunSummary.MessageLines}", failures[RunSummary.MessageLines + 1]);
        Assert.Equal("      … 5 more lines", failures[RunSummary.MessageLines + 2]);
        Assert.Equal("      at A.B()", failures[RunSummary.MessageLines + 3]);
        Assert.Equal("      at C.D()", failures[RunSummary.MessageLines + 4]);
        Assert.Equal("tests: FAILED, 1 passed, 1 failed, 1 skipped of 3, in 0.5 min", failures[^1]);
    }

    [Fact]
    public void A_run_that_stopped_early_says_so_even_without_failures()
    {
        var text = RunSummary.Render([Passed("Only", 1)], aborted: true, TimeSpan.FromMinutes(10));

        Assert.DoesNotContain("failed tests:", text);
        Assert.EndsWith("tests: ABORTED, 1 passed, 0 failed, 0 skipped of 1, in 10.0 min", text);
    }
}
