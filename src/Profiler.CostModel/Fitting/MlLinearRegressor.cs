using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML;
using Microsoft.ML.Trainers;
using Profiler.Core;
using Profiler.CostModel.Features;
using Profiler.CostModel.Models;
using Profiler.CostModel.Training;

namespace Profiler.CostModel.Fitting;

/// <summary>
/// ML.NET's linear regression on the engineered cost features (FLOPs, bytes, activations, attention scores), by
/// online gradient descent on squared error. For one shape these features are nearly collinear (all are polynomials
/// of the token count), so they are whitened first (PCA, MathNet) and the weights mapped back to microseconds per
/// unit. ML.NET's SDCA diverged on these few-row designs even whitened (weights of 1e10 on a one-feature line), and
/// online gradient descent takes no example weights, so unlike the other regressors this one fits absolute error.
/// </summary>
public sealed class MlLinearRegressor : IRegressor
{
    /// <summary>The regressor's name.</summary>
    public const string RegressorName = "linear";

    /// <inheritdoc />
    public string Name => RegressorName;

    /// <inheritdoc />
    public FittedRegressor Fit(IReadOnlyList<TrainingRow> rows)
    {
        var x = Matrix<double>.Build.DenseOfRowArrays(rows.Select(r => CostFeatures.Values(r.Case)));
        var whitening = Whitening.Fit(x);
        double labelScale = rows.Max(r => r.LatencyUs);
        var data = rows.Select((r, i) => new MlLinearRow
        {
            Features = whitening.Apply(x.Row(i)),
            Label = (float)(r.LatencyUs / labelScale),
        }).ToList();

        var ml = new MLContext(seed: 1);
        // On whitened features a fixed step converges to within about 0.1% of least squares in 1000 epochs.
        var trainer = ml.Regression.Trainers.OnlineGradientDescent(new OnlineGradientDescentTrainer.Options
        {
            NumberOfIterations = 1000, LearningRate = 0.05f, DecreaseLearningRate = false, L2Regularization = 0, Shuffle = false,
        });
        var fitted = trainer.Fit(ml.Data.LoadFromEnumerable(data));
        var (bias, weights) = whitening.Unmap(fitted.Model.Bias, fitted.Model.Weights);
        var model = new OperatorCostModel
        {
            Regressor = Name,
            Linear = LinearCost.From(bias * labelScale, weights.Select(w => w * labelScale).ToArray()),
        };
        var engine = ml.Model.CreatePredictionEngine<MlLinearRow, MlScore>(fitted);
        double Predict(OperatorCase c) =>
            engine.Predict(new MlLinearRow { Features = whitening.Apply(Vector<double>.Build.DenseOfArray(CostFeatures.Values(c))) }).Score * labelScale;
        return new FittedRegressor(model, Predict);
    }

    /// <summary>z = (x − mean)·T with the covariance of z the identity; directions without spread are dropped.</summary>
    private sealed record Whitening(Vector<double> Mean, Matrix<double> Transform)
    {
        public static Whitening Fit(Matrix<double> x)
        {
            double total = x.RowCount;
            var mean = x.ColumnSums() / total;
            var centred = Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount, (i, j) => x[i, j] - mean[j]);
            var svd = centred.Svd(computeVectors: true);
            double largest = svd.S.Maximum();
            var transform = Matrix<double>.Build.Dense(x.ColumnCount, CostFeatures.Count);
            for (int c = 0; c < svd.S.Count && c < CostFeatures.Count; c++)
            {
                // Relative 1e-6: rounding in collinear features leaves singular values far above machine precision.
                if (svd.S[c] <= 1e-6 * largest) continue;
                transform.SetColumn(c, svd.VT.Row(c) * (Math.Sqrt(total) / svd.S[c]));
            }
            return new Whitening(mean, transform);
        }

        public float[] Apply(Vector<double> x) => ((x - Mean) * Transform).Select(v => (float)v).ToArray();

        // A model b + w·z on whitened features is b − (T·w)·mean + (T·w)·x on the original ones.
        public (double Bias, double[] Weights) Unmap(float bias, IReadOnlyList<float> whitened)
        {
            var w = Transform * Vector<double>.Build.DenseOfEnumerable(whitened.Select(v => (double)v));
            return (bias - w.DotProduct(Mean), w.ToArray());
        }
    }
}
