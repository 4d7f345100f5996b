package dlbank.rl;

import java.util.Random;

/**
 * The cart-pole balancing task (Barto, Sutton &amp; Anderson, 1983, Neuronlike adaptive elements that
 * can solve difficult learning control problems) in the form of the classic control task CartPole-v1:
 * the same constants, the same Euler integration, the same limits. A pole is hinged on a cart; each
 * step pushes the cart left or right with a fixed force and pays +1. The episode ends (terminates) when
 * the pole leans more than 12 degrees or the cart leaves [-2.4, 2.4], and is cut off (truncated) after
 * 500 steps, so a return lies in 1..500.
 *
 * <p>State: {x (m), x' (m/s), theta (rad, 0 = upright), theta' (rad/s)}. Action 0 pushes left, 1 right.
 */
public final class CartPole {

    public static final double GRAVITY = 9.8;
    public static final double CART_MASS = 1.0;
    public static final double POLE_MASS = 0.1;
    public static final double TOTAL_MASS = CART_MASS + POLE_MASS;
    /** Half the pole's length. */
    public static final double HALF_LENGTH = 0.5;
    public static final double POLE_MASS_LENGTH = POLE_MASS * HALF_LENGTH;
    public static final double FORCE = 10.0;
    /** Seconds per step. */
    public static final double TAU = 0.02;
    public static final double ANGLE_LIMIT = 12 * 2 * Math.PI / 360;
    public static final double POSITION_LIMIT = 2.4;
    public static final int STEP_LIMIT = 500;
    public static final int STATE_SIZE = 4;
    public static final int ACTIONS = 2;

    /** What one step returned: the reward, and whether the episode failed or ran out of time. */
    public record Step(double reward, boolean terminated, boolean truncated) {
        public boolean done() {
            return terminated || truncated;
        }
    }

    private final double[] state = new double[STATE_SIZE];
    private int steps;
    private boolean done = true;

    /** Starts an episode: every state value uniform in [-0.05, 0.05], as the classic task does. */
    public double[] reset(Random random) {
        for (int i = 0; i < STATE_SIZE; i++) {
            state[i] = random.nextDouble() * 0.1 - 0.05;
        }
        steps = 0;
        done = false;
        return state();
    }

    /** Starts an episode from a given state (tests, pictures). */
    public double[] reset(double[] start) {
        System.arraycopy(start, 0, state, 0, STATE_SIZE);
        steps = 0;
        done = false;
        return state();
    }

    /** A copy of the current state. */
    public double[] state() {
        return state.clone();
    }

    public int steps() {
        return steps;
    }

    public boolean done() {
        return done;
    }

    /** Pushes the cart (0 = left, 1 = right) for one time step of {@link #TAU} seconds. */
    public Step step(int action) {
        if (done) {
            throw new IllegalStateException("the episode has ended; call reset first");
        }
        if (action != 0 && action != 1) {
            throw new IllegalArgumentException("action must be 0 (left) or 1 (right), not " + action);
        }
        double x = state[0];
        double xDot = state[1];
        double theta = state[2];
        double thetaDot = state[3];
        double force = action == 1 ? FORCE : -FORCE;
        double cos = Math.cos(theta);
        double sin = Math.sin(theta);
        // The equations of motion of the classic task (frictionless cart and hinge).
        double temp = (force + POLE_MASS_LENGTH * thetaDot * thetaDot * sin) / TOTAL_MASS;
        double thetaAcc = (GRAVITY * sin - cos * temp)
                / (HALF_LENGTH * (4.0 / 3.0 - POLE_MASS * cos * cos / TOTAL_MASS));
        double xAcc = temp - POLE_MASS_LENGTH * thetaAcc * cos / TOTAL_MASS;
        // Explicit Euler: positions move with the old velocities.
        state[0] = x + TAU * xDot;
        state[1] = xDot + TAU * xAcc;
        state[2] = theta + TAU * thetaDot;
        state[3] = thetaDot + TAU * thetaAcc;
        steps++;
        boolean terminated = state[0] < -POSITION_LIMIT || state[0] > POSITION_LIMIT
                || state[2] < -ANGLE_LIMIT || state[2] > ANGLE_LIMIT;
        boolean truncated = !terminated && steps >= STEP_LIMIT;
        done = terminated || truncated;
        // +1 for every step taken, the failing one included.
        return new Step(1.0, terminated, truncated);
    }
}
