package dlbank.bank;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a reader types into the search box, 30 questions in each language, and the entry that must
 * come first. The queries are the words people search by, synonyms and abbreviations included, not
 * words copied from the titles.
 */
class SearchQuestionsTest {

    private final BankSearch search = new BankSearch(Bank.load());

    private static final Map<String, String> ENGLISH = questions(
            "dropout", "concept/regularization",
            "overfitting", "concept/regularization",
            "weight decay", "concept/regularization",
            "L1 sparsity", "concept/regularization",
            "quadratic attention", "concept/attention",
            "sqrt attention", "concept/attention",
            "query key value", "concept/attention",
            "InfoNCE", "concept/self-supervised",
            "pseudo-labelling", "concept/self-supervised",
            "LoRA", "concept/transfer-learning",
            "fine-tuning frozen features", "concept/transfer-learning",
            "mode collapse", "concept/gan",
            "FGSM", "concept/adversarial-examples",
            "PGD adversarial training", "concept/adversarial-examples",
            "F1 harmonic mean", "concept/evaluation",
            "ROC AUC", "concept/evaluation",
            "knowledge distillation", "concept/model-compression",
            "int8 quantization", "concept/model-compression",
            "magnitude pruning", "concept/model-compression",
            "Adam momentum", "concept/optimizers",
            "learning rate range test", "concept/hyperparameters",
            "max pooling", "concept/cnn",
            "translation equivariance", "concept/cnn",
            "chain rule", "concept/backpropagation",
            "cross-entropy MSE", "concept/loss-functions",
            "vanishing gradient sigmoid", "concept/activations",
            "policy gradient", "concept/reinforcement-learning",
            "shared trunk", "concept/multi-task",
            "XOR", "task/and-gate",
            "PSNR", "task/denoising-autoencoder");

    private static final Map<String, String> CHINESE = questions(
            "正则化", "concept/regularization",
            "过拟合", "concept/regularization",
            "随机失活", "concept/regularization",
            "权重衰减", "concept/regularization",
            "注意力 复杂度", "concept/attention",
            "查询 键 值", "concept/attention",
            "对比学习", "concept/self-supervised",
            "伪标签", "concept/self-supervised",
            "低秩适配", "concept/transfer-learning",
            "微调", "concept/transfer-learning",
            "模式崩溃", "concept/gan",
            "对抗样本", "concept/adversarial-examples",
            "对抗训练", "concept/adversarial-examples",
            "精确率 召回率", "concept/evaluation",
            "混淆矩阵", "concept/evaluation",
            "知识蒸馏", "concept/model-compression",
            "量化", "concept/model-compression",
            "剪枝", "concept/model-compression",
            "动量", "concept/optimizers",
            "学习率范围测试", "concept/hyperparameters",
            "池化", "concept/cnn",
            "平移等变", "concept/cnn",
            "链式法则", "concept/backpropagation",
            "交叉熵", "concept/loss-functions",
            "激活函数", "concept/activations",
            "策略梯度", "concept/reinforcement-learning",
            "共享主干", "concept/multi-task",
            "数据增强", "concept/data-augmentation",
            "异或", "task/and-gate",
            "峰值信噪比", "task/denoising-autoencoder");

    @Test
    void eachEnglishQuestionFindsItsEntryFirst() {
        assertThat(ENGLISH).hasSize(30);
        assertThat(misses(ENGLISH, "en")).isEmpty();
    }

    @Test
    void eachChineseQuestionFindsItsEntryFirst() {
        assertThat(CHINESE).hasSize(30);
        assertThat(misses(CHINESE, "zh")).isEmpty();
    }

    @Test
    void latinWordsMatchAtTheStartOfAWordAndSynonymsCount() {
        // "lora" is inside "exploration": that is no match.
        assertThat(search.search("lora", "en")).extracting(hit -> hit.entry().id())
                .doesNotContain("concept/reinforcement-learning", "concept/rnn");
        // "warmup" finds the entries that write "warm-up" or 预热.
        assertThat(search.search("warmup", "en")).extracting(hit -> hit.entry().id())
                .contains("concept/optimizers", "concept/hyperparameters");
        assertThat(search.search("optimizer", "en").get(0).entry().id()).isEqualTo("concept/optimizers");
    }

    private List<String> misses(Map<String, String> questions, String language) {
        List<String> misses = new ArrayList<>();
        questions.forEach((query, expected) -> {
            List<BankSearch.Hit> hits = search.search(query, language);
            String first = hits.isEmpty() ? "nothing" : hits.get(0).entry().id();
            if (!first.equals(expected)) {
                misses.add("'" + query + "': " + first + " first, expected " + expected + " (at "
                        + hits.stream().map(hit -> hit.entry().id()).toList().indexOf(expected) + ")");
            }
        });
        return misses;
    }

    private static Map<String, String> questions(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
