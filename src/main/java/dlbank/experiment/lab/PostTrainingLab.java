package dlbank.experiment.lab;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import dlbank.data.BytePairEncoding;
import dlbank.data.ImdbDataset.Review;
import dlbank.data.ImdbSplit;
import dlbank.eval.NaiveBayesSentiment;
import dlbank.eval.Sampling;
import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.LanguageModelTraining;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.experiment.TextModels;
import dlbank.model.LanguageModel;
import dlbank.model.SentimentModel;
import dlbank.model.Transformer;
import dlbank.model.Weights;
import dlbank.predict.TextGenerator;
import dlbank.report.Charts;
import dlbank.train.CheckpointedAdam;
import dlbank.train.DpoLoss;
import dlbank.train.FitLoop;
import dlbank.train.TokenLoss;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Post-training by direct preference optimisation (DPO) on IMDb: lab/llm-decoding's language model,
 * steered towards positive reviews with preference pairs made from its own samples and ranked by
 * task/imdb-rnn's classifier. That classifier is both the reward and a judge, so a second judge built
 * differently (naive Bayes on other reviews) checks it; the KL divergence to the reference model and
 * the held-out perplexity say what the steering cost.
 */
public final class PostTrainingLab implements Experiment {

    public static final String ID = "lab/post-training";

