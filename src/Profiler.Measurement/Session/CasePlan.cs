using Profiler.Core;

namespace Profiler.Measurement.Session;

/// <summary>
/// Turns operators × token counts × a shape into the list of cases a run measures. Reductions are measured at
/// each retention ratio as the published operator and, when asked, as its aligned anchor of O(α); scores in each kind;
/// attention also in the unfused form that returns its probabilities (what a CLS or last-text score forces).
/// </summary>
public static class CasePlan
{
    /// <summary>Scores a reduction can rank by.</summary>
    public static IReadOnlyList<string> Scores { get; } = ["norm", "cls", "last-text"];

    /// <summary>Forms of each reduction: the published operator, and with --aligned also the aligned anchor.</summary>
    public static IReadOnlyList<string> Variants(bool aligned) => aligned ? ["", "aligned"] : [""];

    public static IReadOnlyList<OperatorCase> Build(IReadOnlyList<OperatorKind> operators, IReadOnlyList<int> tokens,
        IReadOnlyList<int> reductionTokens, ModelShape shape, int batch, IReadOnlyList<double> keepRatios, bool aligned)
    {
        var cases = new List<OperatorCase>();
        foreach (var op in operators)
        {
            bool coarse = op.IsReduction() || op == OperatorKind.Score;
            foreach (var n in coarse ? reductionTokens : tokens)
            {
                var dense = OperatorCase.Dense(op, n, shape, batch);
                if (op == OperatorKind.Score)
                    cases.AddRange(Scores.Where(_ => n >= 2).Select(s => dense with { Variant = s }));
                else if (op.IsReduction())
                    cases.AddRange(KeepCounts(n, keepRatios).SelectMany(k => Variants(aligned).Select(v => dense with { TokensOut = k, Variant = v })));
                else
                {
                    cases.Add(dense);
                    if (op == OperatorKind.Attention) cases.Add(dense with { Variant = "weights" });
                }
            }
        }
        return cases.Select(c => c.Validated()).DistinctBy(c => c.Key).ToList();
    }

    /// <summary>Most cases one profile may plan.</summary>
    public const int MostCases = 20_000;

    /// <summary>
    /// Refuses, before anything runs, a plan of more than <see cref="MostCases"/> cases or one whose largest case would
    /// need more than half of <paramref name="memoryBytes"/>: the attention's b·h·n² scores and the MLP's b·n·m
    /// activations in float32, four times over for inputs, outputs and intermediates.
    /// </summary>
    public static void CheckSize(IReadOnlyList<OperatorCase> cases, long memoryBytes)
    {
        if (cases.Count > MostCases)
            throw new InputException($"the plan has {cases.Count} cases; at most {MostCases} (fewer token counts, operators or keep ratios)");
        if (cases.Count == 0 || memoryBytes <= 0) return;
        var largest = cases.MaxBy(Bytes)!;
        if (Bytes(largest) > memoryBytes / 2.0)
            throw new InputException($"{largest.Key} would need about {Bytes(largest) / (1L << 30):F0} GiB, more than half of this machine's {memoryBytes / (1L << 30):F0} GiB; choose fewer tokens or a smaller batch");
    }

    private static double Bytes(OperatorCase c) =>
        4.0 * 4 * c.Batch * ((double)c.Heads * c.TokensIn * c.TokensIn + (double)c.TokensIn * Math.Max(c.Hidden, c.MlpSize));

    /// <summary>Parses --keep: retention ratios in (0, 1).</summary>
    public static IReadOnlyList<double> ParseRatios(string text)
    {
        var ratios = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var r) || !(r > 0 && r < 1))
                throw new InputException($"--keep takes retention ratios between 0 and 1, got '{part}'");
            ratios.Add(r);
        }
        return ratios.Count > 0 ? ratios.Distinct().Order().ToList() : throw new InputException("--keep is empty");
    }

    private static IEnumerable<int> KeepCounts(int n, IReadOnlyList<double> ratios) =>
        ratios.Select(r => Math.Clamp((int)Math.Ceiling(r * n - 1e-9), 1, n)).Where(k => k < n).Distinct();
}
