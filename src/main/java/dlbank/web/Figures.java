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
            Map.entry("accuracy_by_labels_near", new Caption("Near transfer (MNIST -> digits turned a quarter turn): test accuracy by the "
                    + "number of labels, per method", "相近任务的迁移（MNIST → 旋转 90 度的数字）：各方法在不同标签数量下的测试准确率")),
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
            Map.entry("learning_rate_sweep", new Caption("Validation accuracy by learning rate for each normalization "
                    + "(a run that diverged is drawn at 0.1)", "各归一化方法在不同学习率下的验证准确率（发散的运行画在 0.1）")),
            Map.entry("validation_accuracy_per_epoch", new Caption("Validation accuracy per epoch, each normalization at "
                    + "its best learning rate", "各归一化方法在各自最佳学习率下每轮的验证准确率")),
            Map.entry("eval_mode_bug", new Caption("Batch norm at test time: inference mode vs left in training mode",
                    "测试时的批归一化：推理模式对比误留在训练模式")),
            Map.entry("activation_std_per_layer", new Caption("Spread (std) of each layer's activations at initialization, "
                    + "per initialization", "初始化时各层激活值的标准差，按初始化方法区分")),
            Map.entry("gradient_std_per_layer", new Caption("Spread (std) of each layer's weight gradient at initialization, "
                    + "per initialization", "初始化时各层权重梯度的标准差，按初始化方法区分")),
            Map.entry("training_loss_per_epoch", new Caption("Mean training loss per epoch of each network",
                    "各网络每轮的平均训练损失")),
            Map.entry("training_loss_by_depth", new Caption("Last epoch's mean training loss by depth: plain vs residual",
                    "最后一轮的平均训练损失随深度的变化：普通网络对比残差网络")),
            Map.entry("gradient_norm_per_layer", new Caption("Gradient norm per layer of the deepest plain and residual nets, "
                    + "at the start and after training", "最深的普通网络和残差网络各层的梯度范数：训练开始时和训练后")),
            Map.entry("adversarial_examples", new Caption("Test digits and their adversarial versions, with the model's reading",
                    "测试数字及其对抗样本，以及模型的识别结果")),
            Map.entry("accuracy_vs_epsilon", new Caption("Test accuracy under attack by the size of the perturbation ε",
                    "受攻击时测试准确率随扰动大小 ε 的变化")),
            Map.entry("elbo_terms", new Caption("The ELBO's two terms per epoch on validation digits: reconstruction and KL "
                    + "(nats per image)", "每轮验证数字上 ELBO 的两项：重建项和 KL 项（奈特/张）")),
            Map.entry("active_units", new Caption("Posterior collapse: active latent units as the KL weight β grows",
                    "后验坍塌：KL 权重 β 变大时活跃的隐变量维数")),
            Map.entry("interpolation", new Caption("Straight lines in latent space between pairs of test digits, decoded",
                    "在隐空间里连接两张测试数字的直线，逐点解码")),
            Map.entry("samples_guided", new Caption("Samples guided towards the digits 0 to 9 in turn (the guided main set)",
                    "依次引导生成 0 到 9 的样本（引导主样本集）")),
            Map.entry("guided", new Caption("Classifier-free guidance: each row asks for one digit, 0 to 9",
                    "无分类器引导：每一行要求生成一个数字，从 0 到 9")),
            Map.entry("ddim_steps", new Caption("DDIM: the judge's confident share by the number of sampling steps",
                    "DDIM：采样步数与评判器高置信样本占比")),
            Map.entry("ddim_steps_frechet", new Caption("DDIM: Fréchet distance to real digits by the number of sampling steps "
                    + "(lower is closer)", "DDIM：采样步数与到真实数字的 Fréchet 距离（越低越接近）")),
            Map.entry("guidance", new Caption("Guidance scale against the share of samples read as the digit asked for and "
                    + "the share read with confidence > 0.9", "引导系数与两个占比：被认作所要求数字的样本、置信度 > 0.9 的样本")),
            Map.entry("accuracy_by_format", new Caption("Test accuracy by number format, same seed and steps",
                    "各数值格式下的测试准确率（同一种子、同样步数）")),
            Map.entry("gradient_exponents", new Caption("Histogram of the weight gradients' log2 |g|: fp16 flushes below "
                    + "-24 to 0 and overflows above 16", "权重梯度 log2 |g| 的直方图：fp16 在 -24 以下下溢为 0，16 以上溢出")),
            Map.entry("accumulation", new Caption("Accumulated micro-batch gradients against one large batch: relative difference",
                    "累积的小批次梯度与一个大批次梯度的相对差")),
            Map.entry("gradient_norm_learning_rate", new Caption("Global gradient norm per step: learning rate 5, with and "
                    + "without clipping", "每步的全局梯度范数：学习率 5，有无梯度裁剪")),
            Map.entry("gradient_norm_log0", new Caption("Global gradient norm per step: log(softmax) by hand against log-softmax",
                    "每步的全局梯度范数：手写 log(softmax) 对比 log-softmax")),
            Map.entry("gradient_norm_fp16", new Caption("Global gradient norm per step in fp16: fixed against dynamic loss scale",
                    "fp16 下每步的全局梯度范数：固定损失缩放对比动态损失缩放")),
            Map.entry("gradient_norm_corrupted_batch", new Caption("Global gradient norm per step with a corrupted batch, "
                    + "with and without the step guard", "有一个损坏批次时每步的全局梯度范数，有无跳步防护")),
            Map.entry("gradient_norm_first_use_nan", new Caption("Global gradient norm per step with the engine's first-use NaN, "
                    + "with and without the step guard", "出现引擎首次调用 NaN 时每步的全局梯度范数，有无跳步防护")),
            Map.entry("cost_ratios", new Caption("The depthwise-separable CNN's parameters, multiply-adds, inference and training "
                    + "time relative to the standard CNN (1 = the same)", "深度可分离 CNN 的参数量、乘加次数、推理和训练耗时与普通 CNN 之比（1 = 相同）")),
            Map.entry("kernel_speed", new Caption("Multiply-adds per second of each kind of convolution timed alone",
                    "各种卷积单独计时的每秒乘加次数")),
            Map.entry("receptive_field", new Caption("Size of the input gradient of one unit of each trained network: its "
                    + "receptive field", "两个训练好的网络中某个单元对输入的梯度大小：即它的感受野")),
            Map.entry("effective_field_by_depth", new Caption("Plain 3x3 stacks at initialisation: the receptive field by "
                    + "formula against the central squares holding 50% and 90% of the gradient", "初始化时只有 3x3 卷积的网络："
                    + "公式算出的感受野，对比容纳 50% 和 90% 梯度的中心方块")),
            Map.entry("detections", new Caption("Test canvases: true boxes (green) and the detector's boxes "
                    + "(red), before NMS (top row) and after (bottom row)", "测试画布：真实框（绿）和检测器给出的框（红），上排是 NMS 之前，下排是之后")),
            Map.entry("segmentation", new Caption("Per row: a test canvas, its true pixel classes, the U-Net's and the same "
                    + "network's without skip connections (one colour per digit)", "每行依次是：测试画布、真实的像素类别、U-Net 的结果、"
                    + "去掉跳跃连接的同一网络的结果（每个数字一种颜色）")),
            Map.entry("patch_size", new Caption("ViT test accuracy by patch size", "不同 patch 大小下 ViT 的测试准确率")),
            Map.entry("attention_maps", new Caption("Where the class token looks in the last block: its attention over the "
                    + "patches of test images", "最后一层中 CLS token 看向哪里：它在测试图像各 patch 上的注意力")),
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
