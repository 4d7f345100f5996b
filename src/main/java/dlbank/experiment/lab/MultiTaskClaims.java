package dlbank.experiment.lab;

import dlbank.experiment.Claim;
import dlbank.experiment.Result;

import java.util.Map;

/** lab/multi-task's claims, judged on the single-task and shared models' figures. */
final class MultiTaskClaims {

    private MultiTaskClaims() {}

    static void add(Result.Builder result, boolean quick, MultiTaskLab.Settings settings) {
        Map<String, Double> m = result.build().metrics();
        long trunk = m.get("parameters_trunk").longValue();
        double shared = m.get("parameters_top_heavy_shared_convs");
        double two = m.get("parameters_single") + m.get("parameters_top_heavy_single");
        result.claim(Claim.check(String.format("Sharing the convolutional trunk saves exactly one trunk (%,d parameters) "
                        + "against the two single-task networks together", trunk),
                String.format("共享卷积主干后，参数恰好比两个单任务网络加起来少一个主干（%,d 个参数）", trunk),
                two - shared == trunk, Claim.values("parameters_shared", shared, "parameters_two_single", two,
                        "parameters_trunk", trunk)));
        double heavySingle = m.get("top_heavy_accuracy_single");
        double heavyConvs = m.get("top_heavy_accuracy_shared_convs");
        double evenSingle = m.get("even_accuracy_single");
        double evenConvs = m.get("even_accuracy_shared_convs");
        result.claim(Claim.checkUnlessQuick(quick, "Relatedness decides what sharing costs: with the whole convolutional "
                        + "trunk shared and equal loss weights, the digit's parity (a function of the digit) loses less than "
                        + "0.5 points against its own network, while the top-heavy ink task, which the digit does not give "
                        + "away, loses more than 1 point",
                "任务的相关程度决定了共享的代价：共享整个卷积主干、损失权重相等时，数字的奇偶（由数字决定）比它自己的网络低不到 0.5 个百分点，"
                        + "而数字推不出来的墨迹偏上任务低 1 个百分点以上",
                evenSingle - evenConvs < 0.005 && heavySingle - heavyConvs > 0.01,
                Claim.values("even_accuracy_single", evenSingle, "even_accuracy_shared_convs", evenConvs,
                        "top_heavy_accuracy_single", heavySingle, "top_heavy_accuracy_shared_convs", heavyConvs)));
        double heavyFirst = m.get("top_heavy_accuracy_shared_first_conv");
        double heavyDense = m.get("top_heavy_accuracy_shared_dense");
        result.claim(Claim.checkUnlessQuick(quick, "Where the trunk ends matters: ending it after the first convolution "
                        + "stage, so that each task has its own second convolution, brings the top-heavy task within 0.5 "
                        + "points of its own network",
                "主干在哪里结束很重要：只共享第一个卷积阶段、让每个任务有自己的第二个卷积层时，墨迹偏上任务与它自己的网络相差在 0.5 个百分点以内",
                heavySingle - heavyFirst <= 0.005,
                Claim.values("top_heavy_accuracy_single", heavySingle, "top_heavy_accuracy_shared_first_conv", heavyFirst,
                        "top_heavy_accuracy_shared_convs", heavyConvs, "top_heavy_accuracy_shared_dense", heavyDense)));
        String weighted = String.format("top_heavy_accuracy_shared_convs_weight%.0f", settings.heavyWeight());
        double heavyWeighted = m.get(weighted);
        result.claim(Claim.checkUnlessQuick(quick, String.format("Raising the top-heavy loss's weight to %.0f, with the "
                        + "whole convolutional trunk shared, recovers part of what sharing cost it", settings.heavyWeight()),
                String.format("共享整个卷积主干时，把墨迹偏上任务的损失权重提高到 %.0f，能找回共享让它损失的一部分准确率",
                        settings.heavyWeight()),
                heavyWeighted > heavyConvs, Claim.values("top_heavy_accuracy_shared_convs", heavyConvs, weighted,
                        heavyWeighted, "top_heavy_accuracy_single", heavySingle)));
        double sharedSeconds = m.get("epoch_seconds_top_heavy_shared_convs");
        double singleSeconds = m.get("epoch_seconds_digit_single") + m.get("epoch_seconds_top_heavy_single");
        result.claim(Claim.checkUnlessQuick(quick, "An epoch of the one multi-task model takes less time than an epoch "
                        + "of each of the two single-task models together",
                "多任务模型训练一轮所用的时间，少于两个单任务模型各训练一轮的时间之和",
                sharedSeconds < singleSeconds, Claim.values("epoch_seconds_shared", sharedSeconds,
                        "epoch_seconds_two_single", singleSeconds)));
    }
}
