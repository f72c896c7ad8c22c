namespace Profiler.Tasks.Data;

/// <summary>A named colour and its RGB value in [0, 1].</summary>
public readonly record struct Colour(string Name, float Red, float Green, float Blue);

/// <summary>
/// The words of questions and the answers. A question is two words: its type, then a colour. Word ids: question
/// types 0…5, colours 6…11. Answer ids: circle, square, left, right, top, bottom, then the counts 1…6.
/// </summary>
public static class Vocabulary
{
    /// <summary>The scene colours, one object each.</summary>
    public static IReadOnlyList<Colour> Colours { get; } =
    [
        new("red", 1f, 0f, 0f), new("green", 0f, 1f, 0f), new("blue", 0f, 0f, 1f),
        new("orange", 1f, 0.5f, 0f), new("gray", 0.5f, 0.5f, 0.5f), new("yellow", 1f, 1f, 0f),
    ];

    /// <summary>Words a question is made of: the question types, then the colours.</summary>
    public static int WordCount => QuestionTypes.All.Count + Colours.Count;

    /// <summary>Words per question.</summary>
    public const int QuestionLength = 2;

    /// <summary>The word id of a colour.</summary>
    public static int ColourWord(int colour) => QuestionTypes.All.Count + colour;

    /// <summary>Answer names, indexed by answer id.</summary>
    public static IReadOnlyList<string> Answers { get; } =
        ["circle", "square", "left", "right", "top", "bottom", "1", "2", "3", "4", "5", "6"];

    /// <summary>The answer id of a shape.</summary>
    public static int ShapeAnswer(Shape shape) => (int)shape;

    /// <summary>Answer ids of "left" and "right".</summary>
    public const int Left = 2, Right = 3;

    /// <summary>Answer ids of "top" and "bottom".</summary>
    public const int Top = 4, Bottom = 5;

    /// <summary>The answer id of a count 1…6.</summary>
    public static int CountAnswer(int count) => 5 + count;
}
