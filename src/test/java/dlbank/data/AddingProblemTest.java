package dlbank.data;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AddingProblemTest {

    @Test
    void eachSequenceMarksOneStepPerHalfAndTheTargetIsTheirSum() {
        AddingProblem problem = AddingProblem.generate(200, 30, 1);
        for (int n = 0; n < problem.size(); n++) {
            int firstHalf = 0;
            int secondHalf = 0;
            double sum = 0;
            for (int t = 0; t < 30; t++) {
                float value = problem.inputs()[(n * 30 + t) * 2];
                float marker = problem.inputs()[(n * 30 + t) * 2 + 1];
                assertThat(value).isBetween(0f, 1f);
                assertThat(marker).isIn(0f, 1f);
                if (marker == 1) {
                    sum += value;
                    if (t < 15) {
                        firstHalf++;
                    } else {
                        secondHalf++;
                    }
                }
            }
            assertThat(firstHalf).isEqualTo(1);
            assertThat(secondHalf).isEqualTo(1);
            assertThat((double) problem.targets()[n]).isCloseTo(sum, within(1e-6));
        }
    }

    @Test
    void theSameSeedGivesTheSameSequencesAndTheBaselineIsOneSixth() {
        assertThat(AddingProblem.generate(10, 8, 5).inputs()).isEqualTo(AddingProblem.generate(10, 8, 5).inputs());
        AddingProblem many = AddingProblem.generate(20_000, 4, 2);
        double squared = 0;
        for (float target : many.targets()) {
            squared += (target - 1) * (target - 1);
        }
        // Var(U1 + U2) = 2/12: always answering 1 scores about 0.1667.
        assertThat(squared / many.size()).isCloseTo(AddingProblem.BASELINE_MSE, within(0.01));
    }
}
