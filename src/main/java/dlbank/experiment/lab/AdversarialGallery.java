package dlbank.experiment.lab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dlbank.data.ImageDataset;
import dlbank.eval.Attacks;
import dlbank.report.Pictures;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** lab/adversarial-examples' JSMA runs and its picture of clean, perturbation and adversarial images. */
final class AdversarialGallery {

    /** JSMA's limit on changed pixels: Papernot et al.'s 14.5%. */
    static final double JSMA_MAX_SHARE = 0.145;

    private AdversarialGallery() {}

    /**
     * JSMA results on test digits the model reads correctly, each attacked toward every other class
     * (Papernot et al.'s protocol): nine attempts per digit, the first of them toward label + 1.
     */
    record Jsma(List<Integer> indices, List<Attacks.JsmaResult> results) {
        int attempts() {
            return results.size();
        }

        int successes() {
            return (int) results.stream().filter(Attacks.JsmaResult::success).count();
        }

        double successRate() {
            return (double) successes() / Math.max(1, attempts());
        }

        /** Pixels changed, as a share of the image, averaged over the successful attacks (Papernot et al.'s measure). */
        double meanChangedShare() {
            return results.stream().filter(Attacks.JsmaResult::success)
                    .mapToDouble(r -> r.pixelsChanged() / (double) r.adversarial().length).average().orElse(1.0);
        }
    }

    static Jsma jsma(Block block, ImageDataset test, int digits, NDManager manager) {
        List<Integer> indices = new ArrayList<>();
        List<Attacks.JsmaResult> results = new ArrayList<>();
        for (int i = 0; i < test.size() && indices.size() < 9 * digits; i++) {
            try (NDManager scratch = manager.newSubManager()) {
                NDArray image = image(test, i, scratch);
                if (predict(block, image) != test.label(i)) {
                    continue;
                }
                for (int shift = 1; shift < 10; shift++) {
                    indices.add(i);
                    results.add(Attacks.jsma(block, image, (test.label(i) + shift) % 10, JSMA_MAX_SHARE));
                }
            }
        }
        return new Jsma(indices, results);
    }

    /**
     * One row per digit: the clean image, the FGSM perturbation at ε 0.25 (grey = 0, white = +ε,
     * black = −ε), the FGSM and PGD images at that ε, and JSMA's image, each captioned with the
     * model's reading.
     */
    static void grid(Path file, Block block, ImageDataset test, Jsma jsma, NDManager manager) {
        float epsilon = AdversarialExamplesLab.HEADLINE_EPSILON;
        List<Pictures.Tile> tiles = new ArrayList<>();
        for (int k = 0; k < Math.min(6 * 9, jsma.attempts()); k += 9) {   // one row per digit, its first target
            int i = jsma.indices().get(k);
            try (NDManager scratch = manager.newSubManager()) {
                NDArray image = image(test, i, scratch);
                NDArray label = scratch.create(new float[] {test.label(i)});
                NDArray fgsm = Attacks.fgsm(block, image, label, epsilon);
                NDArray pgd = Attacks.pgd(block, image, label, epsilon, 20, 2.5f * epsilon / 20,
                        scratch.randomUniform(-1f, 1f, image.getShape()));
                NDArray perturbation = fgsm.sub(image).div(2 * epsilon).add(0.5f);
                Attacks.JsmaResult result = jsma.results().get(k);
                tiles.add(tile(image, "clean: " + predict(block, image)));
                tiles.add(tile(perturbation, "FGSM change"));
                tiles.add(tile(fgsm, "FGSM: " + predict(block, fgsm)));
                tiles.add(tile(pgd, "PGD: " + predict(block, pgd)));
                tiles.add(new Pictures.Tile(result.adversarial(), 28, 28, String.format("JSMA -> %d: %d (%d px)",
                        result.target(), result.predicted(), result.pixelsChanged())));
            }
        }
        Pictures.grid(file, String.format("clean, FGSM perturbation, FGSM, PGD (ε %.2f) and JSMA images, with the "
                + "standard model's reading", epsilon), tiles, 5, 3);
    }

    private static Pictures.Tile tile(NDArray image, String caption) {
        return new Pictures.Tile(image.toFloatArray(), 28, 28, caption);
    }

    private static NDArray image(ImageDataset test, int index, NDManager manager) {
        float[] pixels = new float[test.pixelsPerImage()];
        for (int p = 0; p < pixels.length; p++) {
            pixels[p] = (test.pixels()[index * pixels.length + p] & 0xff) / 255f;
        }
        return manager.create(pixels, new Shape(1, 1, test.height(), test.width()));
    }

    private static int predict(Block block, NDArray image) {
        NDArray logits = block.forward(new ParameterStore(image.getManager(), false), new NDList(image), false)
                .singletonOrThrow();
        return (int) logits.argMax(1).toLongArray()[0];
    }
}
