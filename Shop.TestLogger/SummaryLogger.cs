using System.Collections.Concurrent;
using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Client;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Logging;

namespace Shop.TestLogger;

/// <summary>
/// <c>dotnet test --logger shop</c>: prints <see cref="RunSummary"/> when the run completes, after the console
/// logger's per-test lines.
/// </summary>
[FriendlyName("shop")]
[ExtensionUri("logger://shop/summary")]
public sealed class SummaryLogger : ITestLogger
{
    private readonly ConcurrentQueue<FinishedTest> _tests = new();

    public void Initialize(TestLoggerEvents events, string testRunDirectory)
    {
        events.TestResult += (_, e) => _tests.Enqueue(new FinishedTest(
            e.Result.DisplayName ?? e.Result.TestCase.FullyQualifiedName,
            e.Result.Outcome.ToString(),
            e.Result.Duration,
            e.Result.ErrorMessage,
            e.Result.ErrorStackTrace));
        events.TestRunComplete += (_, e) =>
            Console.WriteLine(RunSummary.Render(_tests.ToArray(), e.IsAborted || e.Error is not null, e.ElapsedTimeInRunningTests));
    }
}
