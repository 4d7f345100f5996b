package dlbank.experiment.lab;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import dlbank.data.DataSet;
import dlbank.data.ImageDataset;
import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.model.MixtureOfExperts;
import dlbank.report.Charts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A mixture-of-experts layer on Fashion-MNIST: 8 experts, top-2 routing, trained with and without the
 * Switch load-balancing loss (how evenly the experts are used, by the entropy of their share of the
 * routed slots), beside dense feed-forward layers of the same compute and of the same parameters.
 */
public final class MixtureOfExpertsLab implements Experiment {

    public static final String ID = "lab/mixture-of-experts";
    private static final int EXPERTS = 8;
    private static final int TOP_K = 2;
    /** The weight of the load-balancing term, as in the Switch Transformer. */
    private static final float BALANCE_WEIGHT = 0.01f;

    record Setup(int width, int expertHidden, int trainImages, int validationImages, int testImages, int epochs,
                 int batch) {
        static Setup of(boolean quick) {
            return quick ? new Setup(32, 32, 600, 200, 300, 1, 64) : new Setup(128, 256, 55_000, 5_000, 10_000, 8, 128);
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "mixture of experts on Fashion-MNIST: load balancing, parameters vs compute vs dense layers";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/mixture-of-experts");
    }

    @Override
    public List<String> headlineMetrics() {
        return List.of("usage_entropy_balanced", "usage_entropy_unbalanced");
    }

    @Override
    public Result run(RunContext context) {
        boolean quick = context.quick();
        Setup setup = Setup.of(quick);
        int epochs = context.config().epochsOr(setup.epochs());
        int batch = context.config().batchSizeOr(setup.batch());
        ImageDataset all = ImageDataset.load(context.dataHome(), DataSet.FASHION_MNIST, ImageDataset.Split.TRAIN, context::info);
        ImageDataset test = ImageDataset.load(context.dataHome(), DataSet.FASHION_MNIST, ImageDataset.Split.TEST, context::info);
        int train = Math.min(setup.trainImages(), all.size() - setup.validationImages());
        MnistLab.Splits splits = new MnistLab.Splits(all.range(0, train), all.range(train, train + setup.validationImages()),
                test.head(Math.min(setup.testImages(), test.size())));
        int d = setup.width();
        int h = setup.expertHidden();
        Result.Builder result = Result.builder().config("data", "Fashion-MNIST, " + train + " training images")
                .config("model", String.format("784 -> dense %d, ReLU -> x + FFN(x) -> dense 10; the FFN is a mixture of "
                        + "%d experts (%d -> %d -> %d, top-%d) or a dense layer", d, EXPERTS, d, h, d, TOP_K))
                .config("training", String.format("%d epochs, batch %d, Adam 1e-3", epochs, batch));
        Map<String, double[]> measured = new LinkedHashMap<>(); // name -> {test accuracy, parameters, multiply-adds}
        double[] entropy = new double[2];
        long[][] usage = new long[2][];
        for (boolean balanced : new boolean[] {true, false}) {
            String name = balanced ? "moe-balanced" : "moe-unbalanced";
            MixtureOfExperts[] layer = new MixtureOfExperts[1];
            MnistLab.Trained trained = MnistLab.train(context, splits, new MnistLab.Recipe(name, () -> {
                        layer[0] = new MixtureOfExperts(d, h, EXPERTS, TOP_K);
                        return network(d, layer[0]);
                    }, epochs, batch, 1e-3f, 0, false),
                    (loop, block) -> {
                        if (balanced) {
                            loop.withPenalty(manager -> layer[0].balanceLoss().mul(BALANCE_WEIGHT));
                        }
                    },
                    block -> usage[balanced ? 0 : 1] = testUsage(block, layer[0], splits.test()));
            long[] counts = usage[balanced ? 0 : 1];
            entropy[balanced ? 0 : 1] = entropy(counts);
            double macs = measuredMultiplyAdds(layer[0], counts, splits.test().size());
            measured.put(name, new double[] {trained.testAccuracy(), layer[0].parameterFormula(), macs});
            result.metric("test_accuracy_" + name, trained.testAccuracy())
                    .metric("usage_entropy_" + (balanced ? "balanced" : "unbalanced"), entropy[balanced ? 0 : 1])
                    .metric("max_expert_share_" + (balanced ? "balanced" : "unbalanced"), maxShare(counts))
                    .metric("ffn_multiply_adds_" + name, macs).metric("ffn_parameters_" + name, layer[0].parameterFormula())
                    .metric("parameters_" + name, trained.parameters());
            context.info(String.format("%s: expert shares %s, entropy %.3f nats (max %.3f)", name, shares(counts),
                    entropy[balanced ? 0 : 1], Math.log(EXPERTS)));
        }
        for (int hidden : new int[] {TOP_K * h, EXPERTS * h}) {
            String name = "dense-" + hidden;
            MnistLab.Trained trained = MnistLab.train(context, splits, new MnistLab.Recipe(name,
                    () -> network(d, new SequentialBlock().add(Linear.builder().setUnits(hidden).build())
                            .add(Activation::relu).add(Linear.builder().setUnits(d).build())), epochs, batch, 1e-3f, 0, false),
                    MnistLab.Setup.NONE, block -> { });
            long parameters = 2L * d * hidden + hidden + d;
            measured.put(name, new double[] {trained.testAccuracy(), parameters, 2.0 * d * hidden});
            result.metric("test_accuracy_" + name, trained.testAccuracy()).metric("ffn_parameters_" + name, parameters)
                    .metric("ffn_multiply_adds_" + name, 2.0 * d * hidden);
        }
        List<String> names = new ArrayList<>(measured.keySet());
        Charts.bars(context.file("expert_usage.png"), "Share of routed slots per expert on the test images (top-" + TOP_K
                        + " of " + EXPERTS + ")", "expert", "share of slots",
                java.util.stream.IntStream.range(0, EXPERTS).mapToObj(e -> "expert " + e).toList(),
                Map.of("with the load-balancing loss", shareArray(usage[0]), "without it", shareArray(usage[1])), 0.0);
        Charts.bars(context.file("parameters_and_compute.png"), "Feed-forward layer: parameters and multiply-adds per "
                        + "example (thousands)", "layer", "thousands", names,
                Map.of("parameters", names.stream().mapToDouble(n -> measured.get(n)[1] / 1e3).toArray(),
                        "multiply-adds per example", names.stream().mapToDouble(n -> measured.get(n)[2] / 1e3).toArray()), 0.0);
        result.artifact("expert_usage.png").artifact("parameters_and_compute.png");
        addClaims(result, quick, entropy, measured, d, h);
        return result.build();
    }

    /** 784 pixels -> dense d, ReLU -> x + ffn(x) -> dense 10. */
    private static Block network(int d, Block ffn) {
        return new SequentialBlock().add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(d).build())
                .add(Activation::relu)
                .add(new ParallelBlock(list -> new NDList(list.get(0).singletonOrThrow().add(list.get(1).singletonOrThrow())),
                        List.of(Blocks.identityBlock(), ffn)))
                .add(Linear.builder().setUnits(10).build());
    }

