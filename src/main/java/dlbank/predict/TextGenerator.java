package dlbank.predict;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dlbank.data.BytePairEncoding;
import dlbank.eval.Sampling;
import dlbank.model.LanguageModel;
import dlbank.model.Transformer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Autoregressive generation from a {@link Transformer} decoder: one token at a time, each chosen from
 * the logits of the last position and fed back as the next input. With the KV cache each step runs
 * the network on the new token only and reads every earlier position's keys and values from the
 * cache; without it each step runs the whole sequence again. Both choose the same tokens.
 */
public final class TextGenerator {

    private TextGenerator() {}

    /**
     * What to generate.
     *
     * @param newTokens tokens to add at most
     * @param sampling how each token is chosen (ignored by beam search)
     * @param beams 1 = sample (or greedy); more = beam search with this many beams
     * @param stopAtEnd end at the end-of-text token; else that token is never chosen
     * @param seed seeds the draws
     */
    public record Request(int newTokens, Sampling.Settings sampling, int beams, boolean stopAtEnd, long seed) {}

    /** A continuation: the prompt's ids, the new ids, the new text, and whether it chose to end. */
    public record Generation(int[] prompt, int[] tokens, String text, boolean ended, double seconds) {}

    /**
     * Continues a text prompt and hands every piece of new text to {@code onText} as soon as its token
     * is chosen: the terminal prints it, a web page sends it on. Beam search keeps changing its best
     * sequence, so its text arrives once, at the end.
     */
    public static Generation continueText(LanguageModel model, String prompt, Request request, Consumer<String> onText) {
        long begin = System.nanoTime();
        BytePairEncoding encoding = model.encoding();
        int[] promptIds = promptIds(encoding, prompt);
        if (promptIds.length + request.newTokens() > maxPositions(model.config())) {
            throw new IllegalArgumentException("the prompt and the new tokens exceed " + maxPositions(model.config()) + " positions");
        }
        BytePairEncoding.Decoder decoder = encoding.new Decoder();
        StringBuilder text = new StringBuilder();
        int[] tokens;
        try (NDManager manager = model.model().getNDManager().newSubManager()) {
            if (request.beams() > 1) {
                tokens = beamSearch(model.block(), manager, promptIds, request.newTokens(), request.beams(), true,
                        encoding.endOfText());
                for (int id : tokens) {
                    text.append(decoder.next(id));
                }
                onText.accept(text.toString());
            } else {
                Random random = new Random(request.seed());
                tokens = sample(model.block(), manager, new int[][] {promptIds}, request.newTokens(), request.sampling(),
                        random, true, request.stopAtEnd() ? encoding.endOfText() : -1, encoding.endOfText(), id -> {
                            String piece = decoder.next(id);
                            text.append(piece);
                            onText.accept(piece);
                        })[0];
            }
        }
        String rest = decoder.flush();
        text.append(rest);
        if (!rest.isEmpty()) {
            onText.accept(rest);
        }
        boolean ended = tokens.length > 0 && tokens[tokens.length - 1] == encoding.endOfText();
        return new Generation(promptIds, tokens, text.toString(), ended, (System.nanoTime() - begin) / 1e9);
    }

    /**
     * A prompt as the model reads it: the end-of-text token (every training review follows one),
     * then the normalised text. A trailing space is dropped, since tokens carry their space in front.
     */
    public static int[] promptIds(BytePairEncoding encoding, String prompt) {
        int[] text = encoding.encodeNormalized(BytePairEncoding.normalize(prompt));
        int[] ids = new int[text.length + 1];
        ids[0] = encoding.endOfText();
        System.arraycopy(text, 0, ids, 1, text.length);
        return ids;
    }

    /** How many positions the model can attend over: its learned table, else twice its training length. */
    public static int maxPositions(Transformer.Config config) {
        return config.positions() == Transformer.Positions.LEARNED ? config.maxLength() : 2 * config.maxLength();
    }

    /**
     * Continues every prompt (all of one length) by {@code newTokens} tokens, drawn by {@code settings}
     * with one random stream in row order. A row that emits {@code stopToken} (-1: none) stops there
     * (its later entries stay -1); {@code bannedToken} (-1: none) is never chosen unless it is the stop.
     *
     * @param onToken receives each token of row 0 as it is chosen (for streaming); may be null
     * @return (rows, newTokens) ids, -1 after a stop
     */
    public static int[][] sample(Transformer block, NDManager manager, int[][] prompts, int newTokens,
                                 Sampling.Settings settings, Random random, boolean useCache, int stopToken,
                                 int bannedToken, java.util.function.IntConsumer onToken) {
        int rows = prompts.length;
        int promptLength = prompts[0].length;
        int[][] out = new int[rows][newTokens];
        for (int[] row : out) {
            Arrays.fill(row, -1);
        }
        boolean[] stopped = new boolean[rows];
        int[][] sequences = new int[rows][];
        for (int r = 0; r < rows; r++) {
            sequences[r] = Arrays.copyOf(prompts[r], promptLength + newTokens);
        }
        ParameterStore store = new ParameterStore(manager, false);
        Transformer.KvCache cache = useCache ? new Transformer.KvCache(manager, block.config().layers()) : null;
        try {
            float[][] logits = lastLogits(block, store, manager, sequences, 0, promptLength, cache);
            for (int t = 0; t < newTokens; t++) {
                for (int r = 0; r < rows; r++) {
                    if (stopped[r]) {
                        continue;
                    }
                    if (bannedToken >= 0 && bannedToken != stopToken) {
                        logits[r][bannedToken] = Float.NEGATIVE_INFINITY;
                    }
                    int id = Sampling.draw(Sampling.distribution(logits[r], settings), random);
                    out[r][t] = id;
                    sequences[r][promptLength + t] = id;
                    stopped[r] = id == stopToken;
                    if (r == 0 && onToken != null) {
                        onToken.accept(id);
                    }
                }
                if (t + 1 == newTokens || allTrue(stopped)) {
                    break;
                }
                // Stopped rows keep being computed (a batch is a rectangle); their choices are ignored.
                logits = useCache ? lastLogits(block, store, manager, sequences, promptLength + t, 1, cache)
                        : lastLogits(block, store, manager, sequences, 0, promptLength + t + 1, null);
            }
        } finally {
            if (cache != null) {
                cache.close();
            }
        }
        return out;
    }

