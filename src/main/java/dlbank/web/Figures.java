package dlbank.web;

import java.util.Map;

import static dlbank.web.Html.esc;

/**
 * Captions for the pictures runs write, in both languages: what each one shows and so what the run
 * measured. A picture without a caption here is named by its file, as code.
 */
final class Figures {

    private record Caption(String en, String zh) {}

    private static final Map<String, Caption> CAPTIONS = Map.ofEntries(
            Map.entry("confusion_matrix", new Caption("Confusion matrix on the test set: rows are the true classes, "
                    + "columns the predicted ones", "测试集上的混淆矩阵：行是真实类别，列是预测类别")),
            Map.entry("misclassified", new Caption("Test digits the model got wrong: true -> predicted (probability)",
                    "模型认错的测试数字：真实 -> 预测（概率）")),
            Map.entry("roc", new Caption("ROC curve on the test set", "测试集上的 ROC 曲线")),
            Map.entry("pr", new Caption("Precision-recall curve on the test set", "测试集上的精确率-召回率曲线")),
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
            Map.entry("strip", new Caption("One point per seed for each headline metric", "每个主要指标，每个种子一个点")),
            Map.entry("test_accuracy", new Caption("Test accuracy of each model", "各模型的测试准确率")),
            Map.entry("first_layer_logistic", new Caption("Logistic regression: what training added to each class's weights "
                    + "(grey = 0)", "逻辑回归：训练给每个类别的权重带来的变化（灰色 = 0）")),
            Map.entry("first_layer_mlp", new Caption("MLP: what training added to the weights of the first 64 hidden units",
                    "MLP：训练给前 64 个隐藏单元的权重带来的变化")),
            Map.entry("first_layer_cnn", new Caption("CNN: the learned 3x3 filters of the first convolution (grey = 0)",
                    "CNN：第一层卷积学到的 3×3 卷积核（灰色 = 0）")),
            Map.entry("gradient_per_layer", new Caption("Gradient size per layer at initialisation, per activation function",
                    "初始化时各层的梯度大小，按激活函数区分")),
            Map.entry("gradient_per_layer_trained", new Caption("Gradient size per layer after training, per activation function",
                    "训练后各层的梯度大小，按激活函数区分")),
            Map.entry("gradient_errors", new Caption("Relative error of the hand-written gradients against finite differences "
                    + "and autograd", "手写梯度相对有限差分和自动求导的相对误差")),
            Map.entry("accuracy_by_step", new Caption("Accuracy per step: cross-entropy vs MSE", "每步的准确率：交叉熵对比 MSE")),
            Map.entry("loss_by_optimizer", new Caption("Training loss per step for each optimizer", "各优化器每步的训练损失")),
            Map.entry("rosenbrock", new Caption("Paths of the optimizers on the Rosenbrock function", "各优化器在 Rosenbrock 函数上的路径")),
            Map.entry("lr_range_test", new Caption("Learning-rate range test: loss against the learning rate (log scale)",
                    "学习率区间测试：损失随学习率的变化（对数坐标）")),
            Map.entry("accuracy_by_learning_rate", new Caption("Test accuracy by learning rate", "不同学习率下的测试准确率")),
            Map.entry("batch_size_accuracy", new Caption("Test accuracy by batch size", "不同批大小下的测试准确率")),
            Map.entry("batch_size_seconds", new Caption("Seconds per epoch by batch size", "不同批大小下每轮的耗时（秒）")),
            Map.entry("accuracy_by_regularizer", new Caption("Training and test accuracy for each regularizer",
                    "各正则化方法的训练和测试准确率")),
            Map.entry("weight_histograms", new Caption("Weight histograms for each regularizer", "各正则化方法的权重直方图")),
            Map.entry("augmented_examples", new Caption("Training digits as augmentation changes them", "数据增强改变后的训练数字")),
            Map.entry("accuracy_by_labels", new Caption("Test accuracy by the number of labels, per method",
                    "各方法在不同标签数量下的测试准确率")),
            Map.entry("accuracy_by_labels_near", new Caption("Near transfer (digits 0-4 -> 5-9): test accuracy by the "
                    + "number of labels, per method", "相近任务的迁移（数字 0-4 → 5-9）：各方法在不同标签数量下的测试准确率")),
            Map.entry("accuracy_by_labels_far", new Caption("Far transfer (MNIST -> Fashion-MNIST): test accuracy by the "
                    + "number of labels, per method", "相距较远的迁移（MNIST → Fashion-MNIST）：各方法在不同标签数量下的测试准确率")),
            Map.entry("filters_conv1", new Caption("The 32 learned 3x3 filters of the first convolution",
                    "第一个卷积层学到的 32 个 3×3 卷积核")),
            Map.entry("feature_maps_conv1", new Caption("Feature maps (after ReLU) of the first convolution for two test digits",
                    "两个测试数字在第一个卷积层的特征图（ReLU 之后）")),
            Map.entry("feature_maps_conv2", new Caption("Feature maps (after ReLU) of the second convolution for two test digits",
                    "两个测试数字在第二个卷积层的特征图（ReLU 之后）")),
            Map.entry("shift_accuracy", new Caption("Test accuracy of the CNN and of an MLP of its size with the digits "
                    + "shifted by 0-4 pixels", "测试数字平移 0-4 像素后，CNN 与同等规模 MLP 的测试准确率")),
            Map.entry("distillation", new Caption("The student's test accuracy on the labels alone and distilled at each "
                    + "temperature, with few and with all labels", "学生网络只用标签训练与在各温度下蒸馏的测试准确率，标签少与标签全两种情形")),
            Map.entry("pruning", new Caption("Test accuracy against the share of weights pruned, with and without fine-tuning",
                    "测试准确率随剪枝比例的变化，有无微调")),
            Map.entry("returns", new Caption("Return per episode while the agent learns (CartPole)", "智能体学习过程中每回合的回报（CartPole）")),
            Map.entry("adversarial_examples", new Caption("Test digits and their adversarial versions, with the model's reading",
                    "测试数字及其对抗样本，以及模型的识别结果")),
            Map.entry("accuracy_vs_epsilon", new Caption("Test accuracy under attack by the size of the perturbation ε",
                    "受攻击时测试准确率随扰动大小 ε 的变化")));

