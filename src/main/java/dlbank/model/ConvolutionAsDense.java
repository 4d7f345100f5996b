package dlbank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;

/**
 * A dense layer that computes exactly what a trained convolution (stride 1, no padding) computes on
 * inputs of one size: one row of its matrix per output value, holding the filter's weights at the
 * input positions that output reads and zeros elsewhere. It shows what weight sharing and local
 * connectivity save: the dense layer stores every one of those rows separately.
 */
public final class ConvolutionAsDense implements AutoCloseable {

    private final Linear dense;
    private final NDManager manager;
    private final long locallyConnected;

    private ConvolutionAsDense(Linear dense, NDManager manager, long locallyConnected) {
        this.dense = dense;
        this.manager = manager;
        this.locallyConnected = locallyConnected;
    }

    /**
     * @param convolution an initialised Conv2d with square kernels, stride 1 and no padding
     * @param inputShape (N, C, H, W) of the inputs it will be compared on
     */
    public static ConvolutionAsDense of(Block convolution, Shape inputShape, NDManager parent) {
        NDArray kernel = convolution.getParameters().get("weight").getArray();            // (F, C, k, k)
        float[] k = kernel.toFloatArray();
        float[] b = convolution.getParameters().get("bias").getArray().toFloatArray();    // (F)
        int filters = (int) kernel.getShape().get(0);
        int channels = (int) kernel.getShape().get(1);
        int size = (int) kernel.getShape().get(2);
        int height = (int) inputShape.get(2);
        int width = (int) inputShape.get(3);
        int outHeight = height - size + 1;
        int outWidth = width - size + 1;
        int inputs = channels * height * width;
        int outputs = filters * outHeight * outWidth;
        float[] matrix = new float[Math.multiplyExact(outputs, inputs)];                // (outputs, inputs), row-major
        float[] bias = new float[outputs];
        for (int f = 0; f < filters; f++) {
            for (int i = 0; i < outHeight; i++) {
                for (int j = 0; j < outWidth; j++) {
                    int row = (f * outHeight + i) * outWidth + j;
                    bias[row] = b[f];
                    for (int c = 0; c < channels; c++) {
                        for (int u = 0; u < size; u++) {
                            for (int v = 0; v < size; v++) {
                                matrix[row * inputs + (c * height + i + u) * width + j + v] =
                                        k[((f * channels + c) * size + u) * size + v];
                            }
                        }
                    }
                }
            }
        }
        NDManager manager = parent.newSubManager();
        Linear dense = Linear.builder().setUnits(outputs).build();
        dense.initialize(manager, DataType.FLOAT32, new Shape(1, inputs));
        dense.getParameters().get("weight").getArray().set(matrix);
        dense.getParameters().get("bias").getArray().set(bias);
        // Without sharing, each output value keeps its own filter weights and bias: local, not shared.
        long locallyConnected = (long) outputs * (channels * size * size + 1);
        return new ConvolutionAsDense(dense, manager, locallyConnected);
    }

    /** (N, C, H, W) -> (N, outputs): the convolution's outputs, flattened. */
    public NDArray forward(NDArray input) {
        NDArray flat = input.reshape(input.getShape().get(0), -1);
        return dense.forward(new ParameterStore(input.getManager(), false), new NDList(flat), false).singletonOrThrow();
    }

    /** The dense layer's weights and biases, counted from its arrays. */
    public long parameters() {
        return ParameterCount.of(dense);
    }

    /** What a locally connected layer (each output its own 3x3 weights, nothing shared) would hold. */
    public long locallyConnectedParameters() {
        return locallyConnected;
    }

    @Override
    public void close() {
        manager.close();
    }
}
