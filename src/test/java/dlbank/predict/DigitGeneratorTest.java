package dlbank.predict;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import dlbank.TestSupport;
import dlbank.model.GanModels;
import dlbank.model.ParameterCount;
import dlbank.model.SavedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Saved generators load with the width they were trained at, including those saved before it was recorded. */
class DigitGeneratorTest {

    static {
        TestSupport.configureEngine();
    }

    private static Model dcgan(int width) {
        Model model = Model.newInstance("generator", Device.cpu());
        model.setBlock(GanModels.generator(GanModels.Kind.DCGAN, width));
        model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, GanModels.noiseShape(1));
        return model;
    }

    @Test
    void aGeneratorLoadsBackAtItsOwnWidthAndDrawsTheSameDigits(@TempDir Path dir) {
        float[] noise = DigitGenerator.noise(3, 5);
        try (DigitGenerator saved = new DigitGenerator(dcgan(GanModels.GENERATOR_WIDTH), GanModels.Kind.DCGAN,
                GanModels.GENERATOR_WIDTH)) {
            List<float[]> before = saved.draw(noise, 3);
            saved.save(dir);
            assertThat(((Number) SavedModel.settings(dir).get("generator_width")).intValue()).isEqualTo(GanModels.GENERATOR_WIDTH);
            try (DigitGenerator loaded = DigitGenerator.load(dir, Device.cpu())) {
                assertThat(loaded.draw(noise, 3)).containsExactlyElementsOf(before);
            }
        }
    }

    @Test
    void aGeneratorSavedBeforeTheWidthWasRecordedLoadsAtTheFirstWidth(@TempDir Path dir) {
        float[] noise = DigitGenerator.noise(2, 6);
        try (Model old = dcgan(GanModels.FIRST_GENERATOR_WIDTH)) {
            List<float[]> before = new DigitGenerator(old, GanModels.Kind.DCGAN, GanModels.FIRST_GENERATOR_WIDTH).draw(noise, 2);
            // What the saved models of earlier versions recorded: the kind and the latent size only.
            SavedModel.save(old, dir, DigitGenerator.ARCHITECTURE, ParameterCount.of(old.getBlock()),
                    Map.of("model", "dcgan", "latent", GanModels.LATENT), folder -> { });
            try (DigitGenerator loaded = DigitGenerator.load(dir, Device.cpu())) {
                assertThat(loaded.draw(noise, 2)).containsExactlyElementsOf(before);
            }
        }
    }
}
