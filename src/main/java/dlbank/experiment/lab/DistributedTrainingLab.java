package dlbank.experiment.lab;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dlbank.data.DataSet;
import dlbank.data.ImageDataset;
import dlbank.eval.ResidentMemory;
import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.model.ImprovedMnistCnn;
import dlbank.model.MnistCnn;
import dlbank.model.ParameterCount;
import dlbank.model.Weights;
import dlbank.report.Charts;
import dlbank.train.CheckpointedAdam;
import dlbank.train.Gradients;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The arithmetic that distributed training engines rely on, checked on one machine with real MNIST
 * batches (no engine is built here): gradient accumulation over k micro-batches equals one batch k
 * times larger, and breaks with batch norm; two data-parallel replicas that average their gradients
 * take the full batch's steps and stay identical; ZeRO stage 1's sharded Adam states give the same
 * weights (Rajbhandari et al., 2020); Megatron-LM's column- then row-split MLP equals the whole one
 * (Shoeybi et al., 2019); and the bytes per parameter of fp32 training with Adam, counted and as the
 * process's resident memory grows.
 */
public final class DistributedTrainingLab implements Experiment {

    public static final String ID = "lab/distributed-training";
    private static final double SAME = 1e-6;

    /**
     * @param batches large batches checked for accumulation; also the data-parallel steps
     * @param microBatch examples per micro-batch; a large batch is {@code microBatches} of them
     * @param memoryWidth width of the dense layers whose memory is measured: 4096 makes each weight
     *                    matrix 64 MiB, above the allocator's mmap threshold, so freed temporaries
     *                    leave the resident memory and the growth is the tensors that stay
     */
    record Settings(int images, int batches, int microBatch, int microBatches, int memoryWidth, int memoryLayers) {
        static Settings of(RunContext context) {
            return context.quick() ? new Settings(1_000, 4, 32, 4, 256, 2) : new Settings(20_000, 30, 64, 4, 4_096, 3);
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "gradient accumulation, data-parallel averaging, ZeRO-1 shards, tensor-parallel MLP, bytes per parameter";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/distributed-training");
    }

    @Override
    public List<String> headlineMetrics() {
        return List.of("accumulation_max_relative_difference", "bytes_per_parameter_counted");
    }

    @Override
    public Result run(RunContext context) {
        Settings settings = Settings.of(context);
        int large = settings.microBatch() * settings.microBatches();
        Result.Builder result = Result.builder().config("images", settings.images())
                .config("large_batch", large).config("micro_batches", settings.microBatches())
                .config("model", "the bank's MNIST CNN (121,930 parameters); batch-norm variant for the exception")
                .config("optimizer", "Adam 1e-3 (CheckpointedAdam: the engine's fused Adam kernel)");
        ImageDataset train = ImageDataset.load(context.dataHome(), DataSet.MNIST, ImageDataset.Split.TRAIN, context::info)
                .head(settings.images());
        try (NDManager manager = NDManager.newBaseManager(context.device())) {
            NDArray images = train.images(manager);
            NDArray labels = train.labels(manager);
            double[] plain = accumulation(context, MnistCnn::build, images, labels, settings);
            double[] batchNorm = accumulation(context, () -> ImprovedMnistCnn.build(true, 0f), images, labels, settings);
            double[] parallel = dataParallel(context, images, labels, settings, result);
            double tensorParallel = tensorParallelMlp(images, manager, context.config().seed());
            Memory memory = memory(context, images, settings);
            result.metric("accumulation_max_relative_difference", max(plain))
                    .metric("accumulation_batch_norm_min_relative_difference", min(batchNorm))
                    .metric("data_parallel_max_relative_difference", parallel[0])
                    .metric("replicas_max_weight_difference", parallel[1])
                    .metric("zero1_max_relative_weight_difference", parallel[2])
                    .metric("zero1_state_bytes_worker_share", parallel[3])
                    .metric("single_vs_replicas_max_relative_weight_difference", parallel[4])
                    .metric("tensor_parallel_relative_difference", tensorParallel)
                    .metric("memory_parameters", memory.parameters())
                    .metric("bytes_per_parameter_counted", memory.counted())
                    .metric("bytes_per_parameter_weights_rss", memory.rss()[0])
                    .metric("bytes_per_parameter_gradients_rss", memory.rss()[1])
                    .metric("bytes_per_parameter_adam_rss", memory.rss()[2])
                    .metric("bytes_per_parameter_rss", memory.rss()[0] + memory.rss()[1] + memory.rss()[2]);
            plot(context, result, plain, batchNorm);
            context.info(String.format("accumulation: max relative difference %.2e (batch norm: at least %.2e); "
                            + "data parallel %.2e; replicas differ by %.1e; ZeRO-1 %.2e; tensor parallel %.2e; "
                            + "bytes per parameter %.1f counted, %.1f / %.1f / %.1f resident",
                    max(plain), min(batchNorm), parallel[0], parallel[1], parallel[2], tensorParallel, memory.counted(),
                    memory.rss()[0], memory.rss()[1], memory.rss()[2]));
            addClaims(result, context.quick(), plain, batchNorm, parallel, tensorParallel, memory);
        }
        return result.build();
    }

