package dlbank.experiment.lab;

import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.report.Charts;
import dlbank.rl.CartPole;
import dlbank.rl.PolicyGradientAgent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Reinforcement learning on CartPole-v1 (dlbank.rl.CartPole, the classic control task in plain
 * Java): REINFORCE with a learned baseline plays batches of episodes and improves its policy until
 * its greedy policy averages at least 475 over 100 episodes; that policy is then judged on 100
 * fresh episodes it has never played, the task's "solved" test.
 */
public final class ReinforcementLearningLab implements Experiment {

    public static final String ID = "lab/reinforcement-learning";
    /** CartPole-v1 counts as solved at an average return of 475 over 100 consecutive episodes. */
    static final double SOLVED = 475;
    static final int EVALUATION_EPISODES = 100;
    /** The claim on how fast it learns: well under the budget of 2,000 episodes. */
    static final int EPISODES_CLAIMED = 1_000;

    /**
     * @param maxEpisodes training episodes at most (the run stops earlier once a check passes)
     * @param agent the network and the policy-gradient settings (γ = 0.99: a horizon of about 100 steps)
     */
    record Settings(int maxEpisodes, PolicyGradientAgent.Settings agent) {
        static Settings of(RunContext context) {
            PolicyGradientAgent.Settings agent = new PolicyGradientAgent.Settings(64, 3e-3f, 0.99, 8, 0.01);
            return new Settings(context.quick() ? 80 : 2_000, agent);
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "CartPole-v1 in plain Java solved by REINFORCE with a learned baseline; return curve";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/reinforcement-learning");
    }

    @Override
    public List<String> headlineMetrics() {
        return List.of("evaluation_average_return", "training_episodes");
    }

    @Override
    public Result run(RunContext context) {
        Settings settings = Settings.of(context);
        PolicyGradientAgent.Settings agentSettings = settings.agent();
        long seed = context.config().seed();
        Result.Builder result = Result.builder().config("environment", "CartPole-v1 (dlbank.rl.CartPole)")
                .config("algorithm", "REINFORCE with a learned value baseline; truncated returns completed by V(s)")
                .config("hidden", agentSettings.hidden()).config("learning_rate", agentSettings.learningRate())
                .config("discount", agentSettings.discount()).config("episodes_per_update", agentSettings.episodesPerUpdate())
                .config("entropy_bonus", agentSettings.entropyBonus()).config("max_episodes", settings.maxEpisodes())
                .config("check", "after every update: the greedy policy on 100 new episodes; stop at an average >= 475")
                .config("evaluation", "the greedy policy on 100 further new episodes, never used to decide anything");
        double randomReturn = average(randomPolicy(new Random(seed * 31 + 3)));
        context.info(String.format("random policy: average return %.1f over %d episodes", randomReturn, EVALUATION_EPISODES));

        Random training = new Random(seed);
        Random checks = new Random(seed * 31 + 1);
        List<Double> episodeReturns = new ArrayList<>();
        int solvedAfter = -1;
        double evaluation;
        int[] evaluationReturns;
        double untrained;
        try (PolicyGradientAgent agent = new PolicyGradientAgent(agentSettings, seed, context.device())) {
            // The same network before any update: what training has to improve on.
            untrained = average(agent.play(EVALUATION_EPISODES, new Random(seed * 31 + 4), true).returns());
            context.info(String.format("untrained network, greedy: average return %.1f over %d episodes", untrained,
                    EVALUATION_EPISODES));
            int updates = 0;
            while (episodeReturns.size() < settings.maxEpisodes()) {
                PolicyGradientAgent.Batch batch = agent.play(agentSettings.episodesPerUpdate(), training, false);
                double[] losses = agent.update(batch);
                Arrays.stream(batch.returns()).forEach(r -> episodeReturns.add((double) r));
                updates++;
                double check = average(agent.play(EVALUATION_EPISODES, checks, true).returns());
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("update", updates);
                row.put("episodes", episodeReturns.size());
                row.put("batch_average_return", average(batch.returns()));
                row.put("greedy_check_average_return", check);
                row.put("policy_loss", losses[0]);
                row.put("value_loss", losses[1]);
                row.put("entropy", losses[2]);
                result.historyRow(row);
                if (updates % 10 == 0 || check >= SOLVED) {
                    context.info(String.format("episode %d: batch average %.1f, greedy check %.1f, entropy %.3f",
                            episodeReturns.size(), average(batch.returns()), check, losses[2]));
                }
                if (check >= SOLVED) {
                    solvedAfter = episodeReturns.size();
                    break;
                }
            }
            evaluationReturns = agent.play(EVALUATION_EPISODES, new Random(seed * 31 + 2), true).returns();
            evaluation = average(evaluationReturns);
        }
        int minimum = Arrays.stream(evaluationReturns).min().orElse(0);
        context.info(String.format("evaluation: average return %.1f over %d fresh episodes (lowest %d); trained on %d episodes",
                evaluation, EVALUATION_EPISODES, minimum, episodeReturns.size()));
        result.metric("evaluation_average_return", evaluation).metric("evaluation_lowest_return", minimum)
                .metric("training_episodes", episodeReturns.size()).metric("solved_check_passed", solvedAfter > 0 ? 1 : 0)
                .metric("random_policy_average_return", randomReturn)
                .metric("untrained_greedy_average_return", untrained);
        plot(context, result, episodeReturns);
        addClaims(result, context.quick(), evaluation, minimum, episodeReturns.size(), randomReturn, untrained);
        return result.build();
    }

