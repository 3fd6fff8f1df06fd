using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Shop.Benchmarks.Infrastructure;
using Shop.Benchmarks.Mix;
using Shop.Benchmarks.Processes;

namespace Shop.Benchmarks.Perf;

/// <summary>The performance table as text (console), perf.json and a self-contained perf.html.</summary>
public static class PerfWriter
{
    private static readonly JsonSerializerOptions Json = new(ReportWriter.Json)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Writes perf.json and perf.html into the directory and prints the table with their paths.</summary>
    public static Task WriteAsync(PerfReport report, string directory, TextWriter output) =>
        BenchCommand.WriteReportAsync(output, directory, "perf", JsonSerializer.Serialize(report, Json), Html(report), Table(report));

    public static string Table(PerfReport report)
    {
        var text = new StringBuilder();
        text.AppendLine($"Performance table ({report.Mode})");
        text.AppendLine($"{"figure",-62} {"target",-36} {"verdict",-7} measured");
        foreach (var row in report.Rows)
        {
            text.AppendLine($"{row.Figure,-62} {row.Target,-36} {VerdictText(row.Verdict),-7} {row.Measured}");
        }
        foreach (var row in report.Rows.Where(r => r.Cpu is not null))
        {
            text.AppendLine();
            text.Append(Breakdown(row.Figure, row.Cpu!));
        }
        if (report.SpanBreakdown.Count > 0)
        {
            text.AppendLine();
            foreach (var line in report.SpanBreakdown) text.AppendLine(line);
        }
        foreach (var note in report.Rows.Where(r => r.Note is not null)) text.AppendLine($"note ({note.Figure}): {note.Note}");
        foreach (var note in report.Notes) text.AppendLine($"note: {note}");
        return text.ToString();
    }

    /// <summary>Where the CPU of one row went: per role, per operation, in cores, with memory at the window's end.</summary>
    public static string Breakdown(string title, CpuBreakdown cpu)
    {
        var text = new StringBuilder();
        var perOp = cpu.Operations > 0;
        text.AppendLine(F($"CPU of {title}: {cpu.Seconds:F1} s window{Counted(cpu)}"));
        text.AppendLine(F($"  {"process",-26} {"n",3} {(perOp ? "ms/op" : ""),9} {"cores",7} {"RSS MiB",8} {"PSS MiB",8}"));
        foreach (var r in cpu.Roles)
        {
            text.AppendLine(F($"  {r.Role,-26} {(r.Processes > 0 ? r.Processes.ToString(CultureInfo.InvariantCulture) : ""),3} {(perOp ? r.MsPerOperation.ToString("F3", CultureInfo.InvariantCulture) : ""),9} {r.Cores,7:F3} {r.RssMiB,8:F0} {r.PssMiB,8:F0}"));
        }
        text.AppendLine(F($"  {"total",-26} {"",3} {(perOp ? cpu.TotalMsPerOperation.ToString("F3", CultureInfo.InvariantCulture) : ""),9} {cpu.TotalCores,7:F3} {cpu.Roles.Sum(r => r.RssMiB),8:F0} {cpu.Roles.Sum(r => r.PssMiB),8:F0}"));
        if (perOp) text.AppendLine(F($"  {"total without the generator",-30} {cpu.SystemMsPerOperation,9:F3}"));
        return text.ToString();
    }

    /// <summary>", 5050 × order (create + pay)"; nothing for a window without operations (the idle row).</summary>
    private static string Counted(CpuBreakdown cpu) => cpu.Operations > 0 ? F($", {cpu.Operations} × {cpu.OperationName}") : "";

    private static string VerdictText(Verdict verdict) => verdict switch
    {
        Verdict.Pass => "pass",
        Verdict.Fail => "FAIL",
        _ => "n/a",
    };

    private static string Html(PerfReport report)
    {
        var html = new StringBuilder("""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop performance table</title>
            <style>body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;margin:1rem 0}
            td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}
            .FAIL{color:#b00020;font-weight:bold}.pass{color:#1b7f3b;font-weight:bold}</style></head><body>
            """);
        html.Append(F($"<h1>Shop performance table</h1><p>{Enc(report.Mode)}, started {report.StartedAt:u}.</p>"));
        html.Append("<table><tr><th>figure</th><th>target</th><th>verdict</th><th>measured</th></tr>");
        foreach (var row in report.Rows)
        {
            var verdict = VerdictText(row.Verdict);
            html.Append($"<tr><td>{Enc(row.Figure)}</td><td>{Enc(row.Target)}</td><td class=\"{verdict}\">{verdict}</td><td style=\"text-align:left\">{Enc(row.Measured)}</td></tr>");
        }
        html.Append("</table>");
        foreach (var row in report.Rows.Where(r => r.Cpu is not null))
        {
            var cpu = row.Cpu!;
            html.Append(F($"<h2>{Enc(row.Figure)}</h2><p>{cpu.Seconds:F1} s window{Enc(Counted(cpu))}.</p>"));
            html.Append("<table><tr><th>process</th><th>n</th><th>CPU ms per operation</th><th>cores</th><th>RSS MiB</th><th>PSS MiB</th></tr>");
            foreach (var r in cpu.Roles)
            {
                html.Append(F($"<tr><td>{Enc(r.Role)}</td><td>{r.Processes}</td><td>{r.MsPerOperation:F3}</td><td>{r.Cores:F3}</td><td>{r.RssMiB:F0}</td><td>{r.PssMiB:F0}</td></tr>"));
            }
            html.Append(F($"<tr><th>total</th><th></th><th>{cpu.TotalMsPerOperation:F3} (without the generator {cpu.SystemMsPerOperation:F3})</th><th>{cpu.TotalCores:F3}</th><th></th><th></th></tr></table>"));
        }
        if (report.SpanBreakdown.Count > 0) html.Append($"<h2>Spans of idle orders</h2><pre>{Enc(string.Join('\n', report.SpanBreakdown))}</pre>");
        foreach (var row in report.Rows.Where(r => r.Note is not null)) html.Append($"<p><em>{Enc(row.Figure)}: {Enc(row.Note!)}</em></p>");
        foreach (var note in report.Notes) html.Append($"<p><em>{Enc(note)}</em></p>");
        return html.Append("</body></html>").ToString();
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Enc(string text) => WebUtility.HtmlEncode(text);
}
