using System.Globalization;
using System.Text;

namespace Shop.Benchmarks.Traces;

/// <summary>A span with its children, in start order.</summary>
public sealed record SpanNode(TraceSpan Span, IReadOnlyList<SpanNode> Children);

/// <summary>
/// The spans of one trace arranged by parent: a span whose parent is not among them (the bench's own client span, or
/// a parent not exported) is a root. Printed as an indented tree: start offset from the trace's first span and
/// duration, both in milliseconds, then service and span name.
/// </summary>
public sealed class SpanTree
{
    private const int MaxDetailLength = 90;

    public IReadOnlyList<SpanNode> Roots { get; }

    /// <summary>Start of the earliest span, nanoseconds since the Unix epoch: offset 0.</summary>
    public ulong OriginUnixNano { get; }

    public int Count { get; }

    public SpanTree(IEnumerable<TraceSpan> spans)
    {
        // The dashboard may hand a span twice (once per query window): one copy per span id.
        var all = spans.GroupBy(s => s.SpanId).Select(g => g.First()).ToList();
        Count = all.Count;
        OriginUnixNano = all.Count == 0 ? 0 : all.Min(s => s.StartUnixNano);
        var ids = all.Select(s => s.SpanId).ToHashSet();
        var byParent = all.Where(s => s.ParentSpanId is not null && ids.Contains(s.ParentSpanId)).ToLookup(s => s.ParentSpanId!);
        SpanNode Build(TraceSpan span) => new(span, [.. byParent[span.SpanId].OrderBy(s => s.StartUnixNano).Select(Build)]);
        Roots = [.. all.Where(s => s.ParentSpanId is null || !ids.Contains(s.ParentSpanId)).OrderBy(s => s.StartUnixNano).Select(Build)];
    }

    public double OffsetMs(TraceSpan span) => (span.StartUnixNano - OriginUnixNano) / 1e6;

    /// <summary>One line per span, children indented two spaces under their parent.</summary>
    public IReadOnlyList<string> Lines()
    {
        var lines = new List<string> { $"{"start ms",9} {"dur ms",8}  service: span" };
        void Walk(SpanNode node, int depth)
        {
            var span = node.Span;
            var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{OffsetMs(span),9:F1} {span.DurationMs,8:F1}  "));
            text.Append(' ', depth * 2).Append(span.Service).Append(": ").Append(span.Name);
            if (span.Detail is { } detail && detail != span.Name) text.Append(" — ").Append(Shorten(detail));
            lines.Add(text.ToString());
            foreach (var child in node.Children) Walk(child, depth + 1);
        }
        foreach (var root in Roots) Walk(root, 0);
        return lines;
    }

    private static string Shorten(string statement)
    {
        var oneLine = string.Join(' ', statement.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length <= MaxDetailLength ? oneLine : oneLine[..MaxDetailLength] + "…";
    }
}
