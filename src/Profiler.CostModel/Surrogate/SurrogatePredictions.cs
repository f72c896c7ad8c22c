using System.Globalization;
using Profiler.Core;
using Profiler.CostModel.Models;

namespace Profiler.CostModel.Surrogate;

/// <summary>
/// Whether a surrogate model's predictions are latencies over the range it was profiled on: at every profiled shape,
/// along tokens in from its smallest to its largest profiled count (and, for reductions, at several keep counts),
/// both the fitted form (trees hard) and the surrogate's soft form must be finite and lie between
/// <see cref="Shortest"/> and <see cref="Longest"/>. A file whose bias or leaves were edited so that a prediction is
/// negative, zero or infinite fails here instead of reaching a search as a nonsense cost or a zero gradient.
/// </summary>
public static class SurrogatePredictions
{
    /// <summary>The shortest prediction accepted: one nanosecond.</summary>
    public static readonly Latency Shortest = Latency.FromMicroseconds(1e-3);

    /// <summary>The longest prediction accepted: one hour for one operator call.</summary>
    public static readonly Latency Longest = Latency.FromMicroseconds(3.6e9);

    /// <summary>Points along tokens in at which a model is evaluated.</summary>
    public const int Points = 33;

    private static readonly double[] KeepFractions = [0, 0.25, 0.5, 0.75, 1];

    /// <summary>The first prediction of <paramref name="model"/> that is not a latency, as a message; null when all are.</summary>
    public static string? FindProblem(SurrogateModel model) => FindProblem(model.CostModel, model.Key, model.Shapes, model.MinTokens, model.MaxTokens);

    /// <summary>
    /// The first prediction of <paramref name="costModel"/> for <paramref name="key"/> at <paramref name="shapes"/>, from
    /// <paramref name="minTokens"/> to <paramref name="maxTokens"/> tokens in, that is not a latency; null when all are.
    /// The fitter asks it of every candidate regressor, so that it never chooses one its own file would refuse.
    /// </summary>
    public static string? FindProblem(OperatorCostModel costModel, ModelKey key, IEnumerable<ProfiledShape> shapes, int minTokens, int maxTokens)
    {
        foreach (var profiled in shapes)
        {
            var shape = new CaseShape(key, profiled.Hidden, profiled.Heads, profiled.MlpSize, profiled.Batch, profiled.DType);
            for (int i = 0; i < Points; i++)
            {
                int n = minTokens + (int)Math.Round((double)(maxTokens - minTokens) * i / (Points - 1));
                foreach (int k in KeepCounts(shape, n))
                {
                    double hard, soft;
                    try
                    {
                        hard = costModel.PredictUs(shape.At(n, k));
                        soft = costModel.PredictSoftUs(shape, n, k);
                    }
                    catch (Exception e) when (e is ArithmeticException or ArgumentException or InvalidOperationException or IndexOutOfRangeException)
                    {
                        return $"cannot be evaluated at {Where(shape, n, k)} ({e.Message.ReplaceLineEndings(" ")})";
                    }
                    if (!IsLatency(hard)) return $"predicts {Text(hard)} µs at {Where(shape, n, k)}, which is not a latency";
                    if (!IsLatency(soft)) return $"its soft form predicts {Text(soft)} µs at {Where(shape, n, k)}, which is not a latency";
                }
            }
        }
        return null;
    }

    private static bool IsLatency(double us) => double.IsFinite(us) && us >= Shortest.Microseconds && us <= Longest.Microseconds;

    private static IEnumerable<int> KeepCounts(CaseShape shape, int n) => shape.IsReduction
        ? KeepFractions.Select(f => Math.Clamp((int)Math.Round(f * n), 1, n)).Distinct()
        : [n];

    private static string Where(CaseShape shape, int n, int k) => shape.IsReduction ? $"{n} → {k} tokens, {shape.Sizes}" : $"{n} tokens, {shape.Sizes}";

    private static string Text(double us) => us.ToString("G4", CultureInfo.InvariantCulture);
}
