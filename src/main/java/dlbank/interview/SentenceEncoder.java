package dlbank.interview;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sentence embeddings, offline: a small BERT-style encoder run by ONNX Runtime, one per language.
 * English: all-MiniLM-L6-v2 (Reimers &amp; Gurevych, 2019, Sentence-BERT), mean of the token vectors;
 * Chinese: BAAI's bge-small-zh-v1.5 (Xiao et al., 2023, C-Pack), the [CLS] vector. Both are the
 * int8-quantized ONNX files that the langchain4j-embeddings jars ship, tokenized by DJL's binding of
 * Hugging Face tokenizers. Vectors have unit length, so a dot product is the cosine similarity.
 *
 * <p>Each model loads once per JVM, on first use; the vectors of the bank's own sentences are kept.
 * They are also computed ahead, when the bank changes ({@link SentenceStore}), and shipped in the jar:
 * encoding an entry's fifty-odd sentences took about half of a cold {@code dlbank grade} in Chinese.
 */
final class SentenceEncoder {

    /** The two models: resource names (at the root of their jars) and pooling. */
    private enum Model {
        EN("all-minilm-l6-v2-q", false), ZH("bge-small-zh-v1.5-q", true);

        final String resource;
        final boolean clsPooling;

        Model(String resource, boolean clsPooling) {
            this.resource = resource;
            this.clsPooling = clsPooling;
        }

        static Model of(String language) {
            return language.equals("zh") ? ZH : EN;
        }
    }

    /** Longer inputs are cut: an answer is encoded clause by clause, a clause is far shorter. */
    private static final int MAX_TOKENS = 128;

    private static final Map<String, SentenceEncoder> ENCODERS = new ConcurrentHashMap<>();

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean clsPooling;
    private final Map<String, float[]> kept = new ConcurrentHashMap<>();

    private SentenceEncoder(Model model) {
        try {
            OrtNatives.prepare();
            environment = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
            // Idle pool threads sleep instead of spinning: on a busy machine spinning threads starve the
            // rest (measured: a batch that takes 20 ms alone took seconds beside two other JVMs).
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            session = environment.createSession(resource(model.resource + ".onnx"), options);
            try (InputStream in = SentenceEncoder.class.getClassLoader().getResourceAsStream(model.resource + "-tokenizer.json")) {
                if (in == null) {
                    throw new IllegalStateException(model.resource + "-tokenizer.json is missing from the class path");
                }
                tokenizer = HuggingFaceTokenizer.newInstance(in, Map.of("padding", "true", "truncation", "true",
                        "maxLength", Integer.toString(MAX_TOKENS)));
            }
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load the sentence encoder " + model.resource + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        clsPooling = model.clsPooling;
        kept.putAll(SentenceStore.read(model.resource));
    }

    /** Drops the kept vectors, the stored ones included (to store them afresh). */
    void forget() {
        kept.clear();
    }

    /** The name of the language's model (the stored vectors are tied to it). */
    static String modelName(String language) {
        return Model.of(language).resource;
    }

    /** The encoder for "en" or "zh", loaded on first use. */
    static SentenceEncoder forLanguage(String language) {
        return ENCODERS.computeIfAbsent(language, code -> new SentenceEncoder(Model.of(code)));
    }

    /** Unit vectors of the texts, in order, computed in one batch. */
    float[][] encode(List<String> texts) {
        float[][] vectors = new float[texts.size()][];
        if (texts.isEmpty()) {
            return vectors;
        }
        Encoding[] encodings = tokenizer.batchEncode(texts);
        int batch = encodings.length;
        int length = encodings[0].getIds().length; // padded to the longest
        long[] ids = new long[batch * length];
        long[] mask = new long[batch * length];
        long[] types = new long[batch * length];
        for (int i = 0; i < batch; i++) {
            System.arraycopy(encodings[i].getIds(), 0, ids, i * length, length);
            System.arraycopy(encodings[i].getAttentionMask(), 0, mask, i * length, length);
            System.arraycopy(encodings[i].getTypeIds(), 0, types, i * length, length);
        }
        long[] shape = {batch, length};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape));
            if (session.getInputNames().contains("token_type_ids")) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(types), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][][] hidden = (float[][][]) result.get(0).getValue(); // (batch, length, 384)
                for (int i = 0; i < batch; i++) {
                    vectors[i] = normalise(clsPooling ? hidden[i][0].clone() : mean(hidden[i], encodings[i].getAttentionMask()));
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("sentence encoder failed: " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
        return vectors;
    }

    /**
     * Unit vectors of the texts, in order, computed in batches of {@link #BATCH} texts of similar
     * length: a batch is padded to its longest text, so one batch of short and long texts wastes most
     * of its work on padding.
     */
    float[][] encodeBatched(List<String> texts) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt(i -> texts.get(i).length()));
        float[][] vectors = new float[texts.size()][];
        for (int from = 0; from < order.size(); from += BATCH) {
            List<Integer> batch = order.subList(from, Math.min(order.size(), from + BATCH));
            float[][] encoded = encode(batch.stream().map(texts::get).toList());
            for (int k = 0; k < batch.size(); k++) {
                vectors[batch.get(k)] = encoded[k];
            }
        }
        return vectors;
    }

    private static final int BATCH = 32;

    /**
     * Unit vectors of the bank's own sentences (statements, paraphrases, contraries, red flags), each
     * computed once per JVM whichever entry, language or follow-up asks for it.
     */
    float[][] encodeKept(List<String> texts) {
        List<String> missing = texts.stream().filter(text -> !kept.containsKey(text)).distinct().toList();
        float[][] fresh = encodeBatched(missing);
        for (int i = 0; i < missing.size(); i++) {
            kept.put(missing.get(i), fresh[i]);
        }
        float[][] vectors = new float[texts.size()][];
        for (int i = 0; i < texts.size(); i++) {
            vectors[i] = kept.get(texts.get(i));
        }
        return vectors;
    }

    /**
     * Unit vectors of an answer's texts: a text that is one of the bank's own sentences (a red flag's
     * wrong statement typed back, a statement quoted) reuses its kept vector; the rest are computed
     * and not kept (answers are many and seldom repeat).
     */
    float[][] encodeReusing(List<String> texts) {
        List<String> missing = texts.stream().filter(text -> !kept.containsKey(text)).distinct().toList();
        float[][] fresh = encodeBatched(missing);
        Map<String, float[]> computed = new HashMap<>();
        for (int i = 0; i < missing.size(); i++) {
            computed.put(missing.get(i), fresh[i]);
        }
        float[][] vectors = new float[texts.size()][];
        for (int i = 0; i < texts.size(); i++) {
            float[] known = kept.get(texts.get(i));
            vectors[i] = known != null ? known : computed.get(texts.get(i));
        }
        return vectors;
    }

    static float dot(float[] a, float[] b) {
        float sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static float[] mean(float[][] tokens, long[] mask) {
        float[] sum = new float[tokens[0].length];
        int count = 0;
        for (int t = 0; t < tokens.length; t++) {
            if (mask[t] == 0) {
                continue;
            }
            count++;
            for (int d = 0; d < sum.length; d++) {
                sum[d] += tokens[t][d];
            }
        }
        for (int d = 0; d < sum.length; d++) {
            sum[d] /= Math.max(1, count);
        }
        return sum;
    }

    private static float[] normalise(float[] vector) {
        float norm = (float) Math.sqrt(dot(vector, vector));
        for (int d = 0; d < vector.length; d++) {
            vector[d] /= Math.max(norm, 1e-12f);
        }
        return vector;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = SentenceEncoder.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the class path");
            }
            return in.readAllBytes();
        }
    }
}
