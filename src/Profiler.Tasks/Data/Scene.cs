namespace Profiler.Tasks.Data;

/// <summary>An object's shape.</summary>
public enum Shape
{
    /// <summary>A filled disc.</summary>
    Circle,
    /// <summary>A filled square covering its whole cell.</summary>
    Square,
}

/// <summary>One object of a scene: its colour (index into <see cref="Vocabulary.Colours"/>), shape and grid cell.</summary>
public readonly record struct SceneObject(int Colour, Shape Shape, int Row, int Col);

/// <summary>
/// A scene graph: objects of distinct colours, each in its own cell of a <see cref="Side"/>×<see cref="Side"/> grid.
/// Answers are computed from this graph, never from pixels.
/// </summary>
public sealed record Scene(IReadOnlyList<SceneObject> Objects)
{
    /// <summary>Cells per side of the scene grid; one cell is one image patch.</summary>
    public const int Side = 12;

    /// <summary>The object of colour <paramref name="colour"/>; a scene holds each colour at most once.</summary>
    public SceneObject Of(int colour)
    {
        foreach (var o in Objects)
        {
            if (o.Colour == colour) return o;
        }
        throw new ArgumentException($"the scene has no {Vocabulary.Colours[colour].Name} object");
    }

    /// <summary>Squared distance between two objects' cells, in cells².</summary>
    public static int DistanceSquared(SceneObject a, SceneObject b) =>
        (a.Row - b.Row) * (a.Row - b.Row) + (a.Col - b.Col) * (a.Col - b.Col);
}
