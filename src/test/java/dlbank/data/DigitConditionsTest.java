package dlbank.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The preprocessing, without a model: every hard condition's pictures come out in MNIST's form (the
 * polarity found, the digit 20 px on its longer side, its centre of mass at the centre), and a real
 * handwritten digit reads the same dark on light as light on dark. How well a model then reads them
 * is measured by {@code dlbank.predict.ReadingBench}.
 */
class DigitConditionsTest {

    @ParameterizedTest
    @EnumSource(DigitConditions.Condition.class)
    void everyConditionComesOutInMnistForm(DigitConditions.Condition condition) {
        List<DigitConditions.Sample> samples = DigitConditions.draw(condition, 1, 15);
        assertThat(samples).hasSize(10);
        for (DigitConditions.Sample sample : samples) {
            String what = condition + " digit " + sample.digit();
            DigitImage.Prepared prepared = DigitImage.prepare(sample.image(), what);
            assertThat(prepared.steps()).as(what).startsWith(sample.darkOnLight() ? "dark on light" : "light on dark");
            float[] input = prepared.input();
            int[] box = DigitImageTest.box(input);
            assertThat(Math.max(box[2] - box[0], box[3] - box[1]) + 1).as(what).isBetween(18, 22);
            double[] centre = DigitImageTest.centreOfMass(input);
            assertThat(centre[0]).as(what).isCloseTo(14, within(1.5));
            assertThat(centre[1]).as(what).isCloseTo(14, within(1.5));
        }
    }

    @Test
    void theSameSeedDrawsTheSamePictures() {
        DigitConditions.Sample a = DigitConditions.draw(DigitConditions.Condition.PHOTO, 1, 3).get(4);
        DigitConditions.Sample b = DigitConditions.draw(DigitConditions.Condition.PHOTO, 1, 3).get(4);
        assertThat(a.image().getRGB(5, 5)).isEqualTo(b.image().getRGB(5, 5));
        assertThat(DigitImage.toMnist(a.image(), "a")).containsExactly(DigitImage.toMnist(b.image(), "b"));
    }

    @Test
    void realHandwritingReadsTheSameInEitherPolarity() throws IOException {
        List<UciDigits.Digit> digits = UciDigits.read(Path.of("src/test/resources/fixtures/uci-digits/digits-100.csv"));
        assertThat(digits).hasSize(100);
        for (UciDigits.Digit digit : digits.subList(0, 20)) {
            float[] dark = DigitImage.toMnist(UciDigits.render(digit, 128, true), "dark");
            float[] light = DigitImage.toMnist(UciDigits.render(digit, 128, false), "light");
            double difference = 0;
            for (int i = 0; i < dark.length; i++) {
                difference += Math.abs(dark[i] - light[i]);
            }
            // Before the grey levels were read as stored, the two differed by whole strokes.
            assertThat(difference / sum(dark)).as("digit " + digit.label()).isLessThan(0.05);
        }
    }

    private static double sum(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return sum;
    }
}
