package dlbank.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dlbank.TestSupport;
import dlbank.model.TextClassifier.Cell;
import dlbank.model.TextClassifier.Pooling;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The classifier reads only a review's real tokens: the same review padded to different lengths
 * gets the same logit, for every cell and every pooling. For the bidirectional LSTM this checks
 * that the reverse direction reads the real tokens backwards and never starts in the padding.
 */
class TextClassifierTest {

    static {
        TestSupport.configureEngine();
    }

    private static final int[] REVIEW = {5, 9, 2, 7, 1, 3};

    @Test
    void paddingNeverChangesTheLogit() {
        for (Cell cell : Cell.values()) {
            for (Pooling pooling : Pooling.values()) {
                float shortPad = logit(cell, pooling, 8);
                float longPad = logit(cell, pooling, 20);
                assertThat(longPad).as(cell + " " + pooling).isCloseTo(shortPad, within(1e-5f));
            }
        }
    }

    @Test
    void attentionWeightsSumToOneOverRealTokensAndPaddingGetsNone() {
        try (NDManager manager = NDManager.newBaseManager()) {
            TextClassifier block = initialised(manager, Cell.GRU, Pooling.ATTENTION, 12);
            NDList out = block.logitAndWeights(new ParameterStore(manager, false), padded(manager, 12), false);
            float[] weights = out.get(1).toFloatArray();
            float real = 0;
            for (int t = 0; t < REVIEW.length; t++) {
                real += weights[t];
            }
            assertThat(real).isCloseTo(1f, within(1e-5f));
            for (int t = REVIEW.length; t < 12; t++) {
                assertThat(weights[t]).isCloseTo(0f, within(1e-7f));
            }
        }
    }

    @Test
    void attentionScoresComeFromTheWordsSoTheSameWordGetsTheSameWeightWherePlaced() {
        // Word 9 at positions 1 and 4; their states differ (the GRU has read different words by then).
        try (NDManager manager = NDManager.newBaseManager()) {
            TextClassifier block = initialised(manager, Cell.GRU, Pooling.ATTENTION, 8);
            NDArray ids = manager.create(new int[] {5, 9, 2, 7, 9, 3, 0, 0}, new Shape(1, 8));
            float[] weights = block.logitAndWeights(new ParameterStore(manager, false), ids, false).get(1).toFloatArray();
            assertThat(weights[4]).isCloseTo(weights[1], within(1e-6f));
            assertThat(weights[2]).isNotCloseTo(weights[1], within(1e-6f));
        }
    }

    @Test
    void theBidirectionalModelReadsWordOrderBothWays() {
        // Reversing the review changes the forward reading; a model that only pooled embeddings would not notice.
        try (NDManager manager = NDManager.newBaseManager()) {
            TextClassifier block = initialised(manager, Cell.BILSTM, Pooling.LAST, 8);
            ParameterStore store = new ParameterStore(manager, false);
            float forward = block.logitAndWeights(store, padded(manager, 8), false).get(0).getFloat();
            int[] reversed = new int[8];
            for (int t = 0; t < REVIEW.length; t++) {
                reversed[t] = REVIEW[REVIEW.length - 1 - t];
            }
            NDArray backwards = manager.create(reversed, new Shape(1, 8));
            float other = block.logitAndWeights(store, backwards, false).get(0).getFloat();
            assertThat(other).isNotCloseTo(forward, within(1e-6f));
        }
    }

    private static float logit(Cell cell, Pooling pooling, int length) {
        try (NDManager manager = NDManager.newBaseManager()) {
            TextClassifier block = initialised(manager, cell, pooling, length);
            return block.forward(new ParameterStore(manager, false), new NDList(padded(manager, length)), false)
                    .singletonOrThrow().getFloat();
        }
    }

    private static TextClassifier initialised(NDManager manager, Cell cell, Pooling pooling, int length) {
        Engine.getInstance().setRandomSeed(3);
        TextClassifier block = new TextClassifier(new TextClassifier.Config(cell, pooling, 12, 4, 5));
        block.initialize(manager, DataType.FLOAT32, new Shape(1, length));
        return block;
    }

    private static NDArray padded(NDManager manager, int length) {
        int[] ids = new int[length];
        System.arraycopy(REVIEW, 0, ids, 0, REVIEW.length);
        return manager.create(ids, new Shape(1, length));
    }
}
