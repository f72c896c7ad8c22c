using System.Globalization;
using Profiler.Tasks.Data;
using Profiler.Tasks.Training;
using Spectre.Console;

namespace Profiler.Reports;

/// <summary>Accuracy per question type beside its majority-answer baseline, as a table.</summary>
public static class AccuracyTable
{
    public static Table Of(string title, AccuracyReport report)
    {
        var table = new Table().Title(TerminalText.Escape($"{title}: {report.Count} questions"))
            .AddColumn("question type").AddColumn(new TableColumn("accuracy").RightAligned())
            .AddColumn(new TableColumn("majority baseline").RightAligned()).AddColumn(new TableColumn("above baseline").RightAligned());
        foreach (var type in QuestionTypes.All)
        {
            double accuracy = report.PerType[type], baseline = AccuracyReport.MajorityBaseline(type);
            table.AddRow(type.Name(), Percent(accuracy), Percent(baseline), Points(accuracy - baseline));
        }
        table.AddRow("[bold]overall[/]", $"[bold]{Percent(report.Accuracy)}[/]", "", "");
        return table;
    }

    private static string Percent(double fraction) => fraction.ToString("P1", CultureInfo.InvariantCulture);

    private static string Points(double difference) => (100 * difference).ToString("+0.0;-0.0", CultureInfo.InvariantCulture) + " pt";
}

/// <summary>The JSON form of an accuracy report: fractions, per type by name.</summary>
public static class AccuracyJson
{
    public static object Of(AccuracyReport report) => new
    {
        accuracy = report.Accuracy,
        perType = QuestionTypes.All.ToDictionary(t => t.Name(), t => report.PerType[t]),
        count = report.Count,
    };
}
