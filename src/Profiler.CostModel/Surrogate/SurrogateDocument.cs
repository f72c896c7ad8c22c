using System.Text.Json.Serialization;
using Profiler.Core;
using Profiler.CostModel.Evaluation;
using Profiler.CostModel.Models;

namespace Profiler.CostModel.Surrogate;

/// <summary>
/// The surrogate file: versioned JSON holding each operator's chosen cost model as plain parameters (linear weights,
/// trees with their splits and leaves, the fitted temperature), the accuracy report, and the profile it was fitted
/// on (path, content hash, fingerprint). No serialised library objects: any version of this tool that knows the
/// schema can read it. Read and written by <see cref="SurrogateFile"/>.
/// </summary>
public sealed record SurrogateDocument
{
    /// <summary>The value of <see cref="Format"/>.</summary>
    public const string FormatName = "profiler-surrogate";

    /// <summary>The schema version this code writes and reads.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Always <see cref="FormatName"/>: tells a surrogate from a profile or any other JSON.</summary>
    public required string Format { get; init; }

    /// <summary>File format version.</summary>
    public required int SchemaVersion { get; init; }

    /// <summary>Version of the tool that wrote it.</summary>
    public required string ToolVersion { get; init; }

    /// <summary>When it was fitted (UTC).</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>The profile it was fitted on.</summary>
    public required SurrogateSource Profile { get; init; }

    /// <summary>One chosen model per operator (and variant).</summary>
    public required IReadOnlyList<SurrogateModel> Models { get; init; }

    /// <summary>Held-out accuracy of every regressor compared.</summary>
    public required IReadOnlyList<AccuracyRow> Accuracy { get; init; }

    /// <summary>Corrections of model-level sums, measured on the profiled machine (see <see cref="ModelCalibration"/>).</summary>
    public IReadOnlyList<ModelCalibration> ModelCalibrations { get; init; } = [];

    /// <summary>"sha256:" and the hex SHA-256 of the compact document without this field; filled in when written.</summary>
    public string ContentHash { get; init; } = "";
}

/// <summary>Where a surrogate's measurements came from.</summary>
/// <param name="Path">The profile file as given to <c>fit</c>.</param>
/// <param name="ContentHash">The profile's content hash.</param>
/// <param name="Fingerprint">The hardware and software it was measured on.</param>
/// <param name="Preset">The preset profiled.</param>
/// <param name="Cases">Cases fitted on.</param>
/// <param name="Reference">The profile's reference suite, copied at fit time: what <c>predict</c> and <c>search</c>
/// compare with the suite run on the machine at hand. Null for a surrogate of a profile without one (and for every
/// surrogate written before the field existed; it is left out of the file when null, so their hashes still hold).</param>
public sealed record SurrogateSource(string Path, string ContentHash, Fingerprint Fingerprint, string Preset, int Cases,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SurrogateReference? Reference = null);

/// <summary>
/// How much more a whole model costs than the sum of its operators as the profile timed them, measured once on the
/// profiled machine: each operator was timed alone and over and over, with its weights and activations warm in
/// cache, which a model's layers do not leave each other. The ratio multiplies every model-level sum of this preset
/// and shape. One ratio is a first-order correction: on the development CPU it held to a few percent from 80 to 157
/// tokens and not at 40.
/// </summary>
/// <param name="Preset">Preset name.</param>
/// <param name="Hidden">Hidden size.</param>
/// <param name="Heads">Heads.</param>
/// <param name="MlpSize">MLP size.</param>
/// <param name="Layers">Layers.</param>
/// <param name="Batch">Batch.</param>
/// <param name="Tokens">Tokens the calibrating forward ran at.</param>
/// <param name="MeasuredMs">Its measured median.</param>
/// <param name="PredictedMs">The uncorrected sum for it.</param>
/// <param name="Factor">measured / predicted.</param>
public sealed record ModelCalibration(string Preset, int Hidden, int Heads, int MlpSize, int Layers, int Batch, int Tokens,
    double MeasuredMs, double PredictedMs, double Factor);

/// <summary>A shape the profile measured an operator at.</summary>
/// <param name="Hidden">Hidden size.</param>
/// <param name="Heads">Heads.</param>
/// <param name="MlpSize">MLP size.</param>
/// <param name="Batch">Batch.</param>
/// <param name="DType">Element type.</param>
public sealed record ProfiledShape(int Hidden, int Heads, int MlpSize, int Batch, string DType);

/// <summary>How closely a model's surrogate follows it, and how its gradient behaves, on the profiled grid.</summary>
/// <param name="Temperature">Fitted softness of the tree splits (fraction of a split's width); 0 without trees.</param>
/// <param name="GridPoints">Profiled cases checked.</param>
/// <param name="MaxDeviation">Largest |surrogate / fitted model − 1| on the grid (the fitted model as ML.NET or MathNet predicts).</param>
/// <param name="MinSlopeUsPerToken">Smallest |d latency / d tokens| on a quarter-token grid over the profiled range.</param>
/// <param name="MonotoneIntervals">Intervals between adjacent profiled token counts where the measured median rises.</param>
/// <param name="MonotoneKept">Of those, intervals where the surrogate rises throughout.</param>
public sealed record SurrogateCheck(double Temperature, int GridPoints, double MaxDeviation, double MinSlopeUsPerToken,
    int MonotoneIntervals, int MonotoneKept);

/// <summary>The chosen cost model of one operator, as the surrogate evaluates it.</summary>
public sealed record SurrogateModel
{
    /// <summary>Operator name.</summary>
    public required string Operator { get; init; }

    /// <summary>Case variant, empty if none.</summary>
    public required string Variant { get; init; }

    /// <summary>The chosen regressor.</summary>
    public required string Regressor { get; init; }

    /// <summary>Why it was chosen.</summary>
    public required string Reason { get; init; }

    /// <summary>Linear part (the whole model without trees), microseconds.</summary>
    public required LinearCost Linear { get; init; }

    /// <summary>Trees on log(latency / linear), or null.</summary>
    public TreeEnsemble? Trees { get; init; }

    /// <summary>Shapes the profile measured this operator at.</summary>
    public required IReadOnlyList<ProfiledShape> Shapes { get; init; }

    /// <summary>Smallest profiled tokens in.</summary>
    public required int MinTokens { get; init; }

    /// <summary>Largest profiled tokens in.</summary>
    public required int MaxTokens { get; init; }

    /// <summary>Agreement and gradient checks made when it was fitted.</summary>
    public required SurrogateCheck Check { get; init; }

    /// <summary>Operator and variant.</summary>
    [JsonIgnore]
    public ModelKey Key => new(OperatorNames.Parse(Operator), Variant);

    /// <summary>The parameters as a cost model.</summary>
    [JsonIgnore]
    public OperatorCostModel CostModel => new() { Regressor = Regressor, Linear = Linear, Trees = Trees };
}
