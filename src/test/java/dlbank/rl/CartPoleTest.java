package dlbank.rl;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** CartPole's dynamics against steps worked out by hand, and its limits. */
class CartPoleTest {

    private static final double EXACT = 1e-12;

    @Test
    void aPushToTheRightFromRestFollowsTheEquationsOfMotion() {
        // At rest (θ = 0, θ' = 0), sin θ = 0 and cos θ = 1, so
        //   temp = F / (m_c + m_p)                         = 10 / 1.1       = 100/11
        //   θ''  = -temp / (l (4/3 - m_p / (m_c + m_p)))  = -(100/11) / (0.5 (4/3 - 1/11)) = -600/41
        //   x''  = temp - m_p l θ'' / (m_c + m_p)          = 100/11 + 0.05 (600/41) / 1.1   = 4400/451
        // and Euler moves the positions with the old (zero) velocities.
        CartPole env = new CartPole();
        env.reset(new double[] {0, 0, 0, 0});
        CartPole.Step step = env.step(1);
        double[] s = env.state();
        assertThat(s[0]).isCloseTo(0, within(EXACT));
        assertThat(s[1]).isCloseTo(0.02 * 4400.0 / 451, within(EXACT));
        assertThat(s[2]).isCloseTo(0, within(EXACT));
        assertThat(s[3]).isCloseTo(-0.02 * 600.0 / 41, within(EXACT));
        assertThat(step.reward()).isEqualTo(1.0);
        assertThat(step.done()).isFalse();

        // Second push: θ is still 0, so the accelerations repeat; positions move with step 1's velocities.
        env.step(1);
        s = env.state();
        assertThat(s[0]).isCloseTo(0.02 * 0.02 * 4400.0 / 451, within(EXACT));
        assertThat(s[1]).isCloseTo(2 * 0.02 * 4400.0 / 451, within(EXACT));
        assertThat(s[2]).isCloseTo(0.02 * (-0.02 * 600.0 / 41), within(EXACT));
        assertThat(s[3]).isCloseTo(-2 * 0.02 * 600.0 / 41, within(EXACT));
    }

    @Test
    void pushingLeftMirrorsPushingRight() {
        CartPole env = new CartPole();
        env.reset(new double[] {0, 0, 0, 0});
        env.step(0);
        double[] s = env.state();
        assertThat(s[1]).isCloseTo(-0.02 * 4400.0 / 451, within(EXACT));
        assertThat(s[3]).isCloseTo(0.02 * 600.0 / 41, within(EXACT));
    }

    @Test
    void aTiltedMovingPoleMatchesAStepComputedOnPaper() {
        // From (x, x', θ, θ') = (0.01, -0.02, 0.03, 0.04), pushing left (F = -10):
        //   temp = (-10 + 0.05·0.04²·sin 0.03) / 1.1 = -9.0909069...
        //   θ''  = (9.8 sin 0.03 - cos 0.03 · temp) / (0.5 (4/3 - 0.1 cos² 0.03 / 1.1)) = 15.0997612...
        //   x''  = temp - 0.05 θ'' cos 0.03 / 1.1 = -9.7769509...
        //   x' = -0.02 + 0.02 x'' = -0.2155390..., θ' = 0.04 + 0.02 θ'' = 0.3419952...
        // (the later steps worked through to 12 digits with an independent calculator).
        CartPole env = new CartPole();
        env.reset(new double[] {0.01, -0.02, 0.03, 0.04});
        env.step(0);
        double[] s = env.state();
        assertThat(s[0]).isCloseTo(0.0096, within(1e-12));
        assertThat(s[1]).isCloseTo(-0.215539017103, within(1e-11));
        assertThat(s[2]).isCloseTo(0.0308, within(1e-12));
        assertThat(s[3]).isCloseTo(0.341995223776, within(1e-11));
        env.step(1);
        env.step(1);
        s = env.state();
        assertThat(s[0]).isCloseTo(0.004871849698, within(1e-11));
        assertThat(s[1]).isCloseTo(0.173694120275, within(1e-11));
        assertThat(s[2]).isCloseTo(0.038823538611, within(1e-11));
        assertThat(s[3]).isCloseTo(-0.221391989244, within(1e-11));
    }

    @Test
    void theEpisodeFailsBeyondTwelveDegreesOfAngle() {
        CartPole env = new CartPole();
        // θ' carries θ from just below 12° (0.20944 rad) to just above it in one step.
        env.reset(new double[] {0, 0, CartPole.ANGLE_LIMIT - 0.001, 0.1});
        CartPole.Step step = env.step(0);
        assertThat(env.state()[2]).isGreaterThan(CartPole.ANGLE_LIMIT);
        assertThat(step.terminated()).isTrue();
        assertThat(step.truncated()).isFalse();
        assertThat(step.reward()).isEqualTo(1.0);
        assertThat(CartPole.ANGLE_LIMIT).isCloseTo(Math.toRadians(12), within(EXACT));
        assertThatThrownBy(() -> env.step(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theEpisodeFailsWhenTheCartLeavesTheTrack() {
        CartPole env = new CartPole();
        env.reset(new double[] {-2.399, -1.0, 0, 0});
        assertThat(env.step(1).terminated()).isTrue();
        assertThat(env.state()[0]).isLessThan(-2.4);
        env.reset(new double[] {2.39, 0.1, 0, 0});
        assertThat(env.step(1).terminated()).as("x = 2.392 is still on the track").isFalse();
    }

    @Test
    void anEpisodeIsCutOffAfter500StepsWithoutFailing() {
        CartPole env = new CartPole();
        env.reset(new double[] {0, 0, 0, 0});
        int steps = 0;
        CartPole.Step step;
        do {
            // A simple balancing rule: push toward the side the pole falls to.
            double[] s = env.state();
            step = env.step(s[2] + 0.5 * s[3] + 0.01 * s[0] + 0.1 * s[1] > 0 ? 1 : 0);
            steps++;
        } while (!step.done());
        assertThat(steps).isEqualTo(500);
        assertThat(step.truncated()).isTrue();
        assertThat(step.terminated()).isFalse();
    }

    @Test
    void episodesStartNearUprightAndRandomPushesFailWithinAFewDozenSteps() {
        CartPole env = new CartPole();
        Random random = new Random(7);
        long total = 0;
        for (int episode = 0; episode < 200; episode++) {
            for (double value : env.reset(random)) {
                assertThat(value).isBetween(-0.05, 0.05);
            }
            while (!env.done()) {
                env.step(random.nextInt(2));
            }
            total += env.steps();
        }
        assertThat(total / 200.0).as("a random policy's average return, about 22").isBetween(15.0, 30.0);
    }
}
