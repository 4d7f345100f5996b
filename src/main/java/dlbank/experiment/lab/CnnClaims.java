package dlbank.experiment.lab;

import dlbank.experiment.Claim;
import dlbank.experiment.Result;

import java.util.Map;

/** lab/cnn's claims: parameters of a convolution and its dense twin, equivariance, pooling, shifted digits. */
final class CnnClaims {

    private CnnClaims() {}

    static void add(Result.Builder result, boolean quick) {
        Map<String, Double> m = result.build().metrics();
        double conv1 = m.get("parameters_conv1");
        double dense1 = m.get("parameters_dense_equivalent_conv1");
        double conv2 = m.get("parameters_conv2");
        double dense2 = m.get("parameters_dense_equivalent_conv2");
        double error = Math.max(m.get("dense_equivalent_relative_error_conv1"), m.get("dense_equivalent_relative_error_conv2"));
        result.claim(Claim.check(String.format("A dense layer that computes exactly what a convolution computes needs "
                        + "thousands of times its parameters: %,.0f against %,.0f for the first convolution, %,.0f against "
                        + "%,.0f for the second (their outputs agree to 1e-5)", dense1, conv1, dense2, conv2),
                String.format("一个与卷积层计算结果完全相同的全连接层，需要的参数是卷积层的几千倍以上：第一个卷积层 %,.0f 对 %,.0f，"
                        + "第二个 %,.0f 对 %,.0f（两者的输出相差在 1e-5 以内）", dense1, conv1, dense2, conv2),
                dense1 >= 1_000 * conv1 && dense2 >= 1_000 * conv2 && error < 1e-5,
                Claim.values("parameters_conv1", conv1, "parameters_dense_equivalent_conv1", dense1, "parameters_conv2",
                        conv2, "parameters_dense_equivalent_conv2", dense2, "largest_relative_output_difference", error)));
        double equivariance = m.get("equivariance_error_conv1");
        result.claim(Claim.check("Convolution is translation-equivariant: shifting a digit by 1 or 2 pixels shifts the "
                        + "first layer's feature maps by the same amount (away from the border, they differ by less "
                        + "than 1e-5 of their largest value)",
                "卷积具有平移等变性：把数字平移 1 或 2 个像素，第一层的特征图也平移同样的距离（边界以外，两者之差小于最大值的 1e-5）",
                equivariance < 1e-5, Claim.values("equivariance_error_conv1", equivariance)));
        double pooledEven = m.get("equivariance_error_pooled_shift2");
        double pooledOdd = m.get("equivariance_error_pooled_shift1");
        result.claim(Claim.check("2x2 max pooling keeps equivariance only for shifts by a multiple of its stride: after "
                        + "it, a 2-pixel shift moves the maps by exactly one cell, while a 1-pixel shift matches no shift "
                        + "of them (a relative difference of at least 0.05)",
                "2x2 最大池化只对步幅整数倍的平移保持等变：池化之后，平移 2 个像素正好让特征图移动一格，而平移 1 个像素与特征图的"
                        + "任何平移都对不上（相对差异至少 0.05）",
                pooledEven < 1e-5 && pooledOdd >= 0.05, Claim.values("equivariance_error_pooled_shift2", pooledEven,
                        "equivariance_error_pooled_shift1", pooledOdd)));
        double cnn0 = m.get("shift0_accuracy_cnn");
        double cnn3 = m.get("shift3_accuracy_cnn");
        double mlp0 = m.get("shift0_accuracy_mlp");
        double mlp3 = m.get("shift3_accuracy_mlp");
        result.claim(Claim.checkUnlessQuick(quick, "The whole CNN is not translation-invariant, only more tolerant: "
                        + "shifting the test digits by 3 pixels costs it at least 5 points of accuracy, and an MLP of "
                        + "about the same size, trained on the same images, loses more",
                "整个 CNN 并不具有平移不变性，只是更能容忍平移：测试数字平移 3 个像素后，它的准确率至少下降 5 个百分点，"
                        + "而在同样图像上训练、规模相近的 MLP 下降得更多",
                cnn0 - cnn3 >= 0.05 && mlp0 - mlp3 > cnn0 - cnn3, Claim.values("shift0_accuracy_cnn", cnn0,
                        "shift3_accuracy_cnn", cnn3, "shift0_accuracy_mlp", mlp0, "shift3_accuracy_mlp", mlp3)));
    }
}
