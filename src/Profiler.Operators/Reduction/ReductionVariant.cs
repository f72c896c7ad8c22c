using Profiler.Core;

namespace Profiler.Operators.Reduction;

/// <summary>
/// What an operator case's <see cref="OperatorCase.Variant"/> says about a score or reduction. Grammar:
/// <c>[aligned][:]&lt;score&gt;</c>, i.e. "", "norm", "cls", "last-text", "aligned", "aligned:norm", ….
/// <list type="bullet">
/// <item>score: the score to compute ("norm", "cls", "last-text"); required.</item>
/// <item>prune, reweight: the score the tokens are ranked by; empty when it does not matter.</item>
/// <item>pool, merge: empty for the published stand-alone operator.</item>
/// <item>"aligned" (any reduction): the aligned anchor of O(α) instead of the stand-alone operator, optionally
/// with its score after a colon.</item>
/// </list>
/// A reduction's own cost never includes its score: count the score case beside it.
/// </summary>
/// <param name="Score">The named score, or null.</param>
/// <param name="Aligned">True for the aligned anchor.</param>
public readonly record struct ReductionVariant(ScoreKind? Score, bool Aligned)
{
    /// <summary>The variant of the aligned anchor, "aligned".</summary>
    public const string AlignedWord = "aligned";

    /// <summary>Parses a variant; malformed text is an <see cref="InputException"/>.</summary>
    public static ReductionVariant Parse(string variant)
    {
        var text = variant.Trim();
        bool aligned = text.StartsWith(AlignedWord, StringComparison.OrdinalIgnoreCase);
        if (aligned)
        {
            text = text[AlignedWord.Length..];
            if (text.Length > 0 && text[0] != ':')
                throw new InputException($"variant '{variant}': write aligned:<score>");
            text = text.TrimStart(':');
        }
        return new ReductionVariant(text.Length == 0 ? null : ScoreKinds.Parse(text), aligned);
    }

    /// <summary>The canonical text, which <see cref="Parse"/> reads back.</summary>
    public override string ToString()
    {
        var score = Score?.Name() ?? "";
        if (!Aligned) return score;
        return score.Length == 0 ? AlignedWord : AlignedWord + ":" + score;
    }
}
