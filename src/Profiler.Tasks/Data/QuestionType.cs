using Profiler.Core;

namespace Profiler.Tasks.Data;

/// <summary>What a question asks about the object of the named colour.</summary>
public enum QuestionType
{
    /// <summary>Its shape (non-relational).</summary>
    Shape,
    /// <summary>Whether it is in the left or the right half (non-relational).</summary>
    LeftRight,
    /// <summary>Whether it is in the top or the bottom half (non-relational).</summary>
    TopBottom,
    /// <summary>The shape of the object nearest to it (relational).</summary>
    Nearest,
    /// <summary>The shape of the object furthest from it (relational).</summary>
    Furthest,
    /// <summary>How many objects share its shape, itself included (relational, counting).</summary>
    Count,
}

/// <summary>Names and answer sets of the question types.</summary>
public static class QuestionTypes
{
    /// <summary>Every type, in id order.</summary>
    public static IReadOnlyList<QuestionType> All { get; } = Enum.GetValues<QuestionType>();

    /// <summary>The name used in reports and JSON: shape, left-right, top-bottom, nearest, furthest, count.</summary>
    public static string Name(this QuestionType type) => type switch
    {
        QuestionType.Shape => "shape",
        QuestionType.LeftRight => "left-right",
        QuestionType.TopBottom => "top-bottom",
        QuestionType.Nearest => "nearest",
        QuestionType.Furthest => "furthest",
        QuestionType.Count => "count",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The answer ids a question of this type can have; the generator draws them uniformly.</summary>
    public static IReadOnlyList<int> Answers(this QuestionType type) => type switch
    {
        QuestionType.Shape or QuestionType.Nearest or QuestionType.Furthest => [0, 1],
        QuestionType.LeftRight => [Vocabulary.Left, Vocabulary.Right],
        QuestionType.TopBottom => [Vocabulary.Top, Vocabulary.Bottom],
        QuestionType.Count => [6, 7, 8, 9, 10, 11],
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Parses a type name; an unknown one is an <see cref="InputException"/>.</summary>
    public static QuestionType Parse(string name) =>
        All.Cast<QuestionType?>().FirstOrDefault(t => string.Equals(t!.Value.Name(), name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new InputException($"unknown question type '{name}' (known: {string.Join(", ", All.Select(t => t.Name()))})");
}
