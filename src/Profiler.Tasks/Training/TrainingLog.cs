using System.Globalization;
using System.Text;
using Profiler.Core;
using Profiler.Tasks.Data;

namespace Profiler.Tasks.Training;

/// <summary>
/// The accuracy-over-time table of a training run, one row per validation, kept as CSV in the run folder and
/// rewritten atomically with each row (a stopped run never leaves half a line).
/// </summary>
public sealed class TrainingLog
{
    private readonly string path;
    private readonly List<string> rows = [];

    /// <summary>The header: step, questions, seconds, learning rate, training loss, then validation accuracies.</summary>
    public static string Header { get; } =
        "step,questions,seconds,learningRate,trainLoss,trainAccuracy,validationAccuracy," +
        string.Join(",", QuestionTypes.All.Select(t => t.Name()));

    /// <summary>Opens the log at <paramref name="path"/>, keeping the rows already there.</summary>
    public TrainingLog(string path)
    {
        this.path = path;
        if (File.Exists(path)) rows.AddRange(File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0));
    }

    /// <summary>Drops rows past <paramref name="step"/> (written after the state a resumed run starts from).</summary>
    public void TruncateAfter(long step) =>
        rows.RemoveAll(r => long.Parse(r.Split(',')[0], CultureInfo.InvariantCulture) > step);

    /// <summary>Appends one validation and rewrites the file.</summary>
    public void Add(long step, long questions, double seconds, double learningRate, double trainLoss, double trainAccuracy, AccuracyReport validation)
    {
        var row = new StringBuilder();
        row.Append(CultureInfo.InvariantCulture, $"{step},{questions},{seconds:F1},{learningRate:G4},{trainLoss:F4},{trainAccuracy:F4},{validation.Accuracy:F4}");
        foreach (var t in QuestionTypes.All) row.Append(CultureInfo.InvariantCulture, $",{validation.PerType[t]:F4}");
        rows.Add(row.ToString());
        AtomicFile.Write(path, Encoding.UTF8.GetBytes(Header + "\n" + string.Join("\n", rows) + "\n"));
    }
}
