using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Profiler.Core;
using Profiler.CostModel.Features;
using Profiler.CostModel.Models;
using Profiler.CostModel.Training;

namespace Profiler.CostModel.Fitting;

/// <summary>
/// A boosted-tree regressor of ML.NET (FastTree or LightGbm) on the size features, learning log(latency / trend)
/// where the trend is the <see cref="RooflineTrend"/> fitted on the same rows. The fitted model predicts
/// trend · exp(ensemble); the ensemble is read back for the surrogate. A reduction's output enters as tokens out or,
/// in the "-ratio" regressors, as the retention ratio; the other is held at 0, so no tree splits on it and the
/// surrogate's step table keeps two axes.
/// </summary>
public sealed class MlTreeRegressor : IRegressor
{
    /// <summary>Name of the FastTree regressor.</summary>
    public const string FastTreeName = "fasttree";

    /// <summary>Name of the LightGbm regressor.</summary>
    public const string LightGbmName = "lightgbm";

    /// <summary>Suffix of the regressors that read a reduction's output as its retention ratio.</summary>
    public const string RatioSuffix = "-ratio";

    /// <summary>Every tree regressor's name.</summary>
    public static IReadOnlyList<string> Names { get; } = [FastTreeName, LightGbmName, FastTreeName + RatioSuffix, LightGbmName + RatioSuffix];

    /// <summary>The softness a freshly read ensemble gets before <see cref="Surrogate.TemperatureFit"/> fits it.</summary>
    public const double InitialTemperature = 0.1;

    // LightGBM puts at least 3 rows in a histogram bin (min_data_in_bin, which ML.NET does not expose), so on a grid
    // with one case per token count its thresholds can only fall every third token count and a step is smeared over
    // three. Giving it every row three times (and the leaf minimum three times as large) lets each token count be its
    // own bin; with no L2 on the leaves the fitted means are the same as on the single rows.
    private const int LightGbmCopies = 3;

    private readonly Func<MLContext, IDataView, (ITransformer Transformer, RegressionTreeEnsemble Ensemble)> train;
    private readonly int copies;
    private readonly int unused;

    private MlTreeRegressor(string name, int copies, bool ratio, Func<MLContext, IDataView, (ITransformer, RegressionTreeEnsemble)> train)
    {
        Name = ratio ? name + RatioSuffix : name;
        this.copies = copies;
        this.train = train;
        unused = ratio ? SizeFeatures.TokensOut : SizeFeatures.Ratio;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>ML.NET FastTree (gradient-boosted regression trees).</summary>
    public static MlTreeRegressor FastTree(TreeSettings settings, bool ratio = false) => new(FastTreeName, 1, ratio, (ml, data) =>
    {
        var trainer = ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
        {
            NumberOfTrees = settings.Trees, NumberOfLeaves = settings.Leaves,
            MinimumExampleCountPerLeaf = settings.MinimumRowsPerLeaf, LearningRate = settings.LearningRate,
            // One thread: the machine is shared with whatever is being measured, and the result is reproducible.
            NumberOfThreads = 1,
        });
        var fitted = trainer.Fit(data);
        return (fitted, fitted.Model.TrainedTreeEnsemble);
    });

    /// <summary>ML.NET LightGbm.</summary>
    public static MlTreeRegressor LightGbm(TreeSettings settings, bool ratio = false) => new(LightGbmName, LightGbmCopies, ratio, (ml, data) =>
    {
        var trainer = ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
        {
            NumberOfIterations = settings.Trees, NumberOfLeaves = settings.Leaves,
            MinimumExampleCountPerLeaf = LightGbmCopies * settings.MinimumRowsPerLeaf, LearningRate = settings.LearningRate,
            NumberOfThreads = 1, Seed = settings.Seed, Verbose = false, Silent = true,
        });
        var fitted = trainer.Fit(data);
        return (fitted, fitted.Model.TrainedTreeEnsemble);
    });

    /// <inheritdoc />
    public FittedRegressor Fit(IReadOnlyList<TrainingRow> rows)
    {
        var trend = RooflineTrend.FitLinear(rows);
        var features = rows.Select(r => Features(r.Case)).ToList();
        var data = rows.Select((r, i) => new MlTreeRow
        {
            Features = features[i].Select(v => (float)v).ToArray(),
            Label = (float)Math.Log(r.LatencyUs / trend.EvaluateUs(r.Case)),
        }).SelectMany(row => Enumerable.Repeat(row, copies)).ToList();
        var ml = new MLContext(seed: 1);
        var (transformer, ensemble) = train(ml, ml.Data.LoadFromEnumerable(data));
        var trees = TreeEnsembleReader.Read(ensemble, features, InitialTemperature);
        var model = new OperatorCostModel { Regressor = Name, Linear = trend, Trees = trees };
        var engine = ml.Model.CreatePredictionEngine<MlTreeRow, MlScore>(transformer);
        double Predict(OperatorCase c)
        {
            var row = new MlTreeRow { Features = Features(c).Select(v => (float)v).ToArray() };
            return trend.EvaluateUs(c) * Math.Exp(engine.Predict(row).Score);
        }
        return new FittedRegressor(model, Predict);
    }

    private double[] Features(OperatorCase c)
    {
        var values = SizeFeatures.Values(c);
        values[unused] = 0;
        return values;
    }
}