    record Setup(int trainPrompts, int samplesPerPrompt, int answerTokens, int evalPrompts, int epochs, int batchPairs,
                 float beta, float learningRate, int heldOutWindows) {
        static Setup of(boolean quick) {
            return quick ? new Setup(16, 2, 8, 16, 1, 8, 0.1f, 1e-4f, 8)
                    : new Setup(1_500, 4, 48, 500, 2, 16, 0.1f, 1e-4f, 200);
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "DPO on IMDb: steer the small GPT towards positive reviews, judged by two classifiers; KL and perplexity";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/post-training");
    }

    @Override
    public List<String> headlineMetrics() {
        return List.of("positive_share_after", "positive_share_before");
    }

    @Override
    public Result run(RunContext context) throws Exception {
        boolean quick = context.quick();
        Setup setup = Setup.of(quick);
        java.nio.file.Path lmDir = TextModels.languageModel(context);
        java.nio.file.Path judgeDir = TextModels.sentimentClassifier(context);
        Result.Builder result = Result.builder().config("reference_model", lmDir.toString())
                .config("reward_and_judge", judgeDir.toString())
                .config("dpo", String.format("beta %.2f, Adam %.0e, %d epochs, %d pairs per step", setup.beta(),
                        setup.learningRate(), setup.epochs(), setup.batchPairs()));
        dpoLossCheck(result, new Random(context.config().seed()));
        ImdbSplit split = ImdbSplit.load(context.dataHome(), context::info);
        // The second judge learns from the half of the reviews the recurrent judge never saw.
        NaiveBayesSentiment secondJudge = NaiveBayesSentiment.train(split.test());
        double secondJudgeAccuracy = secondJudge.accuracy(split.train().subList(0, Math.min(5_000, split.train().size())));
        result.metric("second_judge_accuracy", secondJudgeAccuracy);
        try (LanguageModel reference = LanguageModel.load(lmDir, context.device());
             SentimentModel judge = SentimentModel.load(judgeDir, context.device());
             Model policyModel = Model.newInstance("policy", context.device())) {
            BytePairEncoding encoding = reference.encoding();
            int[][] trainPrompts = prompts(encoding, split.train(), setup.trainPrompts());
            int[][] evalPrompts = prompts(encoding, split.test().subList(0, split.test().size() / 2), setup.evalPrompts());
            policyModel.setBlock(new Transformer(reference.config()));
            Trainer trainer = policyModel.newTrainer(new DefaultTrainingConfig(new TokenLoss())
                    .optOptimizer(new CheckpointedAdam(setup.learningRate(), 1f)));
            trainer.initialize(new Shape(1, 8));
            Weights.copy(reference.block(), policyModel.getBlock());
            LanguageModel policy = LanguageModel.of(policyModel, encoding);

            Sampling.Settings sampling = new Sampling.Settings(1.0, 0, 1);
            long seed = context.config().seed();
            List<int[]> before = sample(policy, evalPrompts, setup.answerTokens(), sampling, new Random(seed + 1));
            double[][] judgedBefore = judge(judge, secondJudge, encoding, evalPrompts, before);

            // Preference pairs: several answers per prompt from the reference model, the judge's most and
            // least positive one become (chosen, rejected).
            int[][] repeated = Arrays.stream(trainPrompts).flatMap(p -> java.util.stream.Stream.generate(() -> p)
                    .limit(setup.samplesPerPrompt())).toArray(int[][]::new);
            List<int[]> answers = sample(reference, repeated, setup.answerTokens(), sampling, new Random(seed + 2));
            double[] rewards = judge(judge, secondJudge, encoding, repeated, answers)[0];
            List<int[][]> pairs = new ArrayList<>();
            double margin = 0;
            for (int p = 0; p < trainPrompts.length; p++) {
                int best = p * setup.samplesPerPrompt();
                int worst = best;
                for (int s = p * setup.samplesPerPrompt(); s < (p + 1) * setup.samplesPerPrompt(); s++) {
                    best = rewards[s] > rewards[best] ? s : best;
                    worst = rewards[s] < rewards[worst] ? s : worst;
                }
                if (best != worst) {
                    pairs.add(new int[][] {trainPrompts[p], answers.get(best), answers.get(worst)});
                    margin += (rewards[best] - rewards[worst]) / trainPrompts.length;
                }
            }
            context.info(String.format("%,d preference pairs from %,d samples; mean judge margin chosen - rejected %.3f",
                    pairs.size(), answers.size(), margin));
            result.metric("preference_pairs", pairs.size()).metric("mean_pair_margin", margin);
            List<Map<String, Object>> curve = DirectPreference.train(context, trainer, reference, pairs, setup);
            curve.forEach(result::historyRow);

            List<int[]> after = sample(policy, evalPrompts, setup.answerTokens(), sampling, new Random(seed + 1));
            double[][] judgedAfter = judge(judge, secondJudge, encoding, evalPrompts, after);
            double kl = DirectPreference.klPerToken(policy, reference, evalPrompts, after);
            // The last test reviews: held out from the language model's training too.
            List<Review> heldOut = split.test().subList(split.test().size() - Math.min(500, split.test().size() / 5),
                    split.test().size());
            int[][] windows = LanguageModelTraining.windows(LanguageModelTraining.stream(encoding,
                    heldOut.stream().map(r -> BytePairEncoding.normalize(r.text())).toList()),
                    Math.min(128, reference.config().maxLength()), setup.heldOutWindows(), 7);
            double[] perplexity;
            try (NDManager manager = NDManager.newBaseManager(context.device())) {
                FitLoop.Data held = LanguageModelTraining.nextTokenData(manager, windows);
                perplexity = new double[] {Math.exp(LanguageModelTraining.meanTokenLoss(reference.model(), held, 16)),
                        Math.exp(LanguageModelTraining.meanTokenLoss(policyModel, held, 16))};
            }
            report(context, result, quick, judgedBefore, judgedAfter, kl, perplexity, encoding, evalPrompts, before, after);
            trainer.close();
        }
        return result.build();
    }

    /** The end-of-text token and the first two tokens of each review: a neutral start such as "This movie". */
    private static int[][] prompts(BytePairEncoding encoding, List<Review> reviews, int count) {
        List<int[]> prompts = new ArrayList<>();
        for (Review review : reviews) {
            int[] ids = encoding.encodeNormalized(BytePairEncoding.normalize(review.text()));
            if (ids.length >= 2) {
                prompts.add(new int[] {encoding.endOfText(), ids[0], ids[1]});
            }
            if (prompts.size() == count) {
                break;
            }
        }
        return prompts.toArray(int[][]::new);
    }

    private static List<int[]> sample(LanguageModel model, int[][] prompts, int tokens, Sampling.Settings sampling,
                                      Random random) {
        List<int[]> answers = new ArrayList<>();
        for (int from = 0; from < prompts.length; from += 64) {
            int[][] batch = Arrays.copyOfRange(prompts, from, Math.min(prompts.length, from + 64));
            try (NDManager manager = model.model().getNDManager().newSubManager()) {
                answers.addAll(List.of(TextGenerator.sample(model.block(), manager, batch, tokens, sampling, random, true,
                        -1, model.encoding().endOfText(), null)));
            }
        }
        return answers;
    }

    /** {p(positive) by the recurrent judge, by naive Bayes} of each prompt's opening and answer as one text. */
    private static double[][] judge(SentimentModel judge, NaiveBayesSentiment second, BytePairEncoding encoding,
                                    int[][] prompts, List<int[]> answers) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            texts.add(text(encoding, prompts[i], answers.get(i)));
        }
        float[] first = judge.positiveProbabilities(texts);
        double[][] out = new double[2][texts.size()];
        for (int i = 0; i < texts.size(); i++) {
            out[0][i] = first[i];
            out[1][i] = second.positiveProbability(texts.get(i));
        }
        return out;
    }

    static String text(BytePairEncoding encoding, int[] prompt, int[] answer) {
        return encoding.decode(Arrays.copyOfRange(prompt, 1, prompt.length)) + encoding.decode(answer);
    }

    private static double share(double[] probabilities) {
        return Arrays.stream(probabilities).filter(p -> p > 0.5).count() / (double) probabilities.length;
    }

    /** The hand-written DPO loss and its gradient against plain arithmetic and the engine's autograd. */
    private static void dpoLossCheck(Result.Builder result, Random random) {
        double worstLoss = 0;
        double worstGradient = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            double[][] pairs = new double[64][4];
            for (double[] pair : pairs) {
                for (int k = 0; k < 4; k++) {
                    pair[k] = -40 * random.nextDouble();
                }
            }
            for (double[] pair : pairs) {
                NDArray chosen = manager.create(new double[] {pair[0]});
                chosen.setRequiresGradient(true);
                try (GradientCollector collector = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                    NDArray loss = DpoLoss.loss(chosen, manager.create(new double[] {pair[1]}),
                            manager.create(new double[] {pair[2]}), manager.create(new double[] {pair[3]}), 0.1);
                    worstLoss = Math.max(worstLoss, Math.abs(loss.getDouble() - DpoLoss.reference(pair[0], pair[1], pair[2],
                            pair[3], 0.1)));
                    collector.backward(loss);
                }
                worstGradient = Math.max(worstGradient, Math.abs(chosen.getGradient().getDouble()
                        - DpoLoss.chosenGradient(pair[0], pair[1], pair[2], pair[3], 0.1)));
            }
        }
        result.metric("dpo_loss_max_difference", worstLoss).metric("dpo_gradient_max_difference", worstGradient);
        result.claim(Claim.check("The hand-written DPO loss, -log σ(β·[(log π(y_w) - log π_ref(y_w)) - (log π(y_l) - "
                        + "log π_ref(y_l))]), equals plain arithmetic, and its autograd gradient equals -β·σ(-z) (to 1e-9)",
                "手写的 DPO 损失 -log σ(β·[(log π(y_w) - log π_ref(y_w)) - (log π(y_l) - log π_ref(y_l))]) 与朴素算术结果一致，"
                        + "自动求导的梯度等于 -β·σ(-z)（误差 1e-9 以内）",
                worstLoss < 1e-9 && worstGradient < 1e-9,
                Claim.values("dpo_loss_max_difference", worstLoss, "dpo_gradient_max_difference", worstGradient)));
    }

    private static void report(RunContext context, Result.Builder result, boolean quick, double[][] before,
                               double[][] after, double kl, double[] perplexity, BytePairEncoding encoding,
                               int[][] prompts, List<int[]> samplesBefore, List<int[]> samplesAfter) {
        double[] first = {share(before[0]), share(after[0])};
        double[] second = {share(before[1]), share(after[1])};
        result.metric("positive_share_before", first[0]).metric("positive_share_after", first[1])
                .metric("second_judge_share_before", second[0]).metric("second_judge_share_after", second[1])
                .metric("kl_per_token", kl).metric("perplexity_reference", perplexity[0])
                .metric("perplexity_policy", perplexity[1]);
        context.info(String.format("positive share by the reward's classifier %.3f -> %.3f; by naive Bayes %.3f -> %.3f; "
                        + "KL to the reference %.3f nats per token; held-out perplexity %.1f -> %.1f", first[0], first[1],
                second[0], second[1], kl, perplexity[0], perplexity[1]));
        StringBuilder samples = new StringBuilder();
        for (int i = 0; i < Math.min(10, prompts.length); i++) {
            samples.append("before: ").append(oneLine(text(encoding, prompts[i], samplesBefore.get(i)))).append('\n')
                    .append("after:  ").append(oneLine(text(encoding, prompts[i], samplesAfter.get(i)))).append("\n\n");
            if (i < 3) {
                context.info("before: " + oneLine(text(encoding, prompts[i], samplesBefore.get(i))));
                context.info("after:  " + oneLine(text(encoding, prompts[i], samplesAfter.get(i))));
            }
        }
        dlbank.report.AtomicFiles.writeString(context.file("samples.txt"), samples.toString());
        result.artifact("samples.txt");
        Map<String, double[]> bars = new LinkedHashMap<>();
        bars.put("before DPO", new double[] {first[0], second[0]});
        bars.put("after DPO", new double[] {first[1], second[1]});
        Charts.bars(context.file("positive_share.png"), "Share of samples judged positive", "judge", "share",
                List.of("recurrent classifier (the reward)", "naive Bayes (independent)"), bars, 0.0);
        result.artifact("positive_share.png");
        result.claim(Claim.checkUnlessQuick(quick, "DPO on the model's own ranked samples raises the share of positive "
                        + "samples, as judged by the classifier that ranked them, by at least 20 points",
                "用模型自己的、经分类器排序的样本做 DPO，被这个分类器判为正面的样本比例至少提高 20 个百分点",
                first[1] - first[0] >= 0.20, Claim.values("positive_share_before", first[0], "positive_share_after", first[1])));
        result.claim(Claim.checkUnlessQuick(quick, "The rise is not only the reward's judge being gamed: an independent "
                        + "naive Bayes judge trained on other reviews sees at least half of it",
                "提升不只是钻了奖励分类器的空子：用其他评论训练的独立朴素贝叶斯判别器也看到了至少一半的提升",
                second[1] - second[0] >= 0.5 * (first[1] - first[0]) && first[1] > first[0],
                Claim.values("second_judge_share_before", second[0], "second_judge_share_after", second[1])));
        result.claim(Claim.checkUnlessQuick(quick, "The steering costs little fluency: held-out perplexity on human "
                        + "reviews stays within 1.5 times the reference model's",
                "这种引导几乎不损失流畅度：在人写的留出评论上，困惑度不超过参考模型的 1.5 倍",
                perplexity[1] <= 1.5 * perplexity[0],
                Claim.values("perplexity_reference", perplexity[0], "perplexity_policy", perplexity[1], "kl_per_token", kl)));
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }
}
