package dlbank.web;

import java.util.Map;

/**
 * Captions for the pictures runs write, in both languages: what each one shows and so what the run
 * measured. A picture without an entry here is named by its file.
 */
final class Figures {

    private record Caption(String en, String zh) {}

    private static final Map<String, Caption> CAPTIONS = Map.ofEntries(
            Map.entry("loss", new Caption("Loss per epoch on the training and validation data",
                    "每轮在训练集和验证集上的损失")),
            Map.entry("accuracy", new Caption("Accuracy per epoch on the training and validation data",
                    "每轮在训练集和验证集上的准确率")),
            Map.entry("confusion_matrix", new Caption("Confusion matrix on the test set: rows are the true digits, "
                    + "columns the predicted ones", "测试集上的混淆矩阵：行是真实数字，列是预测数字")),
            Map.entry("misclassified", new Caption("Test digits the model got wrong: true -> predicted (probability)",
                    "模型认错的测试数字：真实 -> 预测（概率）")),
            Map.entry("roc", new Caption("ROC curve on the test reviews", "测试评论上的 ROC 曲线")),
            Map.entry("pr", new Caption("Precision-recall curve on the test reviews", "测试评论上的精确率-召回率曲线")),
            Map.entry("samples", new Caption("Digits drawn by the trained generator", "训练好的生成器画出的数字")),
            Map.entry("gan_loss", new Caption("Generator and discriminator losses per epoch", "每轮生成器和判别器的损失")),
            Map.entry("judge_by_epoch", new Caption("How the MNIST classifier judges each epoch's samples",
                    "MNIST 分类器对每轮样本的判断")),
            Map.entry("frechet_by_epoch", new Caption("Fréchet distance of each epoch's samples to the test set "
                    + "(lower is closer)", "每轮样本与测试集的 Fréchet 距离（越低越接近）")),
            Map.entry("denoised", new Caption("Rows: clean test digits, the same with noise, the autoencoder's output",
                    "各行：干净的测试数字、加噪后的数字、自编码器的输出")),
            Map.entry("mse_by_length", new Caption("Adding problem: test error by sequence length, per recurrent cell",
                    "加法问题：各循环单元在不同序列长度下的测试误差")),
            Map.entry("gradient_by_step", new Caption("Gradient reaching each time step in untrained networks",
                    "未训练网络中传到各时间步的梯度")),
            Map.entry("attention_heatmap", new Caption("Attention weights over the words of test reviews",
                    "测试评论中各词的注意力权重")),
            Map.entry("strip", new Caption("One point per seed for each headline metric", "每个主要指标一个种子一个点")),
            // The Transformer and language-model labs
            Map.entry("softmax_entropy", new Caption("Entropy of attention weights with and without the √d_k scaling, "
                    + "as d_k grows", "随 d_k 增大，有无 √d_k 缩放时注意力权重的熵")),
            Map.entry("norm_placement", new Caption("Held-out loss of pre-LN and post-LN decoders trained at a high "
                    + "learning rate without warm-up", "高学习率、不预热时 pre-LN 与 post-LN 解码器在留出数据上的损失")),
            Map.entry("accuracy_by_length", new Caption("Order task: test accuracy by position encoding, at the training "
                    + "length and at twice it", "顺序任务：各种位置编码在训练长度和两倍长度上的测试准确率")),
            Map.entry("tokens_per_review", new Caption("Byte-level BPE: tokens per test review by vocabulary size",
                    "字节级 BPE：不同词表大小下每条测试评论的 token 数")),
            Map.entry("unknown_words", new Caption("Share of test words a vocabulary of each size does not know",
                    "各种大小的词表不认识的测试词所占比例")),
            Map.entry("decoding", new Caption("Repetition within and variety across continuations, by decoding rule",
                    "各种解码策略下，续写内部的重复与续写之间的多样性")),
            Map.entry("kv_cache", new Caption("Generation time with and without the KV cache", "使用与不使用 KV cache 时的生成时间")),
            Map.entry("positive_share", new Caption("Share of samples judged positive before and after DPO, by two judges",
                    "DPO 前后被两个评判者判为正面的样本比例")),
            Map.entry("expert_usage", new Caption("Share of routed slots per expert, with and without the load-balancing loss",
                    "加与不加负载均衡损失时，各专家分到的路由槽位比例")),
            Map.entry("parameters_and_compute", new Caption("Parameters and multiply-adds per example of the mixture "
                    + "and of dense layers", "混合专家层与稠密层的参数量和每样本乘加次数")));

    private Figures() {}

    /**
     * The caption of a run's picture, e.g. "Confusion matrix on the test set ... (task/mnist-cnn,
     * quick mode, seed 42)".
     */
    static String caption(String file, Lang lang, String runLabel) {
        String stem = file.replaceFirst("\\.png$", "");
        String name = stem.contains("/") ? stem.substring(stem.lastIndexOf('/') + 1) : stem;
        Caption known = CAPTIONS.get(name);
        String what;
        if (known != null) {
            what = lang.zh() ? known.zh() : known.en();
        } else if (name.startsWith("boundary-")) {
            String gate = name.substring("boundary-".length()).replace('-', ' ');
            what = lang.zh() ? gate + " 的决策图：输入平面上的 p(1)，以及 0.5 等值线"
                    : "Decision map of " + gate + ": p(1) over the input plane, with the 0.5 contour";
        } else {
            what = name.replace('_', ' ').replace('-', ' ');
        }
        return what + (lang.zh() ? "（" + runLabel + "）" : " (" + runLabel + ")");
    }
}