    private Figures() {}

    /**
     * The caption of a run's picture as HTML, e.g. "Confusion matrix on the test set ... (reference run,
     * seed 42)". The loss and accuracy curves say whether they hold validation data, from the run's
     * metrics.csv (null when unknown).
     */
    static String caption(String file, Lang lang, String runLabel, String metricsCsv) {
        String stem = file.replaceFirst("\\.png$", "");
        String name = stem.contains("/") ? stem.substring(stem.lastIndexOf('/') + 1) : stem;
        Caption known = CAPTIONS.get(name);
        String what;
        boolean validation = metricsCsv != null && metricsCsv.lines().findFirst().orElse("").contains("val_");
        if (name.equals("loss") || name.equals("accuracy")) {
            boolean loss = name.equals("loss");
            what = lang.zh() ? "每轮的" + (loss ? "损失" : "准确率") + (validation ? "：训练集和验证集" : "：训练集")
                    : (loss ? "Loss" : "Accuracy") + " per epoch on the training data" + (validation ? " and the validation data" : "");
        } else if (known != null) {
            what = lang.zh() ? known.zh() : known.en();
        } else if (name.startsWith("boundary-")) {
            String gate = name.substring("boundary-".length()).replace("-neuron", "").replace("-hidden", "").toUpperCase();
            String how = name.endsWith("-hidden") ? (lang.zh() ? "带隐藏层的网络" : "a network with a hidden layer")
                    : (lang.zh() ? "一个神经元" : "one neuron");
            what = lang.zh() ? gate + "（" + how + "）的决策图：输入平面上的 p(1)，以及 0.5 等值线"
                    : "Decision map of " + gate + " (" + how + "): p(1) over the input plane, with the 0.5 contour";
        } else if (stem.startsWith("samples/epoch-")) {
            String epoch = stem.substring("samples/epoch-".length()).replaceFirst("^0+", "");
            what = lang.zh() ? "第 " + epoch + " 轮结束时生成器画出的数字" : "Digits drawn by the generator after epoch " + epoch;
        } else {
            return "<code>" + esc(file) + "</code>" + esc(lang.zh() ? "（" + runLabel + "）" : " (" + runLabel + ")");
        }
        return esc(what + (lang.zh() ? "（" + runLabel + "）" : " (" + runLabel + ")"));
    }
}
