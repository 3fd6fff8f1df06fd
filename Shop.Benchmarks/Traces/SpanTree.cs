using System.Globalization;
using System.Text;
using Shop.Benchmarks.Infrastructure;

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
        foreach (var (node, depth, _, _) in Walk())
        {
            lines.Add(Line(string.Create(CultureInfo.InvariantCulture, $"{OffsetMs(node.Span),9:F1} {node.Span.DurationMs,8:F1}  "), node.Span, depth));
        }
        return lines;
    }

    /// <summary>
    /// Several traces of one flow as one tree: a span is matched across traces by its path from the root (service,
    /// name and shortened SQL of each ancestor and of itself, and its rank among such siblings), and every path seen
    /// in any trace is printed, children in order of their median start. Each line gives the median start offset, the
    /// median duration and the 90th-percentile duration in milliseconds over the traces holding that span (how many,
    /// when not all).
    /// </summary>
    public static IReadOnlyList<string> MedianLines(IReadOnlyList<SpanTree> trees)
    {
        if (trees.Count == 0) return [];
        var paths = new Dictionary<string, (string Parent, TraceSpan Example, List<double> Offsets, List<double> Durations)>();
        foreach (var tree in trees)
        {
            foreach (var (node, _, path, parent) in tree.Walk())
            {
                if (!paths.TryGetValue(path, out var entry)) paths[path] = entry = (parent, node.Span, [], []);
                entry.Offsets.Add(tree.OffsetMs(node.Span));
                entry.Durations.Add(node.Span.DurationMs);
            }
        }
        foreach (var entry in paths.Values)
        {
            entry.Offsets.Sort();
            entry.Durations.Sort();
        }
        var children = paths.ToLookup(p => p.Value.Parent, p => p.Key);
        var lines = new List<string> { $"{"start ms",9} {"dur ms",8} {"p90 ms",8}  service: span (medians over {trees.Count} traces)" };
        void Print(string parent, int depth)
        {
            foreach (var path in children[parent].OrderBy(p => Percentiles.NearestRank(paths[p].Offsets, 50)))
            {
                var (_, example, offsets, durations) = paths[path];
                var line = Line(string.Create(CultureInfo.InvariantCulture,
                    $"{Percentiles.NearestRank(offsets, 50),9:F1} {Percentiles.NearestRank(durations, 50),8:F1} {Percentiles.NearestRank(durations, 90),8:F1}  "),
                    example, depth);
                lines.Add(offsets.Count < trees.Count ? $"{line} ({offsets.Count} of {trees.Count})" : line);
                Print(path, depth + 1);
            }
        }
        Print("", 0);
        return lines;
    }

    /// <summary>Every span depth-first with its depth, its path key and its parent's (see <see cref="MedianLines"/>).</summary>
    private IEnumerable<(SpanNode Node, int Depth, string Path, string ParentPath)> Walk()
    {
        IEnumerable<(SpanNode, int, string, string)> Level(IReadOnlyList<SpanNode> nodes, int depth, string parentPath)
        {
            var ranks = new Dictionary<string, int>();
            foreach (var node in nodes)
            {
                var name = $"{node.Span.Service}: {node.Span.Name} {(node.Span.Detail is { } sql ? Shorten(sql) : "")}";
                ranks[name] = ranks.GetValueOrDefault(name) + 1;
                var path = $"{parentPath}/{name}#{ranks[name]}";
                yield return (node, depth, path, parentPath);
                foreach (var child in Level(node.Children, depth + 1, path)) yield return child;
            }
        }
        return Level(Roots, 0, "");
    }

    private static string Line(string figures, TraceSpan span, int depth)
    {
        var text = new StringBuilder(figures);
        text.Append(' ', depth * 2).Append(span.Service).Append(": ").Append(span.Name);
        if (span.Detail is { } detail && detail != span.Name) text.Append(" — ").Append(Shorten(detail));
        return text.ToString();
    }

    private static string Shorten(string statement)
    {
        var oneLine = string.Join(' ', statement.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length <= MaxDetailLength ? oneLine : oneLine[..MaxDetailLength] + "…";
    }
}