    /**
     * Beam search: keeps the {@code beams} most probable sequences (by summed log-probability) at
     * every step and returns the best one. It searches for probable text, which for a language model
     * trained on reviews is generic and repetitive text; the end-of-text token is never chosen (an
     * ended beam would win on probability alone, being shorter).
     */
    public static int[] beamSearch(Transformer block, NDManager manager, int[] prompt, int newTokens, int beams,
                                   boolean useCache, int endOfText) {
        ParameterStore store = new ParameterStore(manager, false);
        Transformer.KvCache cache = useCache ? new Transformer.KvCache(manager, block.config().layers()) : null;
        try {
            List<int[]> sequences = new ArrayList<>(List.of(Arrays.copyOf(prompt, prompt.length + newTokens)));
            double[] scores = {0};
            float[][] logits = lastLogits(block, store, manager, sequences.toArray(int[][]::new), 0, prompt.length, cache);
            for (int t = 0; t < newTokens; t++) {
                List<double[]> candidates = new ArrayList<>(); // {score, parent, token}
                for (int b = 0; b < sequences.size(); b++) {
                    logits[b][endOfText] = Float.NEGATIVE_INFINITY;
                    double[] p = Sampling.softmax(logits[b], 1);
                    for (int token : topTokens(p, beams)) {
                        candidates.add(new double[] {scores[b] + Math.log(p[token]), b, token});
                    }
                }
                candidates.sort(Comparator.<double[]>comparingDouble(c -> -c[0]).thenComparingDouble(c -> c[1])
                        .thenComparingDouble(c -> c[2]));
                List<double[]> kept = candidates.subList(0, Math.min(beams, candidates.size()));
                List<int[]> next = new ArrayList<>();
                int[] parents = new int[kept.size()];
                scores = new double[kept.size()];
                for (int k = 0; k < kept.size(); k++) {
                    parents[k] = (int) kept.get(k)[1];
                    int[] sequence = sequences.get(parents[k]).clone();
                    sequence[prompt.length + t] = (int) kept.get(k)[2];
                    next.add(sequence);
                    scores[k] = kept.get(k)[0];
                }
                sequences = next;
                if (t + 1 == newTokens) {
                    break;
                }
                int[][] rows = sequences.toArray(int[][]::new);
                if (useCache) {
                    cache.select(parents);
                    logits = lastLogits(block, store, manager, rows, prompt.length + t, 1, cache);
                } else {
                    logits = lastLogits(block, store, manager, rows, 0, prompt.length + t + 1, null);
                }
            }
            return Arrays.copyOfRange(sequences.get(0), prompt.length, prompt.length + newTokens);
        } finally {
            if (cache != null) {
                cache.close();
            }
        }
    }

    /** The next-token logits after each row (all of one length), from one pass over the rows. */
    public static float[][] nextLogits(Transformer block, NDManager manager, int[][] rows) {
        return lastLogits(block, new ParameterStore(manager, false), manager, rows, 0, rows[0].length, null);
    }

    /** The logits at the last of positions [from, from + count) of each row, computed on those positions only. */
    private static float[][] lastLogits(Transformer block, ParameterStore store, NDManager manager, int[][] sequences,
                                        int from, int count, Transformer.KvCache cache) {
        int rows = sequences.length;
        int[] ids = new int[rows * count];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(sequences[r], from, ids, r * count, count);
        }
        try (NDManager step = manager.newSubManager()) {
            NDArray input = step.create(ids, new Shape(rows, count));
            NDArray hidden = block.hidden(store, input, false, cache, from, null);
            NDArray last = hidden.get(new NDIndex(":, {}:", count - 1));                      // (rows, 1, d)
            float[] flat = block.logits(store, last, false).toFloatArray();                  // (rows, 1, V)
            int vocabulary = block.config().vocabulary();
            float[][] out = new float[rows][];
            for (int r = 0; r < rows; r++) {
                out[r] = Arrays.copyOfRange(flat, r * vocabulary, (r + 1) * vocabulary);
            }
            return out;
        }
    }

    private static int[] topTokens(double[] p, int count) {
        int[] best = new int[count];
        Arrays.fill(best, -1);
        for (int i = 0; i < p.length; i++) {
            for (int k = 0; k < count; k++) {
                if (best[k] < 0 || p[i] > p[best[k]]) {
                    System.arraycopy(best, k, best, k + 1, count - k - 1);
                    best[k] = i;
                    break;
                }
            }
        }
        return Arrays.stream(best).filter(i -> i >= 0).toArray();
    }

    private static boolean allTrue(boolean[] flags) {
        for (boolean flag : flags) {
            if (!flag) {
                return false;
            }
        }
        return true;
    }
}
