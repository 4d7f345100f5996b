package dlbank.experiment;

import dlbank.UserException;
import dlbank.experiment.lab.ActivationsLab;
import dlbank.experiment.lab.AdversarialExamplesLab;
import dlbank.experiment.lab.AttentionLab;
import dlbank.experiment.lab.BackpropagationLab;
import dlbank.experiment.lab.CnnLab;
import dlbank.experiment.lab.DataAugmentationLab;
import dlbank.experiment.lab.DeepLearningLab;
import dlbank.experiment.lab.DiffusionLab;
import dlbank.experiment.lab.DistributedTrainingLab;
import dlbank.experiment.lab.DetectionSegmentationLab;
import dlbank.experiment.lab.EfficientCnnLab;
import dlbank.experiment.lab.EvaluationLab;
import dlbank.experiment.lab.HyperparametersLab;
import dlbank.experiment.lab.LlmDecodingLab;
import dlbank.experiment.lab.LossFunctionsLab;
import dlbank.experiment.lab.InitializationLab;
import dlbank.experiment.lab.MixedPrecisionLab;
import dlbank.experiment.lab.MixtureOfExpertsLab;
import dlbank.experiment.lab.ModelCompressionLab;
import dlbank.experiment.lab.MultiTaskLab;
import dlbank.experiment.lab.NormalizationLab;
import dlbank.experiment.lab.OptimizersLab;
import dlbank.experiment.lab.ReinforcementLearningLab;
import dlbank.experiment.lab.PositionalEncodingLab;
import dlbank.experiment.lab.PostTrainingLab;
import dlbank.experiment.lab.RegularizationLab;
import dlbank.experiment.lab.ResidualNetworksLab;
import dlbank.experiment.lab.RnnLongRangeLab;
import dlbank.experiment.lab.SelfSupervisedLab;
import dlbank.experiment.lab.TokenizationEmbeddingsLab;
import dlbank.experiment.lab.TrainingStabilityLab;
import dlbank.experiment.lab.TransferLearningLab;
import dlbank.experiment.lab.TransformerLab;
import dlbank.experiment.lab.VaeLab;
import dlbank.experiment.lab.VisionTransformerLab;
import dlbank.experiment.task.AndGateTask;
import dlbank.experiment.task.DenoisingAutoencoderTask;
import dlbank.experiment.task.ImdbRnnTask;
import dlbank.experiment.task.MnistGanTask;
import dlbank.experiment.task.MnistCnnTask;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every experiment dlbank can run, in bank order, and the ones the bank names that are not written
 * yet (so that the bank can say so instead of pointing at nothing).
 */
public final class ExperimentRegistry {

    private static final List<Experiment> EXPERIMENTS = List.of(new AndGateTask(), new MnistCnnTask(), new ImdbRnnTask(),
            new RnnLongRangeLab(), new AttentionLab(), new MnistGanTask(), new DenoisingAutoencoderTask(),
            // Concept labs I, in bank order
            new DeepLearningLab(), new ActivationsLab(), new LossFunctionsLab(), new BackpropagationLab(), new CnnLab(),
            new DataAugmentationLab(), new RegularizationLab(), new OptimizersLab(), new HyperparametersLab(),
            new EvaluationLab(),
            // Concept labs II
            new TransferLearningLab(), new ModelCompressionLab(), new MultiTaskLab(), new SelfSupervisedLab(),
            new ReinforcementLearningLab(), new AdversarialExamplesLab(),
            // Architecture labs (issue 24): normalization, initialization, residual networks, efficient CNNs,
            // detection and segmentation, vision transformer
            new NormalizationLab(), new InitializationLab(), new ResidualNetworksLab(),
            new EfficientCnnLab(), new DetectionSegmentationLab(), new VisionTransformerLab(),
            // Generative models and training at scale (issue 26)
            new VaeLab(), new DiffusionLab(), new MixedPrecisionLab(), new DistributedTrainingLab(),
            new TrainingStabilityLab(),
            // Transformers and language models (issue 25)
            new TransformerLab(), new PositionalEncodingLab(), new TokenizationEmbeddingsLab(), new LlmDecodingLab(),
            new PostTrainingLab(), new MixtureOfExpertsLab());

    private static final Map<String, String> PLANNED = planned();

    private ExperimentRegistry() {}

    public static List<Experiment> all() {
        return EXPERIMENTS;
    }

    public static Optional<Experiment> find(String id) {
        return EXPERIMENTS.stream().filter(experiment -> experiment.id().equals(id)).findFirst();
    }

    /** The experiment, or a one-line error that names the known ids or the closest one. */
    public static Experiment require(String id) {
        return find(id).orElseThrow(() -> {
            if (PLANNED.containsKey(id)) {
                return UserException.usage("error.experiment.planned", id, PLANNED.get(id));
            }
            String known = String.join(", ", EXPERIMENTS.stream().map(Experiment::id).toList());
            return UserException.usage("error.experiment.unknown", id, known);
        });
    }

    /** True when the bank may name this id although no experiment runs it yet. */
    public static boolean isPlanned(String id) {
        return PLANNED.containsKey(id);
    }

    private static Map<String, String> planned() {
        // Every experiment the bank names runs now; a new entry may name its lab here until it lands.
        return new LinkedHashMap<>();
    }
}
