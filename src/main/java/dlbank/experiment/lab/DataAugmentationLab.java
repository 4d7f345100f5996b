package dlbank.experiment.lab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dlbank.data.Augmenter;
import dlbank.data.ImageDataset;
import dlbank.eval.Predictions;
import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.model.MnistCnn;
import dlbank.report.Charts;
import dlbank.report.Pictures;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Data augmentation with only 1,000 labelled MNIST images: the task's CNN trained on the plain
 * images and on images shifted, rotated a little and given pixel noise anew in every batch
 * (Simard, Steinkraus &amp; Platt, 2003), both tested on the full test set; and what a transform
 * that does not keep the label, a horizontal flip, does to a digit classifier.
 */
public final class DataAugmentationLab implements Experiment {

    public static final String ID = "lab/data-augmentation";
    /** Shifts of up to 2 pixels, rotations of up to 10 degrees, noise of standard deviation 0.05; no flips. */
    static final Augmenter AUGMENTER = new Augmenter(2, 10, 0.05);

    record Settings(int trainImages, int validationImages, int testImages, int epochs, int batchSize, float learningRate) {
        static Settings of(RunContext context) {
            return context.quick()
                    ? new Settings(300, 300, 1_000, context.config().epochsOr(3), context.config().batchSizeOr(64), 1e-3f)
                    : new Settings(1_000, 1_000, 10_000, context.config().epochsOr(40), context.config().batchSizeOr(64),
                            1e-3f);
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "the task's CNN on 1,000 MNIST images with and without augmentation; what flips do";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/data-augmentation");
    }

    @Override
    public Result run(RunContext context) {
        Settings s = Settings.of(context);
        MnistLab.Splits splits = MnistLab.load(context, s.trainImages(), s.validationImages(), s.testImages());
        ImageDataset flipped = mirrored(splits.test());
        Result.Builder result = Result.builder().config("model", "task/mnist-cnn's CNN")
                .config("train_images", splits.train().size()).config("validation_images", splits.validation().size())
                .config("test_images", splits.test().size()).config("epochs", s.epochs())
                .config("batch_size", s.batchSize()).config("learning_rate", s.learningRate())
                .config("optimizer", "adam, the epoch with the lowest validation loss kept")
                .config("augmentation", String.format("every training batch anew: shift up to %.0f px, rotation up to "
                        + "%.0f degrees, Gaussian pixel noise sd %.2f; no flips", AUGMENTER.maxShift(),
                        AUGMENTER.maxDegrees(), AUGMENTER.noise()));
        Map<String, MnistLab.Trained> trained = new LinkedHashMap<>();
        Map<String, Double> flippedAccuracy = new LinkedHashMap<>();
        for (String variant : List.of("plain", "augmented")) {
            Random random = new Random(context.config().seed() * 7919 + 1);
            MnistLab.Recipe recipe = new MnistLab.Recipe(variant, MnistCnn::build, s.epochs(), s.batchSize(),
                    s.learningRate(), 0, true);
            trained.put(variant, MnistLab.train(context, splits, recipe, (loop, block) -> {
                if (variant.equals("augmented")) {
                    loop.withTransform((x, y, batch) -> new NDList(augmented(x, random, batch), y));
                }
            }, block -> flippedAccuracy.put(variant, accuracy(block, flipped))));
        }
        trained.forEach((variant, outcome) -> result.metric("test_accuracy_" + variant, outcome.testAccuracy())
                .metric("train_accuracy_" + variant, outcome.trainAccuracy()).metric("gap_" + variant, outcome.gap())
                .metric("flipped_test_accuracy_" + variant, flippedAccuracy.get(variant))
                .metric("best_epoch_" + variant, outcome.outcome().bestEpoch()));
        double gain = trained.get("augmented").testAccuracy() - trained.get("plain").testAccuracy();
        result.metric("gain", gain);
        plot(context, result, splits, trained, flippedAccuracy);
        addClaims(result, context.quick(), trained, flippedAccuracy);
        return result.build();
    }

    /** The batch (B, 1, 28, 28) with each image changed at random, on the host. */
    private static NDArray augmented(NDArray images, Random random, NDManager batch) {
        Shape shape = images.getShape();
        float[] pixels = images.toFloatArray();
        AUGMENTER.apply(pixels, (int) shape.get(0), (int) shape.get(2), (int) shape.get(3), random);
        return batch.create(pixels, shape);
    }

    /** Every image mirrored left to right, labels unchanged. */
    static ImageDataset mirrored(ImageDataset set) {
        byte[] pixels = new byte[set.pixels().length];
        int w = set.width();
        for (int row = 0; row < pixels.length / w; row++) {
            for (int x = 0; x < w; x++) {
                pixels[row * w + x] = set.pixels()[row * w + (w - 1 - x)];
            }
        }
        return new ImageDataset(set.name() + "-mirrored", pixels, set.labels(), set.height(), w, set.classes());
    }

