package dlbank.experiment.lab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import dlbank.data.DataSet;
import dlbank.data.ImageDataset;
import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.model.MnistCnn;
import dlbank.model.MultiplyAdds;
import dlbank.model.ParameterCount;
import dlbank.model.VisionTransformer;
import dlbank.report.Charts;
import dlbank.report.OverlayPictures;
import dlbank.train.FitLoop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A tiny Vision Transformer (dlbank.model.VisionTransformer) against task/mnist-cnn's CNN, of about
 * the same number of parameters, on Fashion-MNIST with 1,000 labels and with the whole training set:
 * the CNN's built-in locality and weight sharing pay most when data is scarce, the ViT has to learn
 * them (Dosovitskiy et al., 2021, found ViT behind ResNets on ImageNet's 1.3M images and ahead only
 * after pretraining on 14M-300M). Then the patch size: 4, 7 or 14 pixels, i.e. 49, 16 or 4 tokens;
 * and where the class token looks in the last block (its attention over the patches, drawn on the image).
 */
public final class VisionTransformerLab implements Experiment {

    public static final String ID = "lab/vision-transformer";
    /**
     * Peak learning rates. The ViT diverged (NaN loss in its second epoch) at the CNN's constant 1e-3
     * with batch 64; Transformers are trained with a smaller rate, a warm-up and a decay (Dosovitskiy
     * et al. and DeiT use warm-up and cosine decay), and both networks here get the same schedule.
     */
    static final float CNN_RATE = 1e-3f;
    static final float VIT_RATE = 5e-4f;
    /** Share of the steps over which the rate rises linearly from 0 to its peak. */
    static final double WARM_UP = 0.05;
    /** Patch sides tried; the first is the main model's. */
    static final int[] PATCHES = {4, 7, 14};

    /**
     * @param fewLabels labelled images of the small budget, the same number of each class
     * @param manyLabels training images of the large budget (the rest of the 60,000 watch training as validation)
     */
    record Settings(int fewLabels, int manyLabels, int validationImages, int testImages, int fewEpochs, int manyEpochs,
                    int batchSize, int dim, int depth, int heads, int mlpDim, int mapImages) {
        static Settings of(RunContext context) {
            int batch = context.config().batchSizeOr(64);
            return context.quick()
                    ? new Settings(100, 600, 100, 500, 2, context.config().epochsOr(1), batch, 32, 2, 4, 64, 100)
                    : new Settings(1_000, 59_000, 1_000, 10_000, 30, context.config().epochsOr(4), batch, 64, 4, 4, 128, 1_000);
        }

        VisionTransformer.Config vit(int patch) {
            return new VisionTransformer.Config(28, patch, dim, depth, heads, mlpDim, 10);
        }
    }