    /** Returns of a policy that pushes left or right at random, on 100 episodes. */
    private static int[] randomPolicy(Random random) {
        int[] returns = new int[EVALUATION_EPISODES];
        CartPole env = new CartPole();
        for (int e = 0; e < returns.length; e++) {
            env.reset(random);
            while (!env.done()) {
                env.step(random.nextInt(2));
            }
            returns[e] = env.steps();
        }
        return returns;
    }

    private static double average(int[] values) {
        return Arrays.stream(values).average().orElse(0);
    }

    private static void plot(RunContext context, Result.Builder result, List<Double> returns) {
        double[] episodes = new double[returns.size()];
        double[] each = new double[returns.size()];
        double[] moving = new double[returns.size()];
        double sum = 0;
        for (int i = 0; i < returns.size(); i++) {
            episodes[i] = i + 1;
            each[i] = returns.get(i);
            sum += each[i] - (i >= 100 ? each[i - 100] : 0);
            moving[i] = sum / Math.min(i + 1, 100);
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("return of each training episode", each);
        series.put("average of the last 100", moving);
        Charts.lines(context.file("returns.png"), "CartPole-v1: return per training episode (stochastic policy)",
                "training episode", "return (steps balanced, at most 500)", episodes, series, false);
        result.artifact("returns.png");
    }

    private static void addClaims(Result.Builder result, boolean quick, double evaluation, int minimum, int episodes,
                                  double randomReturn, double untrained) {
        result.claim(Claim.checkUnlessQuick(quick, String.format("The trained agent solves CartPole-v1: its greedy "
                        + "policy's average return over %d consecutive fresh evaluation episodes is at least %.0f",
                        EVALUATION_EPISODES, SOLVED),
                String.format("训练后的智能体解决了 CartPole-v1：其贪心策略在 %d 个全新的连续评估回合上的平均回报至少为 %.0f",
                        EVALUATION_EPISODES, SOLVED),
                evaluation >= SOLVED, Claim.values("evaluation_average_return", evaluation,
                        "evaluation_lowest_return", minimum, "training_episodes", episodes)));
        result.claim(Claim.check("A random policy keeps the pole up for only a couple of dozen steps: "
                        + "its average return is below 30",
                "随机策略只能让杆子立住二十几步：平均回报低于 30",
                randomReturn < 30, Claim.values("random_policy_average_return", randomReturn)));
        result.claim(Claim.checkUnlessQuick(quick, String.format(
                        "It gets there within %,d training episodes", EPISODES_CLAIMED),
                String.format("它在 %,d 个训练回合之内做到这一点", EPISODES_CLAIMED),
                episodes <= EPISODES_CLAIMED && evaluation >= SOLVED, Claim.values("training_episodes", episodes)));
        result.claim(Claim.checkUnlessQuick(quick, "Training is what solves it: the same network's greedy policy "
                        + "before any update averages at least 100 less than after training",
                "解决问题的是训练：同一网络在任何更新之前的贪心策略，平均回报比训练后至少低 100",
                evaluation - untrained >= 100, Claim.values("untrained_greedy_average_return", untrained,
                        "evaluation_average_return", evaluation)));
    }
}