    private static double accuracy(Block block, ImageDataset set) {
        NDManager owner = block.getParameters().valueAt(0).getArray().getManager();
        try (NDManager manager = owner.newSubManager()) {
            int[] predicted = Predictions.argmax(Predictions.probabilities(block, manager, set.images(manager), 1_000));
            long correct = 0;
            for (int i = 0; i < predicted.length; i++) {
                correct += predicted[i] == set.label(i) ? 1 : 0;
            }
            return (double) correct / predicted.length;
        }
    }

    private static void plot(RunContext context, Result.Builder result, MnistLab.Splits splits,
                             Map<String, MnistLab.Trained> trained, Map<String, Double> flipped) {
        List<String> variants = List.copyOf(trained.keySet());
        Map<String, double[]> bars = new LinkedHashMap<>();
        bars.put("training images", trained.values().stream().mapToDouble(MnistLab.Trained::trainAccuracy).toArray());
        bars.put("test images", trained.values().stream().mapToDouble(MnistLab.Trained::testAccuracy).toArray());
        bars.put("mirrored test images", flipped.values().stream().mapToDouble(Double::doubleValue).toArray());
        Charts.bars(context.file("accuracy.png"), "accuracy with and without augmentation ("
                + splits.train().size() + " training images)", "training data", "accuracy", variants, bars, 0.0);
        // Eight training digits, then three augmented versions of each, and the mirrored ones.
        ImageDataset first = splits.train().head(8);
        float[] originals = toFloats(first);
        List<float[]> images = new ArrayList<>();
        Random random = new Random(1);
        for (int version = 0; version < 4; version++) {
            float[] pixels = originals.clone();
            if (version > 0) {
                AUGMENTER.apply(pixels, 8, 28, 28, random);
            }
            for (int i = 0; i < 8; i++) {
                images.add(java.util.Arrays.copyOfRange(pixels, i * 784, (i + 1) * 784));
            }
        }
        float[] mirroredPixels = toFloats(mirrored(first));
        for (int i = 0; i < 8; i++) {
            images.add(java.util.Arrays.copyOfRange(mirroredPixels, i * 784, (i + 1) * 784));
        }
        Pictures.imageGrid(context.file("augmented_examples.png"), "row 1: training digits; rows 2-4: augmented "
                + "(label kept); row 5: mirrored (not a label-keeping change)", images, 28, 28, 8, 3);
        result.artifact("accuracy.png").artifact("augmented_examples.png");
    }

    private static float[] toFloats(ImageDataset set) {
        float[] values = new float[set.pixels().length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (set.pixels()[i] & 0xff) / 255f;
        }
        return values;
    }

    private static void addClaims(Result.Builder result, boolean quick, Map<String, MnistLab.Trained> trained,
                                  Map<String, Double> flipped) {
        MnistLab.Trained plain = trained.get("plain");
        MnistLab.Trained augmented = trained.get("augmented");
        result.claim(Claim.checkUnlessQuick(quick, "Augmentation raises test accuracy when only 1,000 training images "
                        + "are available",
                "只有 1,000 张训练图像时，数据增强能提高测试准确率",
                augmented.testAccuracy() > plain.testAccuracy(), Claim.values("test_accuracy_plain",
                        plain.testAccuracy(), "test_accuracy_augmented", augmented.testAccuracy())));
        result.claim(Claim.checkUnlessQuick(quick, "Both models fit their 1,000 training images almost perfectly "
                        + "(at least 99%); the augmented one shows the smaller gap between training and test accuracy",
                "两个模型都几乎完美地拟合了 1,000 张训练图像（至少 99%）；做了数据增强的模型训练与测试准确率之间的差距更小",
                plain.trainAccuracy() >= 0.99 && augmented.trainAccuracy() >= 0.99 && augmented.gap() < plain.gap(),
                Claim.values("train_accuracy_plain", plain.trainAccuracy(), "train_accuracy_augmented",
                        augmented.trainAccuracy(), "gap_plain", plain.gap(), "gap_augmented", augmented.gap())));
        double drop = augmented.testAccuracy() - flipped.get("augmented");
        result.claim(Claim.checkUnlessQuick(quick, "A horizontal flip does not keep a digit's label: on mirrored test "
                        + "digits the augmented model's accuracy falls by more than 30 points",
                "水平翻转不能保持数字的标签：在左右镜像的测试数字上，做了数据增强的模型准确率下降超过 30 个百分点",
                drop > 0.30, Claim.values("test_accuracy_augmented", augmented.testAccuracy(),
                        "mirrored_test_accuracy_augmented", flipped.get("augmented"))));
    }
}
