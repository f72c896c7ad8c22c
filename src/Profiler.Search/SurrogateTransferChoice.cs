using Profiler.Core;
using Profiler.CostModel.Surrogate;
using Profiler.Profiles;

namespace Profiler.Search;

/// <summary>
/// What <c>predict</c> and <c>search</c> do with a surrogate on this machine: with a reference suite in it, run the
/// suite here once and compare; where they disagree beyond their intervals, say so in one line and transfer it
/// (<see cref="SurrogateTransfer"/>), or refuse under --strict. Without a suite, one note and the file as it is.
/// </summary>
/// <param name="Surrogate">The surrogate to predict with: transferred or as loaded.</param>
/// <param name="Comparison">The comparison with this machine; null when none was made.</param>
/// <param name="Line">The one line to say ("note: …" or "warning: …"), or null when there is nothing to say.</param>
public sealed record SurrogateTransferChoice(LatencySurrogate Surrogate, ReferenceComparison? Comparison, string? Line)
{
    /// <summary>
    /// Decides and returns the surrogate to use with its line; prints nothing, so that a command can say it once its
    /// own input has been checked (an error stays one line).
    /// </summary>
    /// <exception cref="InputException">--strict and the suites disagree, or both --strict and --no-transfer.</exception>
    public static SurrogateTransferChoice Make(LatencySurrogate surrogate, bool noTransfer, bool strict)
    {
        if (noTransfer && strict) throw new InputException("--no-transfer and --strict contradict each other; give one");
        if (noTransfer) return new(surrogate, null, null);
        var thereSuite = surrogate.ReferenceSuite;
        if (thereSuite is null)
        {
            return new(surrogate, null,
                "note: the surrogate's profile has no reference suite (stale), so nothing checks that it describes this machine; it is used as it is (re-profile and refit to add one)");
        }
        var comparison = ReferenceHere.Measure(surrogate.Document.Profile.Fingerprint, thereSuite).Comparison;
        var factors = comparison.Call is { } call && comparison.Compute is { } compute ? $"per call {call}, compute {compute}" : null;
        switch (comparison.Verdict)
        {
            case Applicability.AppliesAsIs:
                return new(surrogate, comparison, null);
            case Applicability.Stale:
                return new(surrogate, comparison, $"note: {comparison.Reason}; the surrogate is used as it is");
            case Applicability.CannotTell when !strict:
                return new(surrogate, comparison, $"warning: whether the surrogate describes this machine: {comparison.Reason}; it is used as it is, untransferred");
            case Applicability.AppliesAfterTransfer when !strict:
                return new(SurrogateTransfer.Apply(surrogate, TransferFactors.From(comparison)), comparison,
                    $"note: this machine runs at other speeds than the surrogate's ({factors}): its predictions are transferred (--no-transfer keeps them as they are, --strict refuses)");
            case Applicability.DoesNotApply when !strict && factors is not null:
                return new(SurrogateTransfer.Apply(surrogate, TransferFactors.From(comparison)), comparison,
                    $"warning: the surrogate {comparison.Reason}; its predictions are transferred by the reference factors anyway ({factors}; --strict refuses)");
            case Applicability.DoesNotApply when !strict:
                return new(surrogate, comparison, $"warning: the surrogate {comparison.Reason}; it is used as it is (--strict refuses)");
            default:
                throw new InputException($"--strict: the surrogate {(comparison.Verdict == Applicability.AppliesAfterTransfer ? "does not describe this machine as it is" : "does not apply here")}: {comparison.Reason}");
        }
    }

    /// <summary>What to say, a line each: the line, and a caution per factor too uncertain to trust.</summary>
    public IReadOnlyList<string> Lines =>
        [.. Line is null ? [] : new[] { PrintableText.Line(Line) }, .. (Comparison?.Cautions ?? []).Select(c => $"note: {PrintableText.Line(c)}")];

    /// <summary>The transfer as JSON fields: verdict, reason, factors (null when not transferred) and the line.</summary>
    public object Json() => new
    {
        verdict = Comparison?.Verdict.Slug(),
        reason = Comparison?.Reason,
        perCall = Surrogate.Transfer?.PerCall,
        work = Surrogate.Transfer?.Work,
        line = Line,
    };
}
