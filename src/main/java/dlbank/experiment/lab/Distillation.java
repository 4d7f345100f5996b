package dlbank.experiment.lab;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.loss.Loss;
import dlbank.data.ImageDataset;
import dlbank.eval.Predictions;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.model.ParameterCount;
import dlbank.report.Charts;
import dlbank.train.DistillationLoss;
import dlbank.train.FitLoop;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * lab/model-compression's distillation (Hinton, Vinyals &amp; Dean, 2015, Distilling the Knowledge in
 * a Neural Network): a small MLP student trained on the labels alone, and from the same start on the
 * teacher's soft targets too at several temperatures, with few labelled images and with all of them.
 */
final class Distillation {

    private Distillation() {}

    /**
     * The same small student trained on the labels alone and, from the same start, on the teacher's
     * soft targets too, at each temperature: once on the few-label set, once on all the training
     * images. Each regime's temperature is chosen by validation accuracy, never by the test set.
     */
    static void run(RunContext context, Result.Builder result, ModelCompressionLab.Settings settings, Model teacher,
                               ImageDataset train, ImageDataset validation, NDArray images, int[] labels) {
        String[] regimes = {"few", "all"};
        Map<String, double[]> byTemperature = new LinkedHashMap<>();
        for (String regime : regimes) {
            boolean few = regime.equals("few");
            ImageDataset set = few ? train.head(settings.fewImages()) : train;
            int epochs = few ? settings.fewEpochs() : settings.studentEpochs();
            double[] alone = trainStudent(context, settings, teacher, set, validation, images, labels, 0f, epochs, regime);
            result.metric("student_alone_accuracy_" + regime, alone[0]).metric("student_parameters", alone[2]);
            double[] tested = new double[settings.temperatures().length];
            int chosen = 0;
            double bestValidation = -1;
            for (int t = 0; t < tested.length; t++) {
                float temperature = settings.temperatures()[t];
                double[] distilled = trainStudent(context, settings, teacher, set, validation, images, labels, temperature,
                        epochs, regime);
                tested[t] = distilled[0];
                result.metric(String.format("student_distilled_T%.0f_accuracy_%s", temperature, regime), distilled[0]);
                if (distilled[1] > bestValidation) {
                    bestValidation = distilled[1];
                    chosen = t;
                }
            }
            result.metric("student_distilled_accuracy_" + regime, tested[chosen])
                    .metric("student_temperature_" + regime, settings.temperatures()[chosen])
                    .metric("student_images_" + regime, set.size()).metric("student_epochs_" + regime, epochs);
            byTemperature.put(String.format("%s: distilled (%,d labelled images)", regime, set.size()), tested);
            double[] flat = new double[tested.length];
            java.util.Arrays.fill(flat, alone[0]);
            byTemperature.put(String.format("%s: labels alone (%,d images)", regime, set.size()), flat);
            context.info(String.format("student on %,d images: %.4f on the labels alone, %.4f distilled (T = %.0f, chosen "
                    + "by validation accuracy)", set.size(), alone[0], tested[chosen], settings.temperatures()[chosen]));
        }
        double[] temperatures = new double[settings.temperatures().length];
        for (int t = 0; t < temperatures.length; t++) {
            temperatures[t] = settings.temperatures()[t];
        }
        Charts.lines(context.file("distillation.png"), String.format("student MLP 784-%d-10: test accuracy by the "
                + "teacher's temperature", settings.studentHidden()), "temperature T", "test accuracy", temperatures,
                byTemperature, false);
        result.artifact("distillation.png");
    }

    /**
     * One student: on the labels alone ({@code temperature} 0) or distilled at that temperature.
     *
     * @return {test accuracy, last epoch's validation accuracy, parameters}
     */
    private static double[] trainStudent(RunContext context, ModelCompressionLab.Settings settings, Model teacher, ImageDataset train,
                                         ImageDataset validation, NDArray images, int[] labels, float temperature,
                                         int epochs, String regime) {
        boolean distilled = temperature > 0;
        Loss loss = distilled ? new DistillationLoss(temperature, settings.softWeight()) : Loss.softmaxCrossEntropyLoss();
        try (LabTraining.Classifier student = LabTraining.classifier(context, "student", student(settings.studentHidden()),
                loss, 1e-3f, settings.batchSize())) {
            NDManager manager = student.manager();
            NDArray trainImages = train.images(manager);
            NDArray validationImages = validation.images(manager);
            NDArray trainLabels = distilled ? withTeacher(teacher, manager, trainImages, train) : train.labels(manager);
            NDArray validationLabels = distilled ? withTeacher(teacher, manager, validationImages, validation)
                    : validation.labels(manager);
            String name = distilled ? String.format("student-%s-T%.0f", regime, temperature) : "student-" + regime + "-alone";
            context.info("== " + name);
            FitLoop.Outcome outcome = student.loop(distilled ? DistillationLoss.scorer() : FitLoop.argmaxScorer()).fit(
                    new FitLoop.Data(trainImages, trainLabels), new FitLoop.Data(validationImages, validationLabels),
                    new FitLoop.Settings(epochs, settings.batchSize(), context.config().seed(), 0,
                            context.checkpointDir().resolve(name), context.resume()));
            return new double[] {Predictions.accuracy(student.block(), manager, images, labels, 1000),
                    outcome.history().get(outcome.history().size() - 1).validationAccuracy(), ParameterCount.of(student.block())};
        }
    }

    /** The student: an MLP with one hidden layer of {@code hidden} ReLU units, (B, 1, 28, 28) -> (B, 10). */
    static SequentialBlock student(int hidden) {
        return new SequentialBlock().add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(hidden).build()).add(Activation::relu)
                .add(Linear.builder().setUnits(10).build());
    }

    /** Labels (N, 11): the true class, then the teacher's ten logits for the image. */
    private static NDArray withTeacher(Model teacher, NDManager manager, NDArray images, ImageDataset set) {
        float[][] logits = Predictions.outputs(teacher.getBlock(), teacher.getNDManager(), images, 1000);
        float[] rows = new float[set.size() * 11];
        for (int i = 0; i < set.size(); i++) {
            rows[i * 11] = set.label(i);
            System.arraycopy(logits[i], 0, rows, i * 11 + 1, 10);
        }
        return manager.create(rows, new ai.djl.ndarray.types.Shape(set.size(), 11));
    }
}
