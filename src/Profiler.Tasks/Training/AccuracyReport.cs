using Profiler.Core;
using Profiler.Tasks.Data;

namespace Profiler.Tasks.Training;

/// <summary>Accuracy overall and per question type (fractions), over <see cref="Count"/> questions.</summary>
/// <param name="Accuracy">Share of questions answered right.</param>
/// <param name="PerType">The same per question type.</param>
/// <param name="Count">Questions asked.</param>
/// <param name="Correct">Right or wrong per question, in the order asked: what pairs two methods on the same questions.</param>
public sealed record AccuracyReport(double Accuracy, IReadOnlyDictionary<QuestionType, double> PerType, int Count, IReadOnlyList<bool> Correct)
{
    /// <summary>This accuracy minus <paramref name="other"/>'s on the same questions, in points, with its paired interval.</summary>
    public PairedDifference Minus(AccuracyReport other) => PairedDifference.Of(Correct, other.Correct);

    /// <summary>The share of questions of each type that its most frequent answer would get right (1/answers, by construction).</summary>
    public static double MajorityBaseline(QuestionType type) => 1.0 / type.Answers().Count;
}

/// <summary>Counts right answers overall and per type as batches come in.</summary>
public sealed class AccuracyTally
{
    private readonly int[] right = new int[QuestionTypes.All.Count];
    private readonly int[] total = new int[QuestionTypes.All.Count];
    private readonly List<bool> correct = [];

    /// <summary>Adds one batch: the predicted and true answers with each question's type.</summary>
    public void Add(IReadOnlyList<long> predicted, IReadOnlyList<long> answers, IReadOnlyList<QuestionType> types)
    {
        for (int i = 0; i < types.Count; i++)
        {
            total[(int)types[i]]++;
            bool isRight = predicted[i] == answers[i];
            if (isRight) right[(int)types[i]]++;
            correct.Add(isRight);
        }
    }

    /// <summary>Questions counted so far.</summary>
    public int Count => total.Sum();

    /// <summary>The accuracies so far (a type with no questions reads 0).</summary>
    public AccuracyReport Report()
    {
        var perType = QuestionTypes.All.ToDictionary(t => t, t => total[(int)t] == 0 ? 0 : (double)right[(int)t] / total[(int)t]);
        int count = Count;
        return new AccuracyReport(count == 0 ? 0 : (double)right.Sum() / count, perType, count, correct.ToArray());
    }
}
