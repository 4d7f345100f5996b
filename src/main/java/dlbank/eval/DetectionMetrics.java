package dlbank.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a detector's output is judged with: greedy non-maximum suppression (NMS), and mean average
 * precision (mAP) at an IoU threshold as in the PASCAL VOC challenge (Everingham et al., 2010, The
 * PASCAL Visual Object Classes (VOC) Challenge), with all-point interpolation of the
 * precision-recall curve. NMS is a fixed rule applied after the network, with no parameters.
 */
public final class DetectionMetrics {

    /** One predicted box with its class and score. */
    public record Detection(Box box, int label, double score) {}

    /** A true object: its box and class. */
    public record Truth(Box box, int label) {}

    private DetectionMetrics() {}

    /**
     * Greedy NMS per class: take the highest-scoring box left, keep it, drop every other box of its
     * class that overlaps it by more than {@code iouThreshold}, repeat. Returns the kept boxes by
     * falling score.
     */
    public static List<Detection> nms(List<Detection> detections, double iouThreshold) {
        List<Detection> left = new ArrayList<>(detections);
        left.sort(Comparator.comparingDouble(Detection::score).reversed());
        List<Detection> kept = new ArrayList<>();
        while (!left.isEmpty()) {
            Detection best = left.remove(0);
            kept.add(best);
            left.removeIf(other -> other.label() == best.label() && best.box().iou(other.box()) > iouThreshold);
        }
        return kept;
    }

    /**
     * Mean over classes (those with at least one true object) of the average precision: per class,
     * every detection over all images by falling score is a true positive if it overlaps a not yet
     * matched true object of its class in its image by at least {@code iouThreshold} (the best
     * overlapping one), else a false positive, duplicates included; AP is the area under the
     * precision-recall curve with precision made non-increasing from the right.
     *
     * @param detections per image
     * @param truths per image, in the same order
     */
    public static double meanAveragePrecision(List<List<Detection>> detections, List<List<Truth>> truths, int classes,
                                              double iouThreshold) {
        double sum = 0;
        int counted = 0;
        for (int label = 0; label < classes; label++) {
            double ap = averagePrecision(detections, truths, label, iouThreshold);
            if (!Double.isNaN(ap)) {
                sum += ap;
                counted++;
            }
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }

    /** One class's AP, or NaN when no image holds an object of that class. */
    public static double averagePrecision(List<List<Detection>> detections, List<List<Truth>> truths, int label,
                                          double iouThreshold) {
        record Ranked(int image, Detection detection) {}
        List<Ranked> ranked = new ArrayList<>();
        List<boolean[]> matched = new ArrayList<>();
        int positives = 0;
        for (int image = 0; image < truths.size(); image++) {
            matched.add(new boolean[truths.get(image).size()]);
            for (Truth truth : truths.get(image)) {
                positives += truth.label() == label ? 1 : 0;
            }
            for (Detection detection : detections.get(image)) {
                if (detection.label() == label) {
                    ranked.add(new Ranked(image, detection));
                }
            }
        }
        if (positives == 0) {
            return Double.NaN;
        }
        ranked.sort(Comparator.comparingDouble((Ranked r) -> r.detection().score()).reversed());
        double[] precision = new double[ranked.size()];
        double[] recall = new double[ranked.size()];
        int truePositives = 0;
        for (int i = 0; i < ranked.size(); i++) {
            Ranked r = ranked.get(i);
            List<Truth> imageTruths = truths.get(r.image());
            int best = -1;
            double bestIou = iouThreshold;
            for (int t = 0; t < imageTruths.size(); t++) {
                double iou = imageTruths.get(t).box().iou(r.detection().box());
                if (imageTruths.get(t).label() == label && !matched.get(r.image())[t] && iou >= bestIou) {
                    best = t;
                    bestIou = iou;
                }
            }
            if (best >= 0) {
                matched.get(r.image())[best] = true;
                truePositives++;
            }
            precision[i] = truePositives / (double) (i + 1);
            recall[i] = truePositives / (double) positives;
        }
        // Area under the curve whose precision at each recall is the best precision at any higher recall.
        for (int i = ranked.size() - 2; i >= 0; i--) {
            precision[i] = Math.max(precision[i], precision[i + 1]);
        }
        double area = 0;
        double previousRecall = 0;
        for (int i = 0; i < ranked.size(); i++) {
            area += (recall[i] - previousRecall) * precision[i];
            previousRecall = recall[i];
        }
        return area;
    }
}