    /** One trained model's figures. */
    record Trained(double accuracy, long parameters, double secondsPerEpoch) {}

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "tiny ViT vs CNN on Fashion-MNIST with 1,000 and 59,000 labels; patch size; attention maps";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/vision-transformer");
    }

    @Override
    public List<String> headlineMetrics() {
        return List.of("accuracy_cnn_few", "accuracy_vit_few", "accuracy_cnn_many", "accuracy_vit_many");
    }

    @Override
    public Result run(RunContext context) throws Exception {
        Settings settings = Settings.of(context);
        long seed = context.config().seed();
        Result.Builder result = Result.builder().config("cnn", "task/mnist-cnn's network (conv 32, pool, conv 64, pool, dense 64, dense 10)")
                .config("vit", String.format("patch %d, width %d, %d pre-norm blocks of %d heads, MLP %d, class token, learned positions",
                        PATCHES[0], settings.dim(), settings.depth(), settings.heads(), settings.mlpDim()))
                .config("few_labels", settings.fewLabels()).config("many_labels", settings.manyLabels())
                .config("epochs", "few labels " + settings.fewEpochs() + ", many labels " + settings.manyEpochs())
                .config("optimizer", "Adam, peak learning rate 1e-3 (CNN) and 5e-4 (ViT), linear warm-up over the first "
                        + (int) (100 * WARM_UP) + "% of the steps, then cosine decay to 0; batch " + settings.batchSize());
        ImageDataset all = ImageDataset.load(context.dataHome(), DataSet.FASHION_MNIST, ImageDataset.Split.TRAIN, context::info);
        ImageDataset test = ImageDataset.load(context.dataHome(), DataSet.FASHION_MNIST, ImageDataset.Split.TEST, context::info)
                .head(settings.testImages());
        int many = Math.min(settings.manyLabels(), all.size() - settings.validationImages());
        ImageDataset manyTrain = all.range(0, many);
        ImageDataset validation = all.range(many, many + settings.validationImages());
        // The few labelled images: the same number of each class, drawn from the training images.
        ImageDataset few = manyTrain.select(manyTrain.balancedSample(settings.fewLabels() / 10, seed));

        Map<String, Trained> runs = new LinkedHashMap<>();
        runs.put("cnn_few", train(context, "cnn-few", MnistCnn::build, few, validation, test, settings.fewEpochs(), settings, null));
        runs.put("vit_few", train(context, "vit-few", () -> new VisionTransformer(settings.vit(PATCHES[0])), few, validation, test,
                settings.fewEpochs(), settings, null));
        runs.put("cnn_many", train(context, "cnn-many", MnistCnn::build, manyTrain, validation, test, settings.manyEpochs(), settings, null));
        float[][] attention = new float[1][];
        runs.put("vit_many", train(context, "vit-many", () -> new VisionTransformer(settings.vit(PATCHES[0])), manyTrain,
                validation, test, settings.manyEpochs(), settings, block -> attention[0] = classAttention(block, test, settings)));
        for (int p = 1; p < PATCHES.length; p++) {
            int patch = PATCHES[p];
            runs.put("vit_many_patch" + patch, train(context, "vit-many-patch" + patch,
                    () -> new VisionTransformer(settings.vit(patch)), manyTrain, validation, test, settings.manyEpochs(), settings, null));
        }
        runs.forEach((name, trained) -> result.metric("accuracy_" + name, trained.accuracy())
                .metric("parameters_" + name, trained.parameters()).metric("seconds_per_epoch_" + name, trained.secondsPerEpoch()));
        double[] patchAccuracy = new double[PATCHES.length];
        double[] patchMultiplyAdds = new double[PATCHES.length];
        for (int p = 0; p < PATCHES.length; p++) {
            patchAccuracy[p] = runs.get(p == 0 ? "vit_many" : "vit_many_patch" + PATCHES[p]).accuracy();
            patchMultiplyAdds[p] = settings.vit(PATCHES[p]).multiplyAdds();
            result.metric("multiply_adds_vit_patch" + PATCHES[p], patchMultiplyAdds[p]);
        }
        long cnnMultiplyAdds;
        try (NDManager manager = NDManager.newBaseManager()) {
            ai.djl.nn.SequentialBlock cnn = MnistCnn.build();
            cnn.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, MnistCnn.inputShape(1));
            cnnMultiplyAdds = MultiplyAdds.forward(cnn, MnistCnn.inputShape(1));
        }
        result.metric("multiply_adds_cnn", cnnMultiplyAdds);
        double objectShare = attention[0][0];
        double attentionOnObject = attention[0][1];
        result.metric("object_patch_share", objectShare).metric("class_attention_on_object", attentionOnObject);
        plot(context, result, settings, runs, patchAccuracy, test, java.util.Arrays.copyOfRange(attention[0], 2, attention[0].length));
        addClaims(result, context.quick(), runs, patchAccuracy, patchMultiplyAdds, objectShare, attentionOnObject);
        return result.build();
    }

    /** Trains one network and measures it; {@code after} reads the trained block before it is closed (may be null). */
    private static Trained train(RunContext context, String name, Supplier<Block> block, ImageDataset train,
                                 ImageDataset validation, ImageDataset test, int epochs, Settings settings,
                                 java.util.function.Consumer<Block> after) {
        context.info("== " + name + " (" + String.format("%,d", train.size()) + " labelled images, " + epochs + " epochs)");
        Block network = block.get();
        float rate = network instanceof VisionTransformer ? VIT_RATE : CNN_RATE;
        try (LabTraining.Classifier model = LabTraining.classifier(context, name, network, Loss.softmaxCrossEntropyLoss(),
                rate, settings.batchSize())) {
            int steps = epochs * ((train.size() + settings.batchSize() - 1) / settings.batchSize());
            int warmUp = Math.max(1, (int) (WARM_UP * steps));
            model.optimizer().withSchedule(step -> step < warmUp ? (float) step / warmUp
                    : (float) (0.5 * (1 + Math.cos(Math.PI * (step - warmUp) / Math.max(1, steps - warmUp)))));
            NDManager manager = model.manager();
            FitLoop loop = model.loop(FitLoop.argmaxScorer());
            FitLoop.Outcome outcome = loop.fit(new FitLoop.Data(train.images(manager), train.labels(manager)),
                    new FitLoop.Data(validation.images(manager), validation.labels(manager)),
                    new FitLoop.Settings(epochs, settings.batchSize(), context.config().seed(), 0,
                            context.checkpointDir().resolve(name), context.resume()));
            double accuracy = loop.evaluate(new FitLoop.Data(test.images(manager), test.labels(manager)), 500).accuracy();
            if (after != null) {
                after.accept(model.block());
            }
            double seconds = outcome.history().stream().mapToDouble(FitLoop.EpochStats::seconds).average().orElse(Double.NaN);
            context.info(String.format("%s: test accuracy %.4f, %,d parameters, %.1f s per epoch", name, accuracy,
                    ParameterCount.of(model.block()), seconds));
            return new Trained(accuracy, ParameterCount.of(model.block()), seconds);
        }
    }

    /**
     * The last block's attention from the class token to each patch, averaged over heads, for the
     * first {@code mapImages} test images. Returns {share of patches holding the object, share of the
     * class token's attention on those patches, then the first 8 images' maps (patches each)}. A patch
     * holds the object when its mean brightness is at least 0.1 (the background is black).
     */
    static float[] classAttention(Block block, ImageDataset test, Settings settings) {
        VisionTransformer vit = (VisionTransformer) block;
        int patches = vit.config().patches();
        int patch = vit.config().patch();
        int side = 28 / patch;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray images = test.head(settings.mapImages()).images(manager);
            NDList outputs = vit.forwardWithAttention(new ParameterStore(manager, false), images, false);
            NDArray last = outputs.get(outputs.size() - 1);                                 // (B, H, T, T)
            float[] toPatches = last.get(new NDIndex(":, :, 0, 1:")).mean(new int[] {1}).toFloatArray(); // (B, N)
            float[] brightness = images.reshape(images.getShape().get(0), side, patch, side, patch)
                    .mean(new int[] {4}).mean(new int[] {2}).toFloatArray();                                // (B, side, side)
            double objectPatches = 0;
            double onObject = 0;
            int count = (int) images.getShape().get(0);
            for (int i = 0; i < count * patches; i++) {
                boolean object = brightness[i] >= 0.1f;
                objectPatches += object ? 1 : 0;
                onObject += object ? toPatches[i] : 0;
            }
            float[] out = new float[2 + 8 * patches];
            out[0] = (float) (objectPatches / (count * patches));
            // The class token's weights over the patches sum to less than 1: it also attends to itself.
            double total = 0;
            for (float weight : toPatches) {
                total += weight;
            }
            out[1] = (float) (onObject / total);
            System.arraycopy(toPatches, 0, out, 2, Math.min(8, count) * patches);
            return out;
        }
    }

    private static void plot(RunContext context, Result.Builder result, Settings settings, Map<String, Trained> runs,
                             double[] patchAccuracy, ImageDataset test, float[] maps) {
        Map<String, double[]> accuracy = new LinkedHashMap<>();
        accuracy.put("CNN", new double[] {runs.get("cnn_few").accuracy(), runs.get("cnn_many").accuracy()});
        accuracy.put("ViT, patch " + PATCHES[0], new double[] {runs.get("vit_few").accuracy(), runs.get("vit_many").accuracy()});
        Charts.bars(context.file("accuracy_by_labels.png"), "Fashion-MNIST test accuracy: CNN vs ViT", "labelled training images",
                "test accuracy", List.of(String.format("%,d", settings.fewLabels()), String.format("%,d", settings.manyLabels())),
                accuracy, 0.5);
        Map<String, double[]> patches = new LinkedHashMap<>();
        patches.put("test accuracy", patchAccuracy);
        Charts.bars(context.file("patch_size.png"), "ViT test accuracy by patch size (" + String.format("%,d", settings.manyLabels())
                + " labels)", "patch side (tokens)", "test accuracy",
                java.util.Arrays.stream(PATCHES).mapToObj(p -> p + " px (" + (28 / p) * (28 / p) + ")").toList(), patches, 0.5);
        int patch = PATCHES[0];
        int side = 28 / patch;
        int patchCount = side * side;
        List<OverlayPictures.ColourImage> tiles = new ArrayList<>();
        for (int i = 0; i < maps.length / patchCount; i++) {
            float[] image = new float[784];
            for (int k = 0; k < 784; k++) {
                image[k] = (test.pixels()[i * 784 + k] & 0xff) / 255f;
            }
            float max = 1e-12f;
            for (int k = 0; k < patchCount; k++) {
                max = Math.max(max, maps[i * patchCount + k]);
            }
            float[] heat = new float[784];
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    heat[y * 28 + x] = maps[i * patchCount + (y / patch) * side + x / patch] / max;
                }
            }
            tiles.add(new OverlayPictures.ColourImage(OverlayPictures.grey(image), 28, 28, "image"));
            tiles.add(new OverlayPictures.ColourImage(OverlayPictures.heat(image, heat), 28, 28, "class token"));
        }
        OverlayPictures.colourGrid(context.file("attention_maps.png"),
                "Last block: the class token's attention over the patches (mean of the heads; red = most)", tiles, 4, 4);
        result.artifact("accuracy_by_labels.png").artifact("patch_size.png").artifact("attention_maps.png");
    }

    private static void addClaims(Result.Builder result, boolean quick, Map<String, Trained> runs, double[] patchAccuracy,
                                  double[] patchMultiplyAdds, double objectShare, double attentionOnObject) {
        double gapFew = runs.get("cnn_few").accuracy() - runs.get("vit_few").accuracy();
        double gapMany = runs.get("cnn_many").accuracy() - runs.get("vit_many").accuracy();
        result.claim(Claim.checkUnlessQuick(quick, "With 1,000 labels the CNN beats the ViT of about the same size by at "
                        + "least 3 points: locality and weight sharing are built into the CNN and must be learned by the ViT",
                "只有 1,000 个标签时，CNN 比参数量相近的 ViT 高至少 3 个百分点：局部性和权重共享是 CNN 自带的，ViT 只能从数据里学",
                gapFew >= 0.03, Claim.values("accuracy_cnn_few", runs.get("cnn_few").accuracy(),
                        "accuracy_vit_few", runs.get("vit_few").accuracy(), "gap_few", gapFew)));
        result.claim(Claim.checkUnlessQuick(quick, "The gap narrows with more data: with the whole training set the CNN's "
                        + "lead over the ViT is smaller than with 1,000 labels",
                "数据越多差距越小：用完整训练集时，CNN 对 ViT 的领先幅度小于 1,000 个标签时",
                gapMany < gapFew, Claim.values("gap_few", gapFew, "gap_many", gapMany)));
        int last = PATCHES.length - 1;
        result.claim(Claim.checkUnlessQuick(quick, "Smaller patches mean more tokens, better accuracy and more compute: "
                        + "patch 4 (49 tokens) beats patch 14 (4 tokens) at several times the multiply-adds",
                "patch 越小，token 越多，准确率越高、计算量也越大：patch 4（49 个 token）胜过 patch 14（4 个 token），乘加次数是它的数倍",
                patchAccuracy[0] > patchAccuracy[last] && patchMultiplyAdds[0] >= 3 * patchMultiplyAdds[last],
                Claim.values("accuracy_patch4", patchAccuracy[0], "accuracy_patch7", patchAccuracy[1], "accuracy_patch14",
                        patchAccuracy[last], "multiply_adds_patch4", patchMultiplyAdds[0], "multiply_adds_patch14",
                        patchMultiplyAdds[last])));
        result.claim(Claim.checkUnlessQuick(quick, "The class token looks at the object: in the last block, the share of "
                        + "its attention on patches that hold the garment exceeds those patches' share of the image",
                "CLS token 关注的是物体本身：最后一层中，它分给含衣物 patch 的注意力占比高于这些 patch 在整幅图中的占比",
                attentionOnObject > objectShare, Claim.values("class_attention_on_object", attentionOnObject,
                        "object_patch_share", objectShare)));
    }
}