    /**
     * For each large batch: the gradient of its mean loss in one pass, and the sum of the gradients
     * of k micro-batches' mean losses divided by k, accumulated by the engine's backward passes
     * without a step in between. Returns their relative differences.
     */
    private static double[] accumulation(RunContext context, Supplier<Block> block, NDArray images, NDArray labels,
                                         Settings settings) {
        int k = settings.microBatches();
        int large = settings.microBatch() * k;
        double[] differences = new double[settings.batches()];
        try (Replica replica = Replica.of(context, block.get(), 1f)) {
            for (int b = 0; b < settings.batches(); b++) {
                int from = b * large % (int) (images.getShape().get(0) - large + 1);
                replica.backward(images, labels, from, from + large, 1f);
                float[] whole = Gradients.flat(replica.block());
                Gradients.zero(replica.block());
                for (int m = 0; m < k; m++) {
                    int start = from + m * settings.microBatch();
                    replica.backward(images, labels, start, start + settings.microBatch(), 1f / k);
                }
                differences[b] = Gradients.relativeDifference(Gradients.flat(replica.block()), whole);
                Gradients.zero(replica.block());
            }
        }
        return differences;
    }

    /**
     * Three copies of one network take {@code batches} Adam steps: one on each full batch; two
     * replicas on one half each, after averaging their gradients (the all-reduce); and a ZeRO-1 pair,
     * which averages the same way but where each worker keeps Adam's moments for half of the
     * parameter values only, updates that half and sends it to the other (the all-gather). Returns
     * {max relative gradient difference averaged vs full, max |w| difference between the replicas over all steps,
     * max relative weight difference ZeRO-1 vs replica over all steps, worker 0's share of the state bytes,
     * max relative weight difference single vs replica}.
     */
    private static double[] dataParallel(RunContext context, NDArray images, NDArray labels, Settings settings,
                                         Result.Builder result) {
        int large = settings.microBatch() * settings.microBatches();
        int half = large / 2;
        double gradientDifference = 0;
        double replicaDifference = 0;
        double shardDifference = 0;
        try (Replica single = Replica.of(context, MnistCnn.build(), 1e-3f);
             Replica first = Replica.of(context, MnistCnn.build(), 1e-3f);
             Replica second = Replica.of(context, MnistCnn.build(), 1e-3f);
             Replica sharded = Replica.of(context, MnistCnn.build(), 1e-3f)) {
            for (Replica copy : List.of(first, second, sharded)) {
                Weights.copy(single.block(), copy.block());
            }
            float[] weights = Weights.flat(sharded.block());
            int split = weights.length / 2;
            CheckpointedAdam[] shardOptimizers = {new CheckpointedAdam(1e-3f), new CheckpointedAdam(1e-3f)};
            try (NDManager shards = NDManager.newBaseManager(context.device())) {
                for (int step = 0; step < settings.batches(); step++) {
                    int from = step * large % (int) (images.getShape().get(0) - large + 1);
                    single.backward(images, labels, from, from + large, 1f);
                    // The all-reduce is checked against the full batch's gradient at the replicas' own weights: the
                    // single network's weights drift from theirs by float rounding (about 1e-5 after 30 steps), and
                    // comparing at different weights measured that drift (0.0017 in the first full run), not the
                    // averaging.
                    first.backward(images, labels, from, from + large, 1f);
                    float[] whole = Gradients.flat(first.block());
                    Gradients.zero(first.block());
                    first.backward(images, labels, from, from + half, 1f);
                    second.backward(images, labels, from + half, from + large, 1f);
                    float[] averaged = average(Gradients.flat(first.block()), Gradients.flat(second.block()));
                    gradientDifference = Math.max(gradientDifference, Gradients.relativeDifference(averaged, whole));
                    Gradients.set(first.block(), averaged);
                    Gradients.set(second.block(), averaged);
                    single.trainer().step();
                    first.trainer().step();
                    second.trainer().step();
                    // ZeRO-1: worker w updates only values [w·split, ...) with its own Adam, then all-gather.
                    for (int w = 0; w < 2; w++) {
                        int start = w == 0 ? 0 : split;
                        int end = w == 0 ? split : weights.length;
                        NDArray shard = shards.create(java.util.Arrays.copyOfRange(weights, start, end));
                        NDArray gradient = shards.create(java.util.Arrays.copyOfRange(averaged, start, end));
                        shardOptimizers[w].update("shard", shard, gradient);
                        System.arraycopy(shard.toFloatArray(), 0, weights, start, end - start);
                    }
                    Weights.set(sharded.block(), weights);
                    // The claims speak of the weights after every step, so they are compared after every step.
                    float[] replica = Weights.flat(first.block());
                    replicaDifference = Math.max(replicaDifference,
                            Gradients.relativeMaxDifference(Weights.flat(second.block()), replica) * maxAbs(replica));
                    shardDifference = Math.max(shardDifference, Gradients.relativeDifference(weights, replica));
                }
            }
            long fullState = first.optimizer().stateBytes();
            return new double[] {gradientDifference, replicaDifference, shardDifference,
                    (double) shardOptimizers[0].stateBytes() / fullState,
                    Gradients.relativeDifference(Weights.flat(single.block()), Weights.flat(first.block()))};
        }
    }

