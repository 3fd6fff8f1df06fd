using System.Globalization;
using System.Text;

namespace Shop.TestLogger;

/// <summary>One finished test as the summary needs it.</summary>
/// <param name="Name">The test's display name (class, method and arguments).</param>
/// <param name="Outcome">Passed, Failed, Skipped, NotFound or None, as VSTest reports it.</param>
/// <param name="Duration">Wall-clock time of the test itself, without its class fixture's start.</param>
/// <param name="ErrorMessage">The failure's message; null when it passed.</param>
/// <param name="ErrorStackTrace">The failure's stack trace; null when it passed.</param>
public sealed record FinishedTest(string Name, string Outcome, TimeSpan Duration, string? ErrorMessage, string? ErrorStackTrace);

/// <summary>
/// The end of a test run's output: the slowest tests, every failure again with the head of its message and stack
/// (CI keeps only the end of a long output), and one verdict line. The verdict counts tests, not the run's exit
/// status, which stays dotnet test's.
/// </summary>
public static class RunSummary
{
    public const int SlowestCount = 10;
    public const int MessageLines = 20;
    public const int StackLines = 8;

    /// <param name="tests">Every finished test, in any order.</param>
    /// <param name="aborted">The run stopped before every test finished (a crash, a hang the blame collector cut).</param>
    /// <param name="elapsed">The run's wall-clock time.</param>
    public static string Render(IReadOnlyCollection<FinishedTest> tests, bool aborted, TimeSpan elapsed)
    {
        var text = new StringBuilder();
        text.AppendLine("slowest tests:");
        foreach (var test in tests.OrderByDescending(t => t.Duration).Take(SlowestCount))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {test.Duration.TotalSeconds,7:0.0} s  {test.Name}");
        }

        var failed = tests.Where(t => t.Outcome == "Failed").ToList();
        if (failed.Count > 0)
        {
            text.AppendLine("failed tests:");
            foreach (var test in failed)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {test.Name} [{test.Duration.TotalSeconds:0.0} s]");
                AppendHead(text, test.ErrorMessage, MessageLines);
                AppendHead(text, test.ErrorStackTrace, StackLines);
            }
        }

        var passed = tests.Count(t => t.Outcome == "Passed");
        var skipped = tests.Count(t => t.Outcome == "Skipped");
        var verdict = aborted ? "ABORTED" : failed.Count > 0 ? "FAILED" : "passed";
        text.Append(CultureInfo.InvariantCulture,
            $"tests: {verdict}, {passed} passed, {failed.Count} failed, {skipped} skipped of {tests.Count}, in {elapsed.TotalMinutes:0.0} min");
        return text.ToString();
    }

    private static void AppendHead(StringBuilder text, string? block, int lines)
    {
        if (string.IsNullOrWhiteSpace(block))
        {
            return;
        }
        var all = block.ReplaceLineEndings("\n").TrimEnd().Split('\n');
        foreach (var line in all.Take(lines))
        {
            text.Append("      ").AppendLine(line);
        }
        if (all.Length > lines)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"      … {all.Length - lines} more lines");
        }
    }
}