    /** How many routed slots each expert got over the test images, in inference. */
    private static long[] testUsage(Block block, MixtureOfExperts layer, ImageDataset test) {
        layer.countUsage();
        try (NDManager manager = NDManager.newBaseManager()) {
            var images = test.images(manager);
            for (int from = 0; from < test.size(); from += 1_000) {
                try (NDManager batch = manager.newSubManager()) {
                    block.forward(new ParameterStore(batch, false), new NDList(images.get(batch,
                            new NDIndex().addSliceDim(from, Math.min(test.size(), from + 1_000)))), false);
                }
            }
        }
        return layer.usage();
    }

    /** Router plus the experts' work actually done, per example. */
    private static double measuredMultiplyAdds(MixtureOfExperts layer, long[] counts, int examples) {
        long slots = java.util.Arrays.stream(counts).sum();
        return (layer.multiplyAddsPerExample() - TOP_K * layer.expertMultiplyAdds())
                + (double) slots * layer.expertMultiplyAdds() / examples;
    }

    static double entropy(long[] counts) {
        double total = java.util.Arrays.stream(counts).sum();
        double h = 0;
        for (long count : counts) {
            if (count > 0) {
                h -= count / total * Math.log(count / total);
            }
        }
        return h;
    }

    private static double[] shareArray(long[] counts) {
        double total = java.util.Arrays.stream(counts).sum();
        return java.util.Arrays.stream(counts).mapToDouble(c -> c / total).toArray();
    }