    /**
     * Megatron-LM's MLP split over two devices: Y = GELU(X·A)·B with A split by columns and B by rows
     * gives Y = GELU(X·A1)·B1 + GELU(X·A2)·B2 (the sum is the one all-reduce). X: 256 MNIST images;
     * A (784 x 512) and B (512 x 10) random. Returns the relative difference to the whole MLP.
     */
    private static double tensorParallelMlp(NDArray images, NDManager manager, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        NDArray x = images.get(new NDIndex("0:256")).reshape(-1, 784);
        NDArray a = manager.randomNormal(0, 0.05f, new Shape(784, 512), ai.djl.ndarray.types.DataType.FLOAT32);
        NDArray b = manager.randomNormal(0, 0.05f, new Shape(512, 10), ai.djl.ndarray.types.DataType.FLOAT32);
        float[] whole = Activation.gelu(x.matMul(a)).matMul(b).toFloatArray();
        NDArray split = Activation.gelu(x.matMul(a.get(":, 0:256"))).matMul(b.get("0:256, :"))
                .add(Activation.gelu(x.matMul(a.get(":, 256:512"))).matMul(b.get("256:512, :")));
        return Gradients.relativeDifference(split.toFloatArray(), whole);
    }

    /** Parameters of the measured network, bytes per parameter counted from the tensors, and resident growth per stage. */
    record Memory(long parameters, double counted, double[] rss) {}

