package dlbank.experiment.lab;

import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.report.Charts;
import dlbank.train.FitLoop;
import dlbank.train.WeightPenalty;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Regularization on a small training set where an MLP overfits: the same network trained without
 * any, with an L1 penalty (Tibshirani, 1996), an L2 penalty, dropout (Srivastava et al., 2014) and
 * early stopping; train and test accuracy and their gap, and what each penalty does to the weights.
 */
public final class RegularizationLab implements Experiment {

    public static final String ID = "lab/regularization";
    /** |w| below this counts as near zero: gradient steps leave L1's zeros jittering, not at exactly 0.0. */
    static final double NEAR_ZERO = 1e-3;

    /**
     * @param l1 candidate λ of the penalty λ·Σ|w|, applied as its proximal step (threshold lr·λ) after each Adam step
     * @param l2 candidate λ of (λ/2)·Σw², applied as decoupled weight decay (w times 1 − lr·λ) after each Adam step
     * @param dropout candidate shares of each hidden layer's units dropped in training
     * @param patience early stopping: epochs without a lower validation loss
     */
    record Settings(int trainImages, int validationImages, int testImages, int hidden, int epochs, int batchSize,
                    float learningRate, float[] l1, float[] l2, float[] dropout, int patience) {
        static Settings of(RunContext context) {
            var config = context.config();
            return context.quick()
                    ? new Settings(500, 300, 1_000, 128, config.epochsOr(3), config.batchSizeOr(64), 1e-3f,
                            new float[] {0.1f}, new float[] {1f}, new float[] {0.5f}, 2)
                    : new Settings(1_000, 1_000, 10_000, 256, config.epochsOr(40), config.batchSizeOr(64), 1e-3f,
                            new float[] {0.03f, 0.1f, 0.3f}, new float[] {0.3f, 1f, 3f}, new float[] {0.2f, 0.5f}, 5);
        }
    }

    /** One candidate: the variant it belongs to, its strength (λ or dropout rate; 0 for none and early stopping). */
    record Candidate(String variant, float strength) {
        String name() {
            return strength == 0 ? variant : variant + "-" + strength;
        }

        /** Early stopping ends on its best epoch; every other candidate on its last. */
        boolean keepsBest() {
            return variant.equals("early_stopping");
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "none, L1, L2, dropout, early stopping on 1,000 MNIST images: train/test gap, weight histograms";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/regularization");
    }

