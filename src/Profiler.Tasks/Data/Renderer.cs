namespace Profiler.Tasks.Data;

/// <summary>
/// Draws a scene as pixels: a 72×72 RGB image on black, each object filling its 6×6 cell (a square) or a disc of
/// radius 2.6 px inside it (a circle: the corners stay black). One cell is one patch, so the image is returned as
/// patches: 144 rows (raster order) of 6·6·3 values (pixel rows, pixel columns, RGB).
/// </summary>
public static class Renderer
{
    /// <summary>Pixels per cell side.</summary>
    public const int PatchSide = 6;

    /// <summary>Values per patch.</summary>
    public const int PatchValues = PatchSide * PatchSide * 3;

    /// <summary>Patches per image.</summary>
    public const int Patches = Scene.Side * Scene.Side;

    private const double Radius = 2.6;

    /// <summary>The scene's patches, written into <paramref name="destination"/> (length 144·108, zero where empty).</summary>
    public static void Patchify(Scene scene, Span<float> destination)
    {
        if (destination.Length != Patches * PatchValues)
            throw new ArgumentException($"the destination must hold {Patches * PatchValues} values, not {destination.Length}");
        destination.Clear();
        foreach (var o in scene.Objects)
        {
            var colour = Vocabulary.Colours[o.Colour];
            var patch = destination.Slice((o.Row * Scene.Side + o.Col) * PatchValues, PatchValues);
            for (int y = 0; y < PatchSide; y++)
            {
                for (int x = 0; x < PatchSide; x++)
                {
                    if (!Covers(o.Shape, x, y)) continue;
                    int at = (y * PatchSide + x) * 3;
                    patch[at] = colour.Red;
                    patch[at + 1] = colour.Green;
                    patch[at + 2] = colour.Blue;
                }
            }
        }
    }

    /// <summary>Whether pixel (x, y) of a cell belongs to the shape.</summary>
    public static bool Covers(Shape shape, int x, int y)
    {
        if (shape == Shape.Square) return true;
        double dx = x + 0.5 - PatchSide / 2.0, dy = y + 0.5 - PatchSide / 2.0;
        return dx * dx + dy * dy <= Radius * Radius;
    }
}
