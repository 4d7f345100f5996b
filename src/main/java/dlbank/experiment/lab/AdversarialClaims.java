package dlbank.experiment.lab;

import dlbank.experiment.Claim;
import dlbank.experiment.Result;

import java.util.Map;

/** lab/adversarial-examples' claims, judged on the standard, FGSM-trained and PGD-trained models' figures. */
final class AdversarialClaims {

    private AdversarialClaims() {}

    static void add(Result.Builder result, boolean quick, Map<String, AdversarialExamplesLab.Robustness> models,
                    double leaked) {
        AdversarialExamplesLab.Robustness standard = models.get("standard");
        AdversarialExamplesLab.Robustness fgsmTrained = models.get("fgsm_trained");
        AdversarialExamplesLab.Robustness pgdTrained = models.get("pgd_trained");
        float[] eps = AdversarialExamplesLab.EPSILONS;
        boolean falling = true;
        boolean pgdStronger = true;
        for (int i = 1; i < eps.length; i++) {
            falling &= standard.fgsm()[i] <= standard.fgsm()[i - 1];
            pgdStronger &= standard.pgd()[i] <= standard.fgsm()[i];
        }
        int last = eps.length - 1;
        result.claim(Claim.checkUnlessQuick(quick, "Accuracy under FGSM falls as ε grows, from 0 to 0.3",
                "FGSM 下的准确率随 ε 从 0 增大到 0.3 而下降",
                falling, Claim.values("fgsm_accuracy_0.00", standard.fgsm()[0], "fgsm_accuracy_0.10", standard.fgsm()[2],
                        "fgsm_accuracy_0.20", standard.fgsm()[4], "fgsm_accuracy_0.30", standard.fgsm()[last])));
        result.claim(Claim.checkUnlessQuick(quick, "At every ε, PGD lowers accuracy at least as much as FGSM: it is the stronger attack",
                "在每个 ε 下，PGD 让准确率降得至少和 FGSM 一样多：它是更强的攻击",
                pgdStronger, Claim.values("fgsm_accuracy_0.10", standard.fgsm()[2], "pgd_accuracy_0.10", standard.pgd()[2],
                        "fgsm_accuracy_0.25", standard.fgsm()[5], "pgd_accuracy_0.25", standard.pgd()[5])));
        Map<String, Double> m = result.build().metrics();
        double success = m.get("jsma_success_rate");
        double changed = m.get("jsma_mean_changed_share");
        result.claim(Claim.checkUnlessQuick(quick, "JSMA, run as Papernot et al. ran it (every other class as the target), "
                        + "reaches its target on at least 90% of the attempts, changing under 5% of the pixels on average "
                        + "(they report 97.1% and 4.02% on their MNIST network)",
                "按 Papernot 等人的做法运行 JSMA（以其余每个类别为目标），至少 90% 的尝试能达到目标类别，平均改动不到 5% 的像素"
                        + "（他们在自己的 MNIST 网络上报告的是 97.1% 和 4.02%）",
                success >= 0.9 && changed < 0.05, Claim.values("jsma_success_rate", success, "jsma_mean_changed_share",
                        changed, "jsma_attacks", m.get("jsma_attacks"))));
        result.claim(Claim.checkUnlessQuick(quick, "FGSM at ε = 0.25 brings the undefended model below 50% test accuracy",
                "ε = 0.25 的 FGSM 让未防御模型的测试准确率降到 50% 以下",
                standard.fgsmHeadline() < 0.5, Claim.values("clean_accuracy_standard", standard.clean(),
                        "fgsm_accuracy_standard_0.25", standard.fgsmHeadline())));
        result.claim(Claim.checkUnlessQuick(quick, "PGD adversarial training (Madry et al.) holds against PGD: at ε = 0.25 "
                        + "the PGD-trained model keeps at least 50 points more accuracy under PGD than the undefended model, "
                        + "and at least 97% clean accuracy",
                "PGD 对抗训练（Madry 等人）能抵御 PGD：在 ε = 0.25 下，PGD 训练的模型在 PGD 攻击下的准确率比未防御模型高至少 50 个百分点，"
                        + "干净准确率至少 97%",
                pgdTrained.pgdHeadline() - standard.pgdHeadline() >= 0.5 && pgdTrained.clean() >= 0.97,
                Claim.values("pgd_accuracy_standard_0.25", standard.pgdHeadline(), "pgd_accuracy_pgd_trained_0.25",
                        pgdTrained.pgdHeadline(), "clean_accuracy_pgd_trained", pgdTrained.clean())));
        double fgsmGap = fgsmTrained.fgsmHeadline() - fgsmTrained.pgdHeadline();
        result.claim(Claim.checkUnlessQuick(quick, "FGSM training's weakness: the FGSM-trained model resists FGSM far "
                        + "better than PGD (at ε = 0.25, at least 30 points apart), and under PGD it keeps less accuracy "
                        + "than the PGD-trained model",
                "FGSM 对抗训练的弱点：FGSM 训练的模型抵御 FGSM 远比抵御 PGD 强（ε = 0.25 时相差至少 30 个百分点），"
                        + "在 PGD 下的准确率也低于 PGD 训练的模型",
                fgsmGap >= 0.3 && fgsmTrained.pgdHeadline() < pgdTrained.pgdHeadline(),
                Claim.values("fgsm_accuracy_fgsm_trained_0.25", fgsmTrained.fgsmHeadline(), "pgd_accuracy_fgsm_trained_0.25",
                        fgsmTrained.pgdHeadline(), "pgd_accuracy_pgd_trained_0.25", pgdTrained.pgdHeadline(),
                        "clean_accuracy_fgsm_trained", fgsmTrained.clean())));
        result.claim(Claim.check("The attacks leave no gradient in the model's weights: it is frozen while they run",
                "攻击不会在模型权重上留下梯度：攻击运行时模型被冻结",
                leaked == 0, Claim.values("largest_weight_gradient_after_attacks", leaked)));
    }
}