    @Override
    public Result run(RunContext context) {
        Settings s = Settings.of(context);
        MnistLab.Splits splits = MnistLab.load(context, s.trainImages(), s.validationImages(), s.testImages());
        Result.Builder result = Result.builder().config("network", "784-" + s.hidden() + "-" + s.hidden() + "-10, ReLU")
                .config("train_images", splits.train().size()).config("validation_images", splits.validation().size())
                .config("test_images", splits.test().size()).config("epochs", s.epochs())
                .config("batch_size", s.batchSize()).config("learning_rate", s.learningRate())
                .config("optimizer", "adam; L1 as its proximal step (soft thresholding by lr·λ), L2 as decoupled weight "
                        + "decay (times 1 − lr·λ), each after every Adam step")
                .config("l1_candidates", s.l1()).config("l2_candidates", s.l2()).config("dropout_candidates", s.dropout())
                .config("chosen_by", "validation accuracy of the final (early stopping: best) epoch").config("early_stopping_patience", s.patience())
                .config("near_zero_below", NEAR_ZERO);
        Map<String, MnistLab.Trained> trained = new LinkedHashMap<>();
        Map<String, float[]> weights = new LinkedHashMap<>();
        Map<String, Float> chosen = new LinkedHashMap<>();
        for (String variant : List.of("none", "l1", "l2", "dropout", "early_stopping")) {
            float[] strengths = switch (variant) {
                case "l1" -> s.l1();
                case "l2" -> s.l2();
                case "dropout" -> s.dropout();
                default -> new float[] {0};
            };
            MnistLab.Trained best = null;
            float[] bestWeights = null;
            double bestValidation = Double.NEGATIVE_INFINITY;
            for (float strength : strengths) {
                Candidate candidate = new Candidate(variant, strength);
                float[][] kept = new float[1][];
                MnistLab.Trained outcome = train(context, splits, s, candidate, block -> kept[0] = MnistLab.allWeights(block));
                double validation = finalValidationAccuracy(outcome, candidate);
                result.metric("validation_accuracy_" + candidate.name(), validation);
                if (strengths.length > 1) {
                    result.metric("test_accuracy_" + candidate.name(), outcome.testAccuracy())
                            .metric("near_zero_share_" + candidate.name(), shareBelow(kept[0], NEAR_ZERO));
                }
                if (validation > bestValidation) {
                    bestValidation = validation;
                    best = outcome;
                    bestWeights = kept[0];
                    chosen.put(variant, strength);
                }
            }
            trained.put(variant, best);
            weights.put(variant, bestWeights);
            if (strengths.length > 1) {
                context.info(String.format("%s: strength %s chosen on the validation images", variant, chosen.get(variant)));
            }
        }
        chosen.forEach((variant, strength) -> {
            if (!variant.equals("none") && !variant.equals("early_stopping")) {
                result.metric("chosen_" + (variant.equals("dropout") ? "rate" : "lambda") + "_" + variant, strength);
            }
        });
        Map<String, Double> nearZero = new LinkedHashMap<>();
        trained.forEach((variant, outcome) -> {
            nearZero.put(variant, shareBelow(weights.get(variant), NEAR_ZERO));
            result.metric("train_accuracy_" + variant, outcome.trainAccuracy())
                    .metric("test_accuracy_" + variant, outcome.testAccuracy())
                    .metric("gap_" + variant, outcome.gap())
                    .metric("near_zero_share_" + variant, nearZero.get(variant))
                    .metric("mean_abs_weight_" + variant, meanAbs(weights.get(variant)))
                    .metric("epochs_" + variant, outcome.outcome().history().size());
        });
        plot(context, result, trained, weights);
        addClaims(result, context.quick(), trained, nearZero);
        return result.build();
    }

    private static MnistLab.Trained train(RunContext context, MnistLab.Splits splits, Settings s, Candidate candidate,
                                          java.util.function.Consumer<ai.djl.nn.Block> after) {
        boolean early = candidate.keepsBest();
        float rate = candidate.variant().equals("dropout") ? candidate.strength() : 0;
        MnistLab.Recipe recipe = new MnistLab.Recipe(candidate.name(), () -> mlp(s.hidden(), rate), s.epochs(),
                s.batchSize(), s.learningRate(), early ? s.patience() : 0, early);
        return MnistLab.train(context, splits, recipe, (loop, block) -> {
            if (candidate.variant().equals("l1")) {
                loop.withAfterStep(WeightPenalty.softThreshold(block, s.learningRate() * candidate.strength()));
            } else if (candidate.variant().equals("l2")) {
                loop.withAfterStep(WeightPenalty.decay(block, s.learningRate() * candidate.strength()));
            }
        }, after);
    }

    /** Validation accuracy of the epoch the model ended with (the best epoch under early stopping). */
    private static double finalValidationAccuracy(MnistLab.Trained trained, Candidate candidate) {
        FitLoop.Outcome outcome = trained.outcome();
        int epoch = candidate.keepsBest() && outcome.bestEpoch() > 0 ? outcome.bestEpoch() : outcome.history().size();
        return outcome.history().get(epoch - 1).validationAccuracy();
    }

    /** Flatten, two hidden ReLU layers (each followed by dropout when the rate is above 0), 10 logits. */
    private static SequentialBlock mlp(int hidden, float dropout) {
        SequentialBlock block = new SequentialBlock().add(Blocks.batchFlattenBlock());                  // (B, 784)
        for (int layer = 0; layer < 2; layer++) {
            block.add(Linear.builder().setUnits(hidden).build()).add(Activation::relu);                 // (B, hidden)
            if (dropout > 0) {
                block.add(Dropout.builder().optRate(dropout).build()); // inverted dropout: nothing to undo at test time
            }
        }
        return block.add(Linear.builder().setUnits(10).build());                                        // (B, 10)
    }

