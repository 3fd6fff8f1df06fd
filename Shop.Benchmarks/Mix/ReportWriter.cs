using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Shop.Benchmarks.Infrastructure;

namespace Shop.Benchmarks.Mix;

/// <summary>Writes report.json and a self-contained report.html (inline SVG charts, no external scripts).</summary>
public static class ReportWriter
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Writes report.json and report.html into the directory and prints the summary with their paths.</summary>
    public static Task WriteAsync(MixReport report, string directory, TextWriter output) =>
        BenchCommand.WriteReportAsync(output, directory, "report", JsonSerializer.Serialize(report, Json), RenderHtml(report), Summary(report));

    public static string Summary(MixReport r)
    {
        var text = new StringBuilder();
        text.AppendLine($"{"endpoint",-14} {"req/s",8} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8} {"errors",8}");
        foreach (var e in r.Endpoints.Append(r.Total))
        {
            text.AppendLine(F($"{e.Operation,-14} {e.RequestsPerSecond,8:F1} {e.P50Ms,8:F1} {e.P95Ms,8:F1} {e.P99Ms,8:F1} {e.MaxMs,8:F1} {e.Errors,8}")
                + (e.Errors > 0 ? "  " + string.Join(", ", e.ErrorsByStatus.Select(s => $"{s.Key}: {s.Value}")) : ""));
        }
        text.AppendLine(F($"orders created/s {r.OrdersPerSecond:F1}; order → notification p50 {r.OrderPipeline.P50Ms:F0} ms, p99 {r.OrderPipeline.P99Ms:F0} ms ({r.OrderPipeline.Sampled} sampled, {r.OrderPipeline.Lost} not seen)"));
        text.AppendLine(DiskSummary(r.DiskFlushes));
        if (r.SustainableRate is { } rate) text.AppendLine(F($"sustainable rate within bounds: {rate:F0} req/s"));
        text.AppendLine(F($"services memory (max, all processes): RSS {r.ServicesTotalRssMiB:F0} MiB, PSS {r.ServicesTotalPssMiB:F0} MiB (shared pages counted once); generator CPU {r.GeneratorCpuShare:P1} of the machine"));
        foreach (var p in r.Processes)
        {
            text.AppendLine(F($"  {p.Process,-20} CPU avg {p.AverageCpuShare,6:P1} max {p.MaxCpuShare,6:P1}   RSS avg {p.AverageRssMiB,6:F0} MiB max {p.MaxRssMiB,6:F0} MiB"));
        }
        foreach (var note in r.Notes) text.AppendLine($"note: {note}");
        foreach (var gate in r.GateFailures) text.AppendLine($"GATE FAILED: {gate}");
        return text.ToString();
    }

    /// <summary>One line on the disk's durable writes during the measured run (<see cref="DiskFlushProbe"/>).</summary>
    public static string DiskSummary(DiskFlushFigures d) => d.Count == 0
        ? d.Brief()
        : F($"disk: {d.Count} durable 8 KiB writes (write + fdatasync, one every {DiskFlushProbe.Interval.TotalMilliseconds:F0} ms): p50 {d.P50Ms:F2} ms, p99 {d.P99Ms:F1} ms, max {d.MaxMs:F0} ms, {d.Stalls} over {DiskFlushProbe.StallMs:F0} ms; every commit waits for such a flush");

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string RenderHtml(MixReport r)
    {
        var html = new StringBuilder();
        html.Append("""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop benchmark</title>
            <style>body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;margin:1rem 0}
            td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}
            .bad{color:#b00020;font-weight:bold}svg{background:#fafafa;border:1px solid #ddd;margin:.5rem 0}h2{margin-top:2rem}</style></head><body>
            """);
        html.Append(F($"<h1>Shop benchmark</h1><p>{Enc(r.Mode)} run against {Enc(r.Target)}, started {r.StartedAt:u}, {r.DurationSeconds:F0} s, {r.VirtualUsers} virtual users, target rate {r.TargetRate:F0}/s.</p>"));
        html.Append("<p>Mix weights: ").Append(Enc(string.Join(", ", r.Weights.Select(w => $"{w.Key} {w.Value}")))).Append("</p>");
        foreach (var gate in r.GateFailures) html.Append("<p class=bad>Gate failed: ").Append(Enc(gate)).Append("</p>");
        foreach (var note in r.Notes) html.Append("<p><em>").Append(Enc(note)).Append("</em></p>");

        html.Append("<h2>Per endpoint</h2><table><tr><th>endpoint</th><th>req/s</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th><th>errors</th><th>by status</th></tr>");
        foreach (var e in r.Endpoints.Append(r.Total))
        {
            html.Append(F($"<tr><td>{Enc(e.Operation)}</td><td>{e.RequestsPerSecond:F1}</td><td>{e.P50Ms:F1}</td><td>{e.P95Ms:F1}</td><td>{e.P99Ms:F1}</td><td>{e.MaxMs:F1}</td><td>{e.Errors}</td><td>{Enc(string.Join(", ", e.ErrorsByStatus.Select(s => $"{s.Key}: {s.Value}")))}</td></tr>"));
        }
        html.Append("</table>");
        html.Append(F($"<p>Orders created: {r.OrdersPerSecond:F1}/s. Order → notification stored: p50 {r.OrderPipeline.P50Ms:F0} ms, p99 {r.OrderPipeline.P99Ms:F0} ms, max {r.OrderPipeline.MaxMs:F0} ms ({r.OrderPipeline.Sampled} orders sampled, {r.OrderPipeline.Lost} not seen within 60 s).</p>"));
        html.Append($"<p>{Enc(DiskSummary(r.DiskFlushes))}.</p>");

        html.Append("<h2>Latency over time</h2>");
        html.Append(LineChart(r.Timeline.Select(t => (double)t.Second).ToList(),
            [("p50 ms", "#1f77b4", r.Timeline.Select(t => t.P50Ms).ToList()), ("p99 ms", "#d62728", r.Timeline.Select(t => t.P99Ms).ToList())]));
        html.Append("<h2>Throughput and errors per second</h2>");
        html.Append(LineChart(r.Timeline.Select(t => (double)t.Second).ToList(),
            [("requests/s", "#2ca02c", r.Timeline.Select(t => (double)t.Requests).ToList()), ("errors/s", "#d62728", r.Timeline.Select(t => (double)t.Errors).ToList())]));

        if (r.Steps.Count > 0)
        {
            html.Append("<h2>Step mode</h2><table><tr><th>target/s</th><th>achieved/s</th><th>p99 ms</th><th>errors</th><th>within bounds</th><th>disk write max ms</th><th>disk writes over 50 ms</th></tr>");
            foreach (var s in r.Steps)
            {
                html.Append(F($"<tr><td>{s.TargetRate:F0}</td><td>{s.AchievedRate:F0}</td><td>{s.P99Ms:F1}</td><td>{s.ErrorRate:P2}</td><td>{(s.WithinBounds ? "yes" : "<span class=bad>no</span>")}</td><td>{s.DiskFlushes.MaxMs:F0}</td><td>{s.DiskFlushes.Stalls}</td></tr>"));
            }
            html.Append("</table>");
            if (r.SustainableRate is { } rate) html.Append(F($"<p>Sustainable rate within the bounds: <strong>{rate:F0} req/s</strong>.</p>"));
        }

        html.Append("<h2>Processes</h2><table><tr><th>process</th><th>CPU avg</th><th>CPU max</th><th>RSS avg MiB</th><th>RSS max MiB</th></tr>");
        foreach (var p in r.Processes)
        {
            html.Append(F($"<tr><td>{Enc(p.Process)}</td><td>{p.AverageCpuShare:P1}</td><td>{p.MaxCpuShare:P1}</td><td>{p.AverageRssMiB:F0}</td><td>{p.MaxRssMiB:F0}</td></tr>"));
        }
        html.Append(F($"</table><p>All services together: {r.ServicesTotalRssMiB:F0} MiB RSS at most; {r.ServicesTotalPssMiB:F0} MiB PSS, which counts the pages they share (the .NET framework) once. The generator used {r.GeneratorCpuShare:P1} of the machine's CPU.</p>"));
        html.Append("</body></html>");
        return html.ToString();
    }

    private static string LineChart(IReadOnlyList<double> xs, IReadOnlyList<(string Name, string Color, List<double> Ys)> series)
    {
        const int width = 900, height = 260, left = 60, bottom = 30, top = 20, right = 20;
        if (xs.Count == 0) return "<p>No data.</p>";
        var maxX = Math.Max(1, xs.Max());
        var maxY = Math.Max(1, series.SelectMany(s => s.Ys).DefaultIfEmpty(1).Max());
        double X(double x) => left + x / maxX * (width - left - right);
        double Y(double y) => height - bottom - y / maxY * (height - bottom - top);
        var svg = new StringBuilder(F($"<svg width=\"{width}\" height=\"{height}\" role=\"img\">"));
        for (var i = 0; i <= 4; i++)
        {
            var value = maxY * i / 4;
            svg.Append(F($"<line x1=\"{left}\" x2=\"{width - right}\" y1=\"{Y(value):F1}\" y2=\"{Y(value):F1}\" stroke=\"#e5e5e5\"/><text x=\"{left - 6}\" y=\"{Y(value) + 4:F1}\" font-size=\"11\" text-anchor=\"end\">{value:G4}</text>"));
        }
        svg.Append(F($"<text x=\"{width - right}\" y=\"{height - 8}\" font-size=\"11\" text-anchor=\"end\">seconds (0–{maxX:F0})</text>"));
        var legendX = left + 10;
        foreach (var (name, color, ys) in series)
        {
            var points = string.Join(' ', xs.Zip(ys).Select(p => F($"{X(p.First):F1},{Y(p.Second):F1}")));
            svg.Append(F($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\" points=\"{points}\"/>"));
            svg.Append(F($"<rect x=\"{legendX}\" y=\"{top - 12}\" width=\"10\" height=\"10\" fill=\"{color}\"/><text x=\"{legendX + 14}\" y=\"{top - 3}\" font-size=\"12\">{Enc(name)}</text>"));
            legendX += 110;
        }
        return svg.Append("</svg>").ToString();
    }

    private static string Enc(string text) => WebUtility.HtmlEncode(text);
}
