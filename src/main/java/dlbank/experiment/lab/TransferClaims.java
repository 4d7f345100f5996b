package dlbank.experiment.lab;

import dlbank.experiment.Claim;
import dlbank.experiment.Result;

import java.util.Map;

/** lab/transfer-learning's claims, judged on the near and far settings' figures. */
final class TransferClaims {

    private TransferClaims() {}

    static void add(Result.Builder result, boolean quick, int last) {
        Map<String, Double> m = result.build().metrics();
        double nearLead = m.get("accuracy_near_fine_tuned_100") - m.get("accuracy_near_scratch_100");
        double farLead = m.get("accuracy_far_fine_tuned_100") - m.get("accuracy_far_scratch_100");
        result.claim(Claim.checkUnlessQuick(quick, "Near transfer pays: with 100 labels of digits turned a quarter "
                        + "turn, fine-tuning the MNIST network beats training from scratch by at least 5 points",
                "相近任务之间的迁移有回报：旋转 90 度的数字只有 100 个标签时，微调 MNIST 网络比从零训练高至少 5 个百分点",
                nearLead >= 0.05, Claim.values("accuracy_near_fine_tuned_100", m.get("accuracy_near_fine_tuned_100"),
                        "accuracy_near_scratch_100", m.get("accuracy_near_scratch_100"), "lead_near_100", nearLead)));
        result.claim(Claim.checkUnlessQuick(quick, "Far transfer pays less: with 100 labels, fine-tuning the MNIST "
                        + "network on Fashion-MNIST leads training from scratch by less than near transfer does",
                "相距较远的迁移回报更小：只有 100 个标签时，把 MNIST 网络微调到 Fashion-MNIST，领先从零训练的幅度小于相近任务的迁移",
                farLead < nearLead, Claim.values("lead_far_100", farLead, "lead_near_100", nearLead)));
        double frozenFar = m.get("accuracy_far_frozen_100");
        double randomFar = m.get("accuracy_far_frozen_random_100");
        result.claim(Claim.checkUnlessQuick(quick, "Even far, the transferred features carry something: with 100 labels, "
                        + "the frozen MNIST convolutions under a new head beat the same frozen layers left at random "
                        + "weights by at least 3 points on clothing",
                "即使相距较远，迁移来的特征也有用：只有 100 个标签时，冻结的 MNIST 卷积层加新的输出头，在衣物上比同样冻结、"
                        + "保持随机权重的卷积层高至少 3 个百分点",
                frozenFar - randomFar >= 0.03, Claim.values("accuracy_far_frozen_100", frozenFar,
                        "accuracy_far_frozen_random_100", randomFar)));
        double nearLeadLast = m.get("accuracy_near_fine_tuned_" + last) - m.get("accuracy_near_scratch_" + last);
        result.claim(Claim.checkUnlessQuick(quick, String.format("Pretraining helps most when labels are fewest: near "
                        + "fine-tuning's lead over training from scratch is larger at 100 labels than at %,d", last),
                String.format("标签越少，预训练的帮助越大：相近任务中，微调相对从零训练的优势在 100 个标签时比 %,d 个标签时更大", last),
                nearLead > nearLeadLast, Claim.values("lead_near_100", nearLead, "lead_near_" + last, nearLeadLast)));
        double adapters = m.get("adapter_parameters_near_lora");
        double transferred = m.get("transferred_parameters_near");
        double lora = m.get("accuracy_near_lora_100");
        double tuned = m.get("accuracy_near_fine_tuned_100");
        result.claim(Claim.checkUnlessQuick(quick, String.format("LoRA (rank %d) adapts the transferred layers with under "
                        + "a tenth of their parameters and, near, with 100 labels, comes within 1 point of full "
                        + "fine-tuning's accuracy", TransferLearningLab.RANK),
                String.format("LoRA（秩 %d）调整迁移来的层，所用参数不到这些层的十分之一；在相近任务、100 个标签时，准确率与完全微调相差不超过 1 个百分点",
                        TransferLearningLab.RANK),
                adapters < transferred / 10 && lora >= tuned - 0.01, Claim.values("adapter_parameters_near_lora",
                        adapters, "transferred_parameters_near", transferred, "accuracy_near_lora_100", lora,
                        "accuracy_near_fine_tuned_100", tuned)));
        double merge = Math.max(m.get("lora_merge_max_difference_near"), m.get("lora_merge_max_difference_far"));
        double mergedCount = m.get("parameters_near_lora_merged");
        result.claim(Claim.check("Merged into its layers (W + (α/r)·B·A), LoRA leaves a plain network with the "
                        + "pretrained network's parameter count whose logits equal the adapted network's to 1e-4",
                "把 LoRA 合并进各层（W + (α/r)·B·A）后，得到的是参数量与预训练网络相同的普通网络，它的 logits 与带适配器的网络相差不超过 1e-4",
                merge <= 1e-4 && mergedCount == m.get("parameters_near_scratch"), Claim.values("largest_logit_difference",
                        merge, "parameters_merged", mergedCount, "parameters_pretrained", m.get("parameters_near_scratch"))));
        double scratchCount = m.get("parameters_far_scratch");
        double tunedCount = m.get("parameters_far_fine_tuned");
        double frozenCount = m.get("trainable_parameters_far_frozen");
        result.claim(Claim.check("Transfer does not shrink the network: the fine-tuned model has exactly as many "
                        + "parameters as the one trained from scratch; freezing only reduces how many are trained",
                "迁移不会让网络变小：微调后的模型与从零训练的模型参数一样多；冻结只减少参与训练的参数",
                scratchCount == tunedCount && frozenCount < tunedCount, Claim.values("parameters_scratch", scratchCount,
                        "parameters_fine_tuned", tunedCount, "trainable_parameters_frozen", frozenCount)));
    }
}