    /**
     * A stack of dense layers trained one Adam step on one image: the tensors counted (weights,
     * gradients, Adam's m and v), and the resident memory after initialisation, after the first
     * backward pass (gradients appear) and after the first step (Adam's moments appear).
     */
    private static Memory memory(RunContext context, NDArray images, Settings settings) {
        SequentialBlock block = new SequentialBlock().add(ai.djl.nn.Blocks.batchFlattenBlock());
        for (int layer = 0; layer < settings.memoryLayers(); layer++) {
            block.add(Linear.builder().setUnits(settings.memoryWidth()).build()).add(Activation::relu);
        }
        block.add(Linear.builder().setUnits(10).build());
        long before = ResidentMemory.current().orElse(0L);
        try (Replica replica = Replica.of(context, block, 1e-3f)) {
            long weights = ResidentMemory.current().orElse(0L);
            replica.backward(images, images.getManager().create(new float[] {0}), 0, 1, 1f);
            long gradients = ResidentMemory.current().orElse(0L);
            long gradientBytes = 0;
            for (var parameter : replica.block().getParameters()) {
                NDArray gradient = parameter.getValue().getArray().getGradient();
                gradientBytes += gradient.size() * gradient.getDataType().getNumOfBytes();
            }
            replica.trainer().step();
            long adam = ResidentMemory.current().orElse(0L);
            long n = ParameterCount.of(replica.block());
            double counted = (4.0 * n + gradientBytes + replica.optimizer().stateBytes()) / n;
            return new Memory(n, counted, new double[] {(double) (weights - before) / n,
                    (double) (gradients - weights) / n, (double) (adam - gradients) / n});
        }
    }

