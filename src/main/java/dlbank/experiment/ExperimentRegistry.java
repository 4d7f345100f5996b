package dlbank.experiment;

import dlbank.UserException;
import dlbank.experiment.lab.AdversarialExamplesLab;
import dlbank.experiment.lab.AttentionLab;
import dlbank.experiment.lab.ModelCompressionLab;
import dlbank.experiment.lab.MultiTaskLab;
import dlbank.experiment.lab.ReinforcementLearningLab;
import dlbank.experiment.lab.RnnLongRangeLab;
import dlbank.experiment.lab.SelfSupervisedLab;
import dlbank.experiment.lab.TransferLearningLab;
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
            new RnnLongRangeLab(), new AttentionLab(), new TransferLearningLab(), new ModelCompressionLab(),
            new MultiTaskLab(), new SelfSupervisedLab(), new ReinforcementLearningLab(), new AdversarialExamplesLab(),
            new MnistGanTask(), new DenoisingAutoencoderTask());

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
        Map<String, String> planned = new LinkedHashMap<>();
        planned.put("lab/deep-learning", "logistic regression vs MLP vs CNN on one MNIST subset");
        planned.put("lab/activations", "per-layer gradient norms with sigmoid, tanh, ReLU");
        planned.put("lab/loss-functions", "MSE vs cross-entropy on one classifier");
        planned.put("lab/backpropagation", "hand-derived gradients vs finite differences vs autograd");
        planned.put("lab/cnn", "learned filters, feature maps, conv vs dense parameter counts");
        planned.put("lab/data-augmentation", "1000 MNIST images with and without augmentation");
        planned.put("lab/regularization", "none, L1, L2, dropout on a small training set");
        planned.put("lab/optimizers", "GD, SGD, momentum, RMSProp, Adam; Rosenbrock trajectories");
        planned.put("lab/hyperparameters", "learning-rate range test, batch-size sweep");
        planned.put("lab/evaluation", "precision, recall, F1, ROC and PR curves");
        return planned;
    }
}
