package dlbank.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dlbank.UserException;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A labelled set of grey-scale images kept as the raw unsigned bytes of its IDX files (MNIST,
 * Fashion-MNIST): one byte per pixel, row-major, image after image.
 */
public record ImageDataset(String name, byte[] pixels, byte[] labels, int height, int width, int classes) {

    public enum Split { TRAIN, TEST }

    public int size() {
        return labels.length;
    }

    public int pixelsPerImage() {
        return height * width;
    }

    public int label(int index) {
        return labels[index];
    }

    /** Loads one split of MNIST or Fashion-MNIST from the data home, fetching it on first use. */
    public static ImageDataset load(DataHome home, DataSet set, Split split, Consumer<String> progress) {
        Map<String, Path> files = home.require(set, progress);
        String prefix = split == Split.TRAIN ? "train" : "t10k";
        return fromIdx(set.id() + "-" + split.name().toLowerCase(),
                files.get(prefix + "-images-idx3-ubyte"), files.get(prefix + "-labels-idx1-ubyte"));
    }

    /** Reads and cross-checks an images file (N, H, W) and a labels file (N) with labels 0-9. */
    public static ImageDataset fromIdx(String name, Path imagesFile, Path labelsFile) {
        IdxReader.IdxFile images = IdxReader.read(imagesFile);
        IdxReader.IdxFile labels = IdxReader.read(labelsFile);
        if (images.dimensions().length != 3) {
            throw UserException.input("error.images.dimensions", imagesFile, images.dimensions().length);
        }
        if (labels.dimensions().length != 1) {
            throw UserException.input("error.labels.dimensions", labelsFile, labels.dimensions().length);
        }
        if (images.count() != labels.count()) {
            throw UserException.input("error.images.count-mismatch",
                    imagesFile, images.count(), labelsFile, labels.count());
        }
        byte[] labelBytes = labels.data();
        for (int i = 0; i < labelBytes.length; i++) {
            if (labelBytes[i] < 0 || labelBytes[i] > 9) {
                throw UserException.input("error.labels.range",
                        labelsFile, labelBytes[i] & 0xff, i);
            }
        }
        return new ImageDataset(name, images.data(), labelBytes, images.dimensions()[1], images.dimensions()[2], 10);
    }

    /** The first {@code count} images (or all, if fewer). */
    public ImageDataset head(int count) {
        return range(0, Math.min(count, size()));
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive). */
    public ImageDataset range(int from, int to) {
        byte[] pixelSlice = java.util.Arrays.copyOfRange(pixels, from * pixelsPerImage(), to * pixelsPerImage());
        byte[] labelSlice = java.util.Arrays.copyOfRange(labels, from, to);
        return new ImageDataset(name, pixelSlice, labelSlice, height, width, classes);
    }

    /** The images at the given positions, in that order. */
    public ImageDataset select(int[] indices) {
        int size = pixelsPerImage();
        byte[] pixelSlice = new byte[indices.length * size];
        byte[] labelSlice = new byte[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * size, pixelSlice, i * size, size);
            labelSlice[i] = labels[indices[i]];
        }
        return new ImageDataset(name, pixelSlice, labelSlice, height, width, classes);
    }

    /**
     * Positions of {@code perClass} images of every class, drawn at random (seeded) without
     * replacement: a small labelled set with every class equally present.
     */
    public int[] balancedSample(int perClass, long seed) {
        return balancedSample(perClass, seed, java.util.stream.IntStream.range(0, classes).toArray());
    }

    /** The same for the given classes only: {@code perClass} images of each of them. */
    public int[] balancedSample(int perClass, long seed, int[] wanted) {
        boolean[] isWanted = new boolean[classes];
        for (int c : wanted) {
            isWanted[c] = true;
        }
        java.util.List<Integer> order = new java.util.ArrayList<>();
        for (int i = 0; i < size(); i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new java.util.Random(seed));
        int[] taken = new int[classes];
        int[] chosen = new int[perClass * wanted.length];
        int count = 0;
        for (int i : order) {
            if (count == chosen.length) {
                break;
            }
            if (isWanted[labels[i]] && taken[labels[i]] < perClass) {
                taken[labels[i]]++;
                chosen[count++] = i;
            }
        }
        if (count < chosen.length) {
            throw new IllegalArgumentException(name + " has fewer than " + perClass + " images of some class");
        }
        java.util.Arrays.sort(chosen);
        return chosen;
    }

    /**
     * Every image turned a quarter turn clockwise (square images only): the pixel at row r, column c
     * moves to row c, column (size - 1 - r). Labels unchanged.
     */
    public ImageDataset rotatedQuarterTurn() {
        if (height != width) {
            throw new IllegalArgumentException(name + ": only square images can be turned, not " + height + "x" + width);
        }
        int size = pixelsPerImage();
        byte[] turned = new byte[pixels.length];
        for (int image = 0; image < size(); image++) {
            int base = image * size;
            for (int r = 0; r < height; r++) {
                for (int c = 0; c < width; c++) {
                    turned[base + c * width + (width - 1 - r)] = pixels[base + r * width + c];
                }
            }
        }
        return new ImageDataset(name, turned, labels.clone(), height, width, classes);
    }

    /** The images whose label passes the test, in their order. */
    public ImageDataset withLabels(java.util.function.IntPredicate test) {
        return select(java.util.stream.IntStream.range(0, size()).filter(i -> test.test(labels[i])).toArray());
    }

    /** The labels as whole numbers. */
    public int[] labelArray() {
        int[] values = new int[labels.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = labels[i];
        }
        return values;
    }

    /** All images as one float array (N, 1, H, W), scaled to [0, 1]. */
    public NDArray images(NDManager manager) {
        float[] values = new float[pixels.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (pixels[i] & 0xff) / 255f;
        }
        return manager.create(values, new Shape(size(), 1, height, width));
    }

    /** All labels as one float array (N), the form DJL's softmax cross-entropy takes. */
    public NDArray labels(NDManager manager) {
        float[] values = new float[labels.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = labels[i];
        }
        return manager.create(values, new Shape(size()));
    }
}
