using Profiler.Core;
using Profiler.CostModel.Surrogate;
using Profiler.Profiles;

namespace Profiler.Cli.Commands;

/// <summary>
/// What <c>predict</c> and <c>search</c> do with a surrogate on this machine: with a reference suite in it, run the
/// suite here once and compare; where they disagree beyond their intervals, say so in one line and transfer it
/// (<see cref="SurrogateTransfer"/>), or refuse under --strict. Without a suite, one note and the file as it is.
/// </summary>
/// <param name="Surrogate">The surrogate to predict with: transferred or as loaded.</param>
/// <param name="Comparison">The comparison with this machine; null when none was made.</param>
/// <param name="Line">What was said on stderr, or null.</param>
internal sealed record SurrogateTransferChoice(LatencySurrogate Surrogate, ReferenceComparison? Comparison, string? Line)
{
    /// <summary>Decides, prints its one line (if any) on stderr, and returns the surrogate to use.</summary>
    /// <exception cref="InputException">--strict and the suites disagree, or both --strict and --no-transfer.</exception>
    public static SurrogateTransferChoice Make(LatencySurrogate surrogate, bool noTransfer, bool strict)
    {
        if (noTransfer && strict) throw new InputException("--no-transfer and --strict contradict each other; give one");
        if (noTransfer) return new(surrogate, null, null);
        var thereSuite = surrogate.ReferenceSuite;
        if (thereSuite is null)
        {
            return Say(new(surrogate, null,
                "note: the surrogate's profile has no reference suite (stale), so nothing checks that it describes this machine; it is used as it is (re-profile and refit to add one)"));
        }
        Console.Error.WriteLine("running the reference suite here to check the surrogate against this machine…");
        var comparison = ReferenceHere.Measure(surrogate.Document.Profile.Fingerprint, thereSuite).Comparison;
        var factors = comparison.Call is { } call && comparison.Compute is { } compute ? $"per call {call}, compute {compute}" : null;
        foreach (var caution in comparison.Cautions) Console.Error.WriteLine($"note: {caution}");
        switch (comparison.Verdict)
        {
            case Applicability.AppliesAsIs:
                return new(surrogate, comparison, null);
            case Applicability.Stale:
                return Say(new(surrogate, comparison, $"note: {comparison.Reason}; the surrogate is used as it is"));
            case Applicability.AppliesAfterTransfer when !strict:
                return Say(new(SurrogateTransfer.Apply(surrogate, TransferFactors.From(comparison)), comparison,
                    $"note: this machine runs at other speeds than the surrogate's ({factors}): its predictions are transferred (--no-transfer keeps them as they are, --strict refuses)"));
            case Applicability.DoesNotApply when !strict && factors is not null:
                return Say(new(SurrogateTransfer.Apply(surrogate, TransferFactors.From(comparison)), comparison,
                    $"warning: the surrogate {comparison.Reason}; its predictions are transferred by the reference factors anyway ({factors}; --strict refuses)"));
            case Applicability.DoesNotApply when !strict:
                return Say(new(surrogate, comparison, $"warning: the surrogate {comparison.Reason}; it is used as it is (--strict refuses)"));
            default:
                throw new InputException($"--strict: the surrogate {(comparison.Verdict == Applicability.AppliesAfterTransfer ? "does not describe this machine as it is" : "does not apply here")}: {comparison.Reason}");
        }
    }

    /// <summary>The transfer as JSON fields: verdict, reason and factors (null factors when not transferred).</summary>
    public object Json() => new
    {
        verdict = Comparison?.Verdict.Slug(),
        reason = Comparison?.Reason,
        perCall = Surrogate.Transfer?.PerCall,
        work = Surrogate.Transfer?.Work,
    };

    private static SurrogateTransferChoice Say(SurrogateTransferChoice choice)
    {
        Console.Error.WriteLine(PrintableText.Line(choice.Line!));
        return choice;
    }
}
