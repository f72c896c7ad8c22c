using Profiler.Tasks.Data;

namespace Profiler.Tasks.Training;

/// <summary>Accuracy overall and per question type (fractions), over <see cref="Count"/> questions.</summary>
public sealed record AccuracyReport(double Accuracy, IReadOnlyDictionary<QuestionType, double> PerType, int Count)
{
    /// <summary>The share of questions of each type that its most frequent answer would get right (1/answers, by construction).</summary>
    public static double MajorityBaseline(QuestionType type) => 1.0 / type.Answers().Count;
}

/// <summary>Counts right answers overall and per type as batches come in.</summary>
public sealed class AccuracyTally
{
    private readonly int[] right = new int[QuestionTypes.All.Count];
    private readonly int[] total = new int[QuestionTypes.All.Count];

    /// <summary>Adds one batch: the predicted and true answers with each question's type.</summary>
    public void Add(IReadOnlyList<long> predicted, IReadOnlyList<long> answers, IReadOnlyList<QuestionType> types)
    {
        for (int i = 0; i < types.Count; i++)
        {
            total[(int)types[i]]++;
            if (predicted[i] == answers[i]) right[(int)types[i]]++;
        }
    }

    /// <summary>Questions counted so far.</summary>
    public int Count => total.Sum();

    /// <summary>The accuracies so far (a type with no questions reads 0).</summary>
    public AccuracyReport Report()
    {
        var perType = QuestionTypes.All.ToDictionary(t => t, t => total[(int)t] == 0 ? 0 : (double)right[(int)t] / total[(int)t]);
        int count = Count;
        return new AccuracyReport(count == 0 ? 0 : (double)right.Sum() / count, perType, count);
    }
}
