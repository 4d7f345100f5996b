package dlbank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dlbank.UserException;
import dlbank.report.AtomicFiles;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Post-training int8 quantization of a block's weights, per output channel and symmetric (the scheme
 * of Krishnamoorthi, 2018, Quantizing deep convolutional networks for efficient inference: a
 * whitepaper): each output channel c of a weight tensor gets its own scale s_c = max|w_c| / 127,
 * and stores q = round(w / s_c) in [-127, 127] as one signed byte; w is read back as q·s_c. Biases
 * (a few hundred values) stay float32, as in integer inference, where they are added to the int32
 * accumulator.
 *
 * <p>The file: "DLBQ8", a version byte, the tensor count, then per tensor its parameter name, kind
 * (0 = int8 per channel, 1 = float32), rank and dimensions, and its payload: for int8 the channel
 * count, one float32 scale per channel and one byte per value; for float32 the values.
 */
public final class Int8Weights {

    private static final byte[] MAGIC = {'D', 'L', 'B', 'Q', '8'};
    private static final int VERSION = 1;
    private static final byte INT8 = 0;
    private static final byte FLOAT32 = 1;

    private Int8Weights() {}

    /** One output channel per row: {@code values} holds {@code channels} rows of equal length. */
    public record Quantized(float[] scales, byte[] values) {
        /** The dequantized values q·s_c. */
        public float[] dequantize() {
            float[] restored = new float[values.length];
            int perChannel = values.length / scales.length;
            for (int i = 0; i < values.length; i++) {
                restored[i] = values[i] * scales[i / perChannel];
            }
            return restored;
        }
    }

    /** Symmetric per-channel quantization of {@code channels} equal rows of {@code weights}. */
    public static Quantized quantize(float[] weights, int channels) {
        if (channels <= 0 || weights.length % channels != 0) {
            throw new IllegalArgumentException(weights.length + " values do not split into " + channels + " channels");
        }
        int perChannel = weights.length / channels;
        float[] scales = new float[channels];
        byte[] values = new byte[weights.length];
        for (int c = 0; c < channels; c++) {
            float max = 0;
            for (int i = c * perChannel; i < (c + 1) * perChannel; i++) {
                max = Math.max(max, Math.abs(weights[i]));
            }
            // An all-zero channel (fully pruned) keeps scale 1 and stores zeros.
            scales[c] = max == 0 ? 1f : max / 127f;
            for (int i = c * perChannel; i < (c + 1) * perChannel; i++) {
                values[i] = (byte) Math.max(-127, Math.min(127, Math.round(weights[i] / scales[c])));
            }
        }
        return new Quantized(scales, values);
    }

    /** Writes every parameter of the block: tensors of rank 2 or more as int8 (dimension 0 = output channel), others float32. */
    public static void write(Block block, Path file) {
        AtomicFiles.write(file, stream -> {
            DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(stream));
            out.write(MAGIC);
            out.writeByte(VERSION);
            List<Pair<String, Parameter>> parameters = block.getParameters().stream().toList();
            out.writeInt(parameters.size());
            for (Pair<String, Parameter> entry : parameters) {
                NDArray array = entry.getValue().getArray();
                long[] dims = array.getShape().getShape();
                out.writeUTF(entry.getKey());
                boolean quantized = dims.length >= 2;
                out.writeByte(quantized ? INT8 : FLOAT32);
                out.writeByte(dims.length);
                for (long dim : dims) {
                    out.writeInt((int) dim);
                }
                float[] values = array.toFloatArray();
                if (quantized) {
                    Quantized q = quantize(values, (int) dims[0]);
                    out.writeInt(q.scales().length);
                    for (float scale : q.scales()) {
                        out.writeFloat(scale);
                    }
                    out.write(q.values());
                } else {
                    for (float value : values) {
                        out.writeFloat(value);
                    }
                }
            }
            out.flush();
        });
    }

    /** One tensor as read from a file: int8 values with their scales, or float32 values. */
    public record Tensor(String name, Shape shape, Quantized quantized, float[] floats) {
        public float[] values() {
            return quantized != null ? quantized.dequantize() : floats;
        }
    }

    /** Reads the tensors of a file that {@link #write} wrote. */
    public static List<Tensor> read(Path file) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!java.util.Arrays.equals(magic, MAGIC) || in.readUnsignedByte() != VERSION) {
                throw UserException.input("error.model.not-int8", file);
            }
            int count = in.readInt();
            List<Tensor> tensors = new ArrayList<>();
            for (int t = 0; t < count; t++) {
                String name = in.readUTF();
                byte kind = in.readByte();
                long[] dims = new long[in.readUnsignedByte()];
                long size = 1;
                for (int d = 0; d < dims.length; d++) {
                    dims[d] = in.readInt();
                    size *= dims[d];
                }
                if (kind == INT8) {
                    float[] scales = new float[in.readInt()];
                    for (int c = 0; c < scales.length; c++) {
                        scales[c] = in.readFloat();
                    }
                    byte[] values = in.readNBytes((int) size);
                    tensors.add(new Tensor(name, new Shape(dims), new Quantized(scales, values), null));
                } else {
                    float[] values = new float[(int) size];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = in.readFloat();
                    }
                    tensors.add(new Tensor(name, new Shape(dims), null, values));
                }
            }
            return tensors;
        } catch (java.io.EOFException e) {
            throw UserException.input("error.model.int8-truncated", file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts the file's (dequantized) values into the block's parameters, matched by name and shape. */
    public static void load(Path file, Block block) {
        List<Tensor> tensors = read(file);
        List<Pair<String, Parameter>> parameters = block.getParameters().stream().toList();
        if (tensors.size() != parameters.size()) {
            throw UserException.input("error.model.int8-count", file, tensors.size(), parameters.size());
        }
        for (int i = 0; i < tensors.size(); i++) {
            Tensor tensor = tensors.get(i);
            NDArray target = parameters.get(i).getValue().getArray();
            if (!tensor.name().equals(parameters.get(i).getKey()) || !tensor.shape().equals(target.getShape())) {
                throw UserException.input("error.model.int8-mismatch", file, tensor.name(), tensor.shape(),
                        parameters.get(i).getKey(), target.getShape());
            }
            target.set(tensor.values());
        }
    }
}
