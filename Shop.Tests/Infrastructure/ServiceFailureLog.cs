using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Shop.Tests.Infrastructure;

/// <summary>
/// The errors the services logged, as Aspire.Hosting.Testing forwards their console output to the test process (one
/// line per log event, category <c>Shop.AppHost.Resources.{resource}</c>): each <c>fail:</c> or <c>crit:</c> entry
/// with its indented lines (message, exception, stack). A test that got an unexpected 5xx shows them in its failure
/// message, since CI keeps no service log: the exception behind the answer, not only its trace id.
/// </summary>
public sealed partial class ServiceFailureLog : ILoggerProvider
{
    public const string ResourceCategoryPrefix = "Shop.AppHost.Resources.";
    private const int MaxEntries = 1_000;
    private const int MaxLinesPerEntry = 40;

    /// <summary>One per test process: every app the process starts forwards to it.</summary>
    public static ServiceFailureLog Instance { get; } = new();

    private readonly ConcurrentQueue<(DateTime At, string Resource, StringBuilder Text)> _entries = new();
    private readonly ConcurrentDictionary<string, StringBuilder?> _open = new();

    /// <summary>A log of its own (tests of this class); the fixtures use <see cref="Instance"/>.</summary>
    public ServiceFailureLog()
    {
    }

    /// <summary>The entries logged since <paramref name="since"/> (UTC) whose text contains <paramref name="marker"/>, newest last.</summary>
    public IReadOnlyList<string> Since(DateTime since, string marker = "") =>
        _entries.Where(e => e.At >= since)
            .Select(e => { lock (e.Text) return $"[{e.Resource}] {e.Text}"; })
            .Where(text => text.Contains(marker, StringComparison.Ordinal))
            .ToList();

    /// <summary>
    /// The entries logged since <paramref name="since"/>, after a second for the latest to arrive and up to
    /// <paramref name="wait"/> for a first one (forwarding lags the answer); "(none)" when there is none.
    /// </summary>
    public async Task<string> DescribeAsync(DateTime since, TimeSpan wait)
    {
        var deadline = DateTime.UtcNow + wait;
        // The answer's own error may still be on its way while older ones are already here.
        await Task.Delay(TimeSpan.FromSeconds(1));
        while (Since(since).Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(100);
        var found = Since(since);
        return found.Count == 0 ? "(none)" : string.Join(Environment.NewLine, found);
    }

    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith(ResourceCategoryPrefix, StringComparison.Ordinal)
            ? new ResourceLineLogger(this, categoryName[ResourceCategoryPrefix.Length..])
            : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }

    private void Add(string resource, string line)
    {
        // DCP stamps each line; Aspire lets the services colour their console (DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION).
        var content = LineStamp().Replace(AnsiEscape().Replace(line, ""), "").TrimEnd();
        if (content.StartsWith("fail:", StringComparison.Ordinal) || content.StartsWith("crit:", StringComparison.Ordinal))
        {
            var text = new StringBuilder(content);
            _open[resource] = text;
            _entries.Enqueue((DateTime.UtcNow, resource, text));
            while (_entries.Count > MaxEntries) _entries.TryDequeue(out _);
        }
        else if (content.Length > 0 && char.IsWhiteSpace(content[0]) && _open.TryGetValue(resource, out var open) && open is not null)
        {
            lock (open)
            {
                if (open.ToString().Count(c => c == '\n') < MaxLinesPerEntry) open.Append('\n').Append(content);
            }
        }
        else
        {
            _open[resource] = null;
        }
    }

    private sealed class ResourceLineLogger(ServiceFailureLog log, string resource) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // The forwarder's state is "{LineNumber}: {LineContent}"; the content is the service's console line.
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values
                && values.FirstOrDefault(v => v.Key == "LineContent").Value is string content)
            {
                log.Add(resource, content);
            }
        }
    }

    [GeneratedRegex("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z ")]
    private static partial Regex LineStamp();

    [GeneratedRegex("\x1b\\[[0-9;]*m")]
    private static partial Regex AnsiEscape();
}
