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
            Map.entry("strip", new Caption("One point per seed for each headline metric", "每个主要指标一个种子一个点")));

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