    private static void plot(RunContext context, Result.Builder result, double[] plain, double[] batchNorm) {
        double[] x = new double[plain.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("no batch norm", floor(plain));
        series.put("with batch norm", floor(batchNorm));
        series.put("1e-6", java.util.stream.DoubleStream.generate(() -> SAME).limit(x.length).toArray());
        Charts.lines(context.file("accumulation.png"), "accumulated micro-batch gradients vs one large batch",
                "large batch", "max relative difference (log)", x, series, true);
        result.artifact("accumulation.png");
    }

    private static void addClaims(Result.Builder result, boolean quick, double[] plain, double[] batchNorm,
                                  double[] parallel, double tensorParallel, Memory memory) {
        result.claim(Claim.check("Accumulating the gradients of k micro-batches (each loss divided by k) gives the "
                        + "gradient of one batch k times larger, to a relative 1e-6",
                "把 k 个微批次的梯度累加（每个损失除以 k），得到的就是 k 倍大批次的梯度，相对误差在 1e-6 以内",
                max(plain) <= SAME, Claim.values("max_relative_difference", max(plain))));
        result.claim(Claim.check("With batch norm it does not: each micro-batch is normalised with its own mean and "
                        + "variance, and the gradients differ by more than 1e-3",
                "有批归一化时就不成立：每个微批次用自己的均值和方差归一化，梯度相差超过 1e-3",
                min(batchNorm) > 1e-3, Claim.values("min_relative_difference", min(batchNorm))));
        result.claim(Claim.check("Two data-parallel replicas that average the gradients of their half batches get the "
                        + "full batch's gradient (to 1e-6), and after the same steps their weights are identical",
                "两个数据并行副本各算半个批次的梯度并取平均，得到全批次的梯度（误差在 1e-6 以内），走同样的步之后权重完全相同",
                parallel[0] <= SAME && parallel[1] == 0,
                Claim.values("max_relative_gradient_difference", parallel[0], "max_weight_difference", parallel[1])));
        result.claim(Claim.check("ZeRO stage 1: with Adam's moments split between the two workers (each holds half), "
                        + "the weights after every step equal those of unsplit Adam (to 1e-6)",
                "ZeRO 第一阶段：Adam 的两个矩在两个工作进程之间切分（各存一半），每一步之后的权重与不切分的 Adam 相同（误差在 1e-6 以内）",
                parallel[2] <= SAME && Math.abs(parallel[3] - 0.5) < 1e-3,
                Claim.values("max_relative_weight_difference", parallel[2], "state_share_worker_0", parallel[3])));
        result.claim(Claim.check("Megatron-style tensor parallelism: an MLP whose first matrix is split by columns and "
                        + "second by rows over two devices, with the partial outputs summed, equals the whole MLP (to 1e-6)",
                "Megatron 式张量并行：MLP 的第一个矩阵按列、第二个按行切到两个设备上，部分输出相加后等于完整的 MLP（误差在 1e-6 以内）",
                tensorParallel <= SAME, Claim.values("relative_difference", tensorParallel)));
        double rss = memory.rss()[0] + memory.rss()[1] + memory.rss()[2];
        result.claim(Claim.checkUnlessQuick(quick, "Training in fp32 with Adam holds 16 bytes per parameter (4 weights, "
                        + "4 gradients, 8 for Adam's two moments): counted from the tensors, and within 10% in the "
                        + "process's resident memory",
                "用 Adam 做 fp32 训练，每个参数占 16 字节（权重 4、梯度 4、Adam 的两个矩 8）：按张量计数如此，进程常驻内存的增长也在 10% 以内",
                memory.counted() == 16 && Math.abs(rss - 16) <= 1.6,
                Claim.values("counted_bytes_per_parameter", memory.counted(), "resident_bytes_per_parameter", rss,
                        "weights", memory.rss()[0], "gradients", memory.rss()[1], "adam", memory.rss()[2])));
    }

    /** A network with its trainer and Adam, initialised from the run's seed; gradients read without steps. */
    private record Replica(Model model, Trainer trainer, CheckpointedAdam optimizer) implements AutoCloseable {
        static Replica of(RunContext context, Block block, float learningRate) {
            Model model = Model.newInstance("replica", context.device());
            model.setBlock(block);
            CheckpointedAdam optimizer = new CheckpointedAdam(learningRate);
            Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(optimizer).optDevices(new ai.djl.Device[] {context.device()}));
            Engine.getInstance().setRandomSeed((int) context.config().seed());
            trainer.initialize(MnistCnn.inputShape(1));
            return new Replica(model, trainer, optimizer);
        }

        Block block() {
            return model.getBlock();
        }

        /** Adds the gradient of scale x (mean loss over images [from, to)) to the parameters' gradients. */
        void backward(NDArray images, NDArray labels, int from, int to, float scale) {
            try (NDManager batch = trainer.getManager().newSubManager();
                 GradientCollector collector = trainer.newGradientCollector()) {
                NDArray x = images.get(batch, new NDIndex().addSliceDim(from, to));
                NDArray y = labels.get(batch, new NDIndex().addSliceDim(from, to));
                NDArray output = trainer.forward(new NDList(x)).singletonOrThrow();
                collector.backward(trainer.getLoss().evaluate(new NDList(y), new NDList(output)).mul(scale));
            }
        }

        @Override
        public void close() {
            trainer.close();
            model.close();
        }
    }

    private static float[] average(float[] a, float[] b) {
        float[] mean = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            mean[i] = (a[i] + b[i]) / 2;
        }
        return mean;
    }

    private static double maxAbs(float[] values) {
        double max = 0;
        for (float value : values) {
            max = Math.max(max, Math.abs(value));
        }
        return max;
    }

    private static double max(double[] values) {
        return java.util.Arrays.stream(values).max().orElse(Double.NaN);
    }

    private static double min(double[] values) {
        return java.util.Arrays.stream(values).min().orElse(Double.NaN);
    }

    /** Values below 1e-12 drawn at 1e-12: a log axis has no 0. */
    private static double[] floor(double[] values) {
        return java.util.Arrays.stream(values).map(v -> Math.max(v, 1e-12)).toArray();
    }
}