    private static double maxShare(long[] counts) {
        return java.util.Arrays.stream(shareArray(counts)).max().orElse(0);
    }

    private static String shares(long[] counts) {
        StringBuilder text = new StringBuilder();
        for (double share : shareArray(counts)) {
            text.append(String.format("%.2f ", share));
        }
        return text.toString().strip();
    }

    private static void addClaims(Result.Builder result, boolean quick, double[] entropy, Map<String, double[]> measured,
                                  int d, int h) {
        double max = Math.log(EXPERTS);
        result.claim(Claim.checkUnlessQuick(quick, "Without the load-balancing loss the router favours some experts: "
                        + "the entropy of expert usage is lower than with it, which keeps usage within 5% of even (ln "
                        + EXPERTS + " = " + String.format("%.2f", max) + " nats)",
                "没有负载均衡损失时，路由器偏爱部分专家：专家使用的熵低于加了该损失时；加了以后，使用分布与均匀分布相差不到 5%（ln "
                        + EXPERTS + " = " + String.format("%.2f", max) + " 奈特）",
                entropy[0] >= 0.95 * max && entropy[1] < entropy[0],
                Claim.values("usage_entropy_balanced", entropy[0], "usage_entropy_unbalanced", entropy[1], "max_entropy", max)));
        double[] moe = measured.get("moe-balanced");
        double[] sameCompute = measured.get("dense-" + TOP_K * h);
        double router = (double) d * EXPERTS;
        result.claim(Claim.check("Each example runs " + TOP_K + " of the " + EXPERTS + " experts, not all: the mixture's "
                        + "multiply-adds per example, counted from its routing, equal the equal-compute dense layer's plus "
                        + "the router's, while it holds about " + EXPERTS / TOP_K + " times that layer's parameters",
                "每个样本只经过 " + EXPERTS + " 个专家中的 " + TOP_K + " 个，而不是全部：按实际路由统计的每样本乘加次数，"
                        + "等于同计算量稠密层的加上路由器的，而参数量约是该稠密层的 " + EXPERTS / TOP_K + " 倍",
                Math.abs(moe[2] - (sameCompute[2] + router)) < 1e-6 && moe[1] / sameCompute[1] > 0.9 * EXPERTS / TOP_K,
                Claim.values("moe_multiply_adds", moe[2], "dense_same_compute_multiply_adds", sameCompute[2],
                        "moe_parameters", moe[1], "dense_same_compute_parameters", sameCompute[1])));
        result.claim(Claim.checkUnlessQuick(quick, "At the same compute per example the mixture is at least as accurate "
                        + "as the dense layer", "在每样本计算量相同的情况下，混合专家层的准确率不低于稠密层",
                moe[0] >= sameCompute[0], Claim.values("test_accuracy_moe", moe[0], "test_accuracy_dense_same_compute",
                        sameCompute[0], "test_accuracy_dense_same_parameters", measured.get("dense-" + EXPERTS * h)[0])));
    }
}
