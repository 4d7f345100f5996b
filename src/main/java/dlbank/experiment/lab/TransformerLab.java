package dlbank.experiment.lab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dlbank.eval.AttentionReference;
import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.LanguageModelTraining;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.model.ParameterCount;
import dlbank.model.Transformer;
import dlbank.model.Transformer.Norm;
import dlbank.report.Charts;
import dlbank.train.FitLoop;
import dlbank.train.TokenLoss;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The Transformer block, measured on IMDb text: hand-written multi-head attention against plain loops,
 * the parameter formula against the model's count, what the √d_k scaling prevents (softmax entropy),
 * pre-LN against post-LN at a high learning rate without warm-up, and an encoder trained by masked
 * language modelling (BERT) beside a decoder trained on the next token (GPT).
 */
public final class TransformerLab implements Experiment {

    public static final String ID = "lab/transformer";

    record Setup(int vocabulary, int width, int layers, int window, int trainWindows, int epochs, int batch,
                 float learningRate, float highLearningRate, int heldOutWindows) {
        static Setup of(boolean quick) {
            return quick ? new Setup(400, 32, 2, 32, 192, 1, 32, 2e-3f, 1e-2f, 16)
                    : new Setup(2048, 64, 4, 64, 16_000, 1, 32, 2e-3f, 1e-2f, 400);
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "the Transformer block: hand-written attention, parameter formula, √d_k, pre- vs post-LN, BERT vs GPT";
    }

    @Override
    public java.util.List<String> questions() {
        return java.util.List.of("concept/transformer");
    }

    @Override
    public java.util.List<String> headlineMetrics() {
        return java.util.List.of("masked_token_accuracy", "next_token_accuracy");
    }

    @Override
    public Result run(RunContext context) {
        boolean quick = context.quick();
        Setup setup = Setup.of(quick);
        LanguageModelTraining.Corpus corpus = LanguageModelTraining.prepare(context, setup.vocabulary(), 500, 10_000);
        int vocabulary = corpus.encoding().size() + 1; // one more id: the [MASK] token of the encoder
        int mask = corpus.encoding().size();
        Transformer.Config decoder = new Transformer.Config(vocabulary, setup.width(), 4, setup.layers(), 4 * setup.width(),
                setup.window(), Transformer.Positions.LEARNED, Norm.PRE, true, true);
        Transformer.Config encoder = new Transformer.Config(vocabulary, setup.width(), 4, setup.layers(), 4 * setup.width(),
                setup.window(), Transformer.Positions.LEARNED, Norm.PRE, false, true);
        Result.Builder result = Result.builder().config("corpus", corpus.description())
                .config("model", String.format("%d layers, width %d, 4 heads, window %d, learned positions", setup.layers(),
                        setup.width(), setup.window()));
        Random random = new Random(context.config().seed());
        attentionAndFormula(context, result, decoder, random);
        saturation(context, result, random);
        try (NDManager manager = NDManager.newBaseManager(context.device())) {
            int[][] trainWindows = LanguageModelTraining.windows(corpus.train(), setup.window(), setup.trainWindows(),
                    context.config().seed());
            int[][] heldWindows = LanguageModelTraining.windows(corpus.heldOut(), setup.window(), setup.heldOutWindows(), 7);
            FitLoop.Data causal = LanguageModelTraining.nextTokenData(manager, trainWindows);
            FitLoop.Data causalHeld = LanguageModelTraining.nextTokenData(manager, heldWindows);
            int epochs = context.config().epochsOr(setup.epochs());
            int batch = context.config().batchSizeOr(setup.batch());
            LanguageModelTraining.Settings normal = new LanguageModelTraining.Settings(epochs, batch, setup.learningRate(), 50);
            double[] gpt;
            double[] futureChange = new double[2];
            try (LanguageModelTraining.Trained trained = LanguageModelTraining.train(context, decoder, causal, causalHeld,
                    normal, "decoder")) {
                gpt = evaluate(trained, causalHeld);
                result.metric("parameters_decoder", ParameterCount.of(trained.model().getBlock()));
                futureChange[0] = futureChange(trained, heldWindows, setup.window());
                result.metric("causal_change_decoder", futureChange[0]);
            }
            FitLoop.Data masked = maskedData(manager, trainWindows, mask, corpus.encoding().size(), random);
            FitLoop.Data maskedHeld = maskedData(manager, heldWindows, mask, corpus.encoding().size(), random);
            double[] bert;
            try (LanguageModelTraining.Trained trained = LanguageModelTraining.train(context, encoder, masked, maskedHeld,
                    normal, "encoder")) {
                bert = evaluate(trained, maskedHeld);
                futureChange[1] = futureChange(trained, heldWindows, setup.window());
                result.metric("causal_change_encoder", futureChange[1]);
            }
            result.metric("next_token_loss", gpt[0]).metric("next_token_accuracy", gpt[1])
                    .metric("masked_token_loss", bert[0]).metric("masked_token_accuracy", bert[1]);
            context.info(String.format("decoder (next token): loss %.3f, accuracy %.4f; encoder (masked tokens): loss %.3f, "
                    + "accuracy %.4f", gpt[0], gpt[1], bert[0], bert[1]));
            Map<String, double[]> curves = new LinkedHashMap<>();
            double[] finalLoss = new double[2];
            for (Norm norm : Norm.values()) {
                double loss;
                try (LanguageModelTraining.Trained trained = LanguageModelTraining.train(context, decoder.withNorm(norm),
                        causal, causalHeld, new LanguageModelTraining.Settings(epochs, batch, setup.highLearningRate(), 0),
                        norm.id() + "-ln")) {
                    loss = evaluate(trained, causalHeld)[0];
                } catch (dlbank.train.TrainingDivergedException e) {
                    loss = Double.POSITIVE_INFINITY; // the loss became NaN or infinite: diverged
                }
                finalLoss[norm.ordinal()] = Double.isFinite(loss) ? loss : 1e9;
                result.metric(norm.id() + "_ln_loss_at_high_rate", finalLoss[norm.ordinal()]);
                context.info(String.format("%s-LN at learning rate %.0e, no warm-up: held-out loss %s", norm.id(),
                        setup.highLearningRate(), Double.isFinite(loss) ? String.format("%.3f", loss) : "diverged"));
            }
            double unigram = LanguageModelTraining.unigramTokenLoss(corpus.train(), heldWindows, corpus.encoding().size());
            result.metric("unigram_loss", unigram);
            Charts.bars(context.file("norm_placement.png"), String.format("Held-out loss after training at learning rate "
                            + "%.0e without warm-up", setup.highLearningRate()), "layer norm placement", "loss (nats per token)",
                    java.util.List.of("pre-LN", "post-LN", "unigram baseline"),
                    Map.of("held-out loss", new double[] {finalLoss[0], Math.min(finalLoss[1], 3 * unigram), unigram}), 0.0);
            result.artifact("norm_placement.png");
            addClaims(result, quick, gpt, bert, finalLoss, unigram, futureChange);
        }
        return result.build();
    }

    /** Hand-written attention of an initialised decoder against plain loops, and the parameter formula. */
    private static void attentionAndFormula(RunContext context, Result.Builder result, Transformer.Config config,
                                            Random random) {
        try (NDManager manager = NDManager.newBaseManager(context.device())) {
            Transformer block = new Transformer(config);
            block.setInitializer(new ai.djl.training.initializer.NormalInitializer(0.1f), ai.djl.nn.Parameter.Type.WEIGHT);
            block.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, config.maxLength()));
            int length = Math.min(24, config.maxLength());
            int d = config.width();
            float[] input = new float[length * d];
            for (int i = 0; i < input.length; i++) {
                input[i] = (float) random.nextGaussian();
            }
            float[] actual = block.selfAttention(new ParameterStore(manager, false), 0,
                    manager.create(input, new Shape(1, length, d))).toFloatArray();
            double[][] expected = AttentionReference.selfAttention(AttentionReference.matrix(input, length, d),
                    AttentionReference.matrix(array(block, "layer0_qkv_weight"), d, 3 * d),
                    AttentionReference.vector(array(block, "layer0_qkv_bias")),
                    AttentionReference.matrix(array(block, "layer0_out_weight"), d, d),
                    AttentionReference.vector(array(block, "layer0_out_bias")),
                    config.heads(), true, true);
            double worst = 0;
            for (int t = 0; t < length; t++) {
                for (int c = 0; c < d; c++) {
                    worst = Math.max(worst, Math.abs(actual[t * d + c] - expected[t][c]));
                }
            }
            long counted = ParameterCount.of(block);
            result.metric("attention_max_difference", worst).metric("parameters_formula", config.parameterFormula())
                    .metric("parameters_counted", counted);
            result.claim(Claim.check("Hand-written multi-head attention with a causal mask equals plain loops that "
                            + "compute it one query, key and head at a time (to 1e-5)",
                    "手写的带因果掩码的多头注意力与逐个查询、键和头计算的朴素循环结果一致（误差 1e-5 以内）",
                    worst < 1e-5, Claim.values("attention_max_difference", worst)));
            result.claim(Claim.check("The parameter count by formula, V·d + P·d + L·(4d² + 4d + 2·d·d_ff + d_ff + 5d) + 2d, "
                            + "equals the model's own count", "按公式 V·d + P·d + L·(4d² + 4d + 2·d·d_ff + d_ff + 5d) + 2d "
                            + "算出的参数量与模型实际统计的相等",
                    counted == config.parameterFormula(),
                    Claim.values("parameters_formula", config.parameterFormula(), "parameters_counted", counted)));
        }
    }

    /**
     * The entropy of softmax(q·k) over 64 keys for random q, k with unit-variance components, with
     * and without the division by √d_k, as d_k grows: the variance argument of the 2017 paper, measured.
     */
    private static void saturation(RunContext context, Result.Builder result, Random random) {
        int[] sizes = {4, 16, 64, 256};
        int keys = 64;
        double[] scaled = new double[sizes.length];
        double[] unscaled = new double[sizes.length];
        for (int s = 0; s < sizes.length; s++) {
            for (int trial = 0; trial < 200; trial++) {
                double[] q = random.doubles(sizes[s]).map(x -> random.nextGaussian()).toArray();
                float[] raw = new float[keys];
                for (int j = 0; j < keys; j++) {
                    double dot = 0;
                    for (double component : q) {
                        dot += component * random.nextGaussian();
                    }
                    raw[j] = (float) dot;
                }
                unscaled[s] += dlbank.eval.Sampling.entropy(dlbank.eval.Sampling.softmax(raw, 1)) / 200;
                scaled[s] += dlbank.eval.Sampling.entropy(dlbank.eval.Sampling.softmax(raw, Math.sqrt(sizes[s]))) / 200;
            }
            result.metric("entropy_scaled_dk" + sizes[s], scaled[s]).metric("entropy_unscaled_dk" + sizes[s], unscaled[s]);
        }
        double[] x = Arrays.stream(sizes).asDoubleStream().toArray();
        Charts.lines(context.file("softmax_entropy.png"), "Entropy of attention over 64 keys (maximum ln 64 = 4.16 nats)",
                "d_k", "entropy (nats)", x, Map.of("softmax(q·k/√d_k)", scaled, "softmax(q·k)", unscaled), false);
        result.artifact("softmax_entropy.png");
        int at64 = 2;
        result.claim(Claim.check("Without √d_k the softmax saturates as d_k grows: at d_k = 64 the attention over 64 keys "
                        + "has less than a quarter of the entropy it has with the scaling",
                "不除以 √d_k，softmax 会随 d_k 增大而饱和：d_k = 64 时，64 个键上的注意力熵不到缩放后的四分之一",
                unscaled[at64] < scaled[at64] / 4,
                Claim.values("entropy_scaled_dk64", scaled[at64], "entropy_unscaled_dk64", unscaled[at64])));
    }

    /**
     * BERT's masking: 15% of positions are chosen; of those 80% become [MASK], 10% a random token and
     * 10% stay; the targets are the original tokens there and -1 elsewhere.
     */
    static FitLoop.Data maskedData(NDManager manager, int[][] windows, int mask, int vocabulary, Random random) {
        int length = windows[0].length - 1;
        int[] inputs = new int[windows.length * length];
        int[] targets = new int[windows.length * length];
        Arrays.fill(targets, -1);
        for (int w = 0; w < windows.length; w++) {
            for (int t = 0; t < length; t++) {
                int token = windows[w][t];
                int at = w * length + t;
                inputs[at] = token;
                if (random.nextDouble() < 0.15) {
                    targets[at] = token;
                    double r = random.nextDouble();
                    inputs[at] = r < 0.8 ? mask : r < 0.9 ? random.nextInt(vocabulary) : token;
                }
            }
        }
        return new FitLoop.Data(manager.create(inputs, new Shape(windows.length, length)),
                manager.create(targets, new Shape(windows.length, length)));
    }

    /** {loss, accuracy} on the positions that have a target. */
    private static double[] evaluate(LanguageModelTraining.Trained trained, FitLoop.Data data) {
        FitLoop.Evaluation evaluation = FitLoop.evaluate(trained.trainer(), TokenLoss.scorer(), data, 100);
        return new double[] {evaluation.loss(), evaluation.accuracy()};
    }

    /** The largest change of the outputs at the first half's positions when the second half's tokens change. */
    private static double futureChange(LanguageModelTraining.Trained trained, int[][] windows, int length) {
        int rows = Math.min(16, windows.length);
        int[] a = new int[rows * length];
        int[] b = new int[rows * length];
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < length; t++) {
                a[r * length + t] = windows[r][t];
                b[r * length + t] = t < length / 2 ? windows[r][t] : windows[(r + 1) % windows.length][t];
            }
        }
        try (NDManager batch = trained.model().getNDManager().newSubManager()) {
            ParameterStore store = new ParameterStore(batch, false);
            String firstHalf = ":, :" + length / 2;
            NDArray first = trained.model().getBlock().forward(store, new NDList(batch.create(a, new Shape(rows, length))), false)
                    .singletonOrThrow().get(firstHalf);
            NDArray second = trained.model().getBlock().forward(store, new NDList(batch.create(b, new Shape(rows, length))), false)
                    .singletonOrThrow().get(firstHalf);
            return first.sub(second).abs().max().getFloat();
        }
    }

    private static void addClaims(Result.Builder result, boolean quick, double[] gpt, double[] bert, double[] finalLoss,
                                  double unigram, double[] futureChange) {
        result.claim(Claim.check("The causal mask is what makes a decoder: changing the second half of a text leaves "
                        + "the decoder's outputs over the first half unchanged (to 1e-5) and changes the encoder's",
                "因果掩码决定了解码器：改动文本的后半段，解码器在前半段的输出不变（误差 1e-5 以内），编码器的输出则会变",
                futureChange[0] < 1e-5 && futureChange[1] > 1e-3,
                Claim.values("causal_change_decoder", futureChange[0], "causal_change_encoder", futureChange[1])));
        result.claim(Claim.checkUnlessQuick(quick, "A masked token is easier to predict than the next one: the encoder, "
                        + "which reads both sides, gets more masked tokens right than the decoder gets next tokens",
                "被遮住的词比下一个词好猜：能看到两侧上下文的编码器猜对被遮词的比例，高于解码器猜对下一个词的比例",
                bert[1] > gpt[1], Claim.values("masked_token_accuracy", bert[1], "next_token_accuracy", gpt[1])));
        result.claim(Claim.checkUnlessQuick(quick, "Post-LN fails at a learning rate where pre-LN trains: without warm-up "
                        + "it ends at least 0.5 nats per token above pre-LN",
                "在 pre-LN 能正常训练的学习率下，post-LN 训练失败：不用预热时，它的损失比 pre-LN 至少高 0.5 奈特/词",
                finalLoss[1] >= finalLoss[0] + 0.5 && finalLoss[0] < unigram,
                Claim.values("pre_ln_loss_at_high_rate", finalLoss[0], "post_ln_loss_at_high_rate",
                        finalLoss[1], "unigram_loss", unigram)));
    }

    private static float[] array(Transformer block, String name) {
        return block.getParameters().get(name).getArray().toFloatArray();
    }
}