    private static double shareBelow(float[] values, double threshold) {
        long count = 0;
        for (float value : values) {
            count += Math.abs(value) < threshold ? 1 : 0;
        }
        return (double) count / values.length;
    }

    private static double meanAbs(float[] values) {
        double sum = 0;
        for (float value : values) {
            sum += Math.abs(value);
        }
        return sum / values.length;
    }

    private static void plot(RunContext context, Result.Builder result, Map<String, MnistLab.Trained> trained,
                             Map<String, float[]> weights) {
        List<String> variants = List.copyOf(trained.keySet());
        Map<String, double[]> accuracies = new LinkedHashMap<>();
        accuracies.put("training", trained.values().stream().mapToDouble(MnistLab.Trained::trainAccuracy).toArray());
        accuracies.put("test", trained.values().stream().mapToDouble(MnistLab.Trained::testAccuracy).toArray());
        double lowest = trained.values().stream().mapToDouble(MnistLab.Trained::testAccuracy).min().orElse(0);
        Charts.bars(context.file("accuracy_by_regularizer.png"), "training vs test accuracy: the gap is overfitting",
                "regularizer", "accuracy", variants, accuracies, Math.floor(10 * lowest - 0.5) / 10);
        Map<String, float[]> shown = new LinkedHashMap<>(weights);
        shown.remove("early_stopping");
        Charts.histograms(context.file("weight_histograms.png"), "all weights after training (log scale: L1's spike at 0)",
                "weight value", shown, -0.25, 0.25, 201, true);
        result.artifact("accuracy_by_regularizer.png").artifact("weight_histograms.png");
    }

    private static void addClaims(Result.Builder result, boolean quick, Map<String, MnistLab.Trained> trained,
                                  Map<String, Double> nearZero) {
        double l1 = nearZero.get("l1");
        double l2 = nearZero.get("l2");
        result.claim(Claim.checkUnlessQuick(quick, "L1 gives far more near-zero weights than L2: at least "
                        + "3 times the share of weights with |w| < 1e-3",
                "L1 得到的接近零的权重远多于 L2：|w| < 1e-3 的权重比例至少是 L2 的 3 倍",
                l1 >= 3 * l2, Claim.values("near_zero_share_l1", l1, "near_zero_share_l2", l2,
                        "near_zero_share_none", nearZero.get("none"))));
        double noneGap = trained.get("none").gap();
        double widest = trained.entrySet().stream().filter(entry -> !entry.getKey().equals("none"))
                .mapToDouble(entry -> entry.getValue().gap()).max().orElse(Double.NaN);
        Map<String, Double> gaps = new LinkedHashMap<>();
        trained.forEach((variant, outcome) -> gaps.put("gap_" + variant, outcome.gap()));
        result.claim(Claim.checkUnlessQuick(quick, "Without regularization the gap between training and test accuracy "
                        + "is the largest: L1, L2, dropout and early stopping each narrow it",
                "不加正则化时，训练准确率与测试准确率的差距最大：L1、L2、dropout 和早停都会缩小这个差距",
                widest < noneGap, gaps));
        double none = trained.get("none").testAccuracy();
        double worst = trained.entrySet().stream().filter(entry -> !entry.getKey().equals("none"))
                .mapToDouble(entry -> entry.getValue().testAccuracy()).min().orElse(Double.NaN);
        Map<String, Double> tests = new LinkedHashMap<>();
        trained.forEach((variant, outcome) -> tests.put("test_accuracy_" + variant, outcome.testAccuracy()));
        result.claim(Claim.checkUnlessQuick(quick, "The narrower gap is not bought with a worse model: each "
                        + "regularizer's test accuracy is at least that of the unregularized network",
                "缩小差距并不是以模型变差为代价：每种正则化的测试准确率都不低于不加正则化的网络",
                worst >= none, tests));
    }
}
