package dlbank.experiment.lab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import dlbank.data.ImageDataset;
import dlbank.eval.Predictions;
import dlbank.experiment.RunContext;
import dlbank.model.MnistCnn;
import dlbank.train.FitLoop;

import java.util.ArrayList;
import java.util.List;

/**
 * Pseudo-labelling (Lee, 2013, Pseudo-Label: The Simple and Efficient Semi-Supervised Learning
 * Method for Deep Neural Networks), the semi-supervised baseline of lab/self-supervised: a CNN
 * trained on the few labelled images labels the unlabelled ones, the confident readings are kept,
 * and the CNN continues training on the labelled and the pseudo-labelled images together. The true labels
 * of the unlabelled images are read only to report how many pseudo-labels were right.
 */
final class PseudoLabelling {

    private PseudoLabelling() {}

    /**
     * @param supervisedAccuracy the CNN trained on the labelled images alone
     * @param accuracy the CNN trained on the labelled and pseudo-labelled images
     * @param kept unlabelled images whose pseudo-label was kept
     * @param correctShare of those, the share whose pseudo-label is the true digit
     */
    record Outcome(double supervisedAccuracy, double accuracy, int kept, double correctShare) {}

    static Outcome run(RunContext context, SelfSupervisedLab.Settings settings, ImageDataset labelled,
                       ImageDataset unlabelled, ImageDataset test) {
        List<Integer> keptImages = new ArrayList<>();
        List<Integer> keptLabels = new ArrayList<>();
        int correct = 0;
        try (LabTraining.Classifier supervised = LabTraining.classifier(context, "supervised", MnistCnn.build(),
                Loss.softmaxCrossEntropyLoss(), 1e-3f, 32)) {
            NDManager manager = supervised.manager();
            NDArray x = labelled.images(manager);
            NDArray y = labelled.labels(manager);
            supervised.loop(FitLoop.argmaxScorer()).fit(new FitLoop.Data(x, y), new FitLoop.Data(x, y),
                    new FitLoop.Settings(settings.supervisedEpochs(), 32, context.config().seed(), 0,
                            context.checkpointDir().resolve("supervised"), context.resume()));
            double supervisedAccuracy = Predictions.accuracy(supervised.block(), manager, test.images(manager),
                    test.labelArray(), 1000);
            float[][] probabilities = Predictions.probabilities(supervised.block(), manager, unlabelled.images(manager), 1000);
            int[] predicted = Predictions.argmax(probabilities);
            for (int i = 0; i < predicted.length; i++) {
                if (probabilities[i][predicted[i]] >= settings.confidence()) {
                    keptImages.add(i);
                    keptLabels.add(predicted[i]);
                    correct += predicted[i] == unlabelled.label(i) ? 1 : 0;   // reported, never trained on
                }
            }
            context.info(String.format("CNN on %d labels alone: test accuracy %.4f; it labels %,d of %,d unlabelled "
                            + "images with p >= %.2f (%.1f%% of them correctly)", labelled.size(), supervisedAccuracy,
                    keptImages.size(), unlabelled.size(), settings.confidence(),
                    100.0 * correct / Math.max(1, keptImages.size())));
            double accuracy = retrain(context, settings, supervised, labelled, unlabelled, keptImages, keptLabels, test);
            return new Outcome(supervisedAccuracy, accuracy, keptImages.size(),
                    (double) correct / Math.max(1, keptImages.size()));
        }
    }

    /** Continues from the supervised CNN's weights on the labelled and the pseudo-labelled images together. */
    private static double retrain(RunContext context, SelfSupervisedLab.Settings settings, LabTraining.Classifier supervised,
                                  ImageDataset labelled, ImageDataset unlabelled, List<Integer> keptImages,
                                  List<Integer> keptLabels, ImageDataset test) {
        ImageDataset pseudo = unlabelled.select(keptImages.stream().mapToInt(Integer::intValue).toArray());
        try (LabTraining.Classifier cnn = LabTraining.classifier(context, "pseudo-labelled", MnistCnn.build(),
                Loss.softmaxCrossEntropyLoss(), 1e-3f, settings.batchSize())) {
            dlbank.model.Weights.copy(supervised.block(), cnn.block());
            NDManager manager = cnn.manager();
            float[] labels = new float[labelled.size() + pseudo.size()];
            for (int i = 0; i < labelled.size(); i++) {
                labels[i] = labelled.label(i);
            }
            for (int i = 0; i < pseudo.size(); i++) {
                labels[labelled.size() + i] = keptLabels.get(i);
            }
            NDArray x = labelled.images(manager).concat(pseudo.images(manager), 0);
            NDArray y = manager.create(labels, new Shape(labels.length));
            cnn.loop(FitLoop.argmaxScorer()).fit(new FitLoop.Data(x, y),
                    new FitLoop.Data(labelled.images(manager), labelled.labels(manager)),
                    new FitLoop.Settings(settings.pseudoEpochs(), settings.batchSize(), context.config().seed(), 0,
                            context.checkpointDir().resolve("pseudo-labelled"), context.resume()));
            double accuracy = Predictions.accuracy(cnn.block(), manager, test.images(manager), test.labelArray(), 1000);
            context.info(String.format("CNN continued on the %d labels and %,d pseudo-labelled images: test accuracy %.4f",
                    labelled.size(), pseudo.size(), accuracy));
            return accuracy;
        }
    }
}
