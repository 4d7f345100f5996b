package dlbank.bank;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Chinese entries against the bank's glossary ({@code bank/glossary.tsv}): one Chinese term per
 * English term, none of its retired variants, and Chinese quotation marks in Chinese prose.
 */
class GlossaryTest {

    private static final Pattern FENCE = Pattern.compile("^```");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`\n]*`");
    /** A parenthesis with no Chinese character in it: an English gloss or a citation. */
    private static final Pattern LATIN_PARENTHESIS = Pattern.compile("[(（][^()（）\\p{IsHan}\n]*[)）]");
    private static final Pattern NON_CHINESE_QUOTES = Pattern.compile("[\"「」]");
    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;

    /** One row of the glossary. */
    record Term(String english, String chinese, List<Pattern> forbidden, Optional<Pattern> englishPattern) {}

    private final Bank bank = Bank.load();
    private final List<Term> glossary = readGlossary();

    @Test
    void theGlossaryHoldsTheAgreedTermsAndNoTermIsItsOwnForbiddenVariant() {
        assertThat(glossary).extracting(Term::english).contains("kernel (compute kernel)", "early stopping",
                "critic", "nat (unit of information)", "stride", "epoch", "mini-batch", "robustness", "max pooling",
                "accuracy");
        assertThat(glossary).extracting(Term::chinese).doesNotHaveDuplicates();
        for (Term term : glossary) {
            for (Pattern variant : term.forbidden()) {
                assertThat(variant.matcher(term.chinese()).find()).as(term.english() + ": " + variant).isFalse();
            }
        }
    }

    @Test
    void noChineseEntryUsesAForbiddenVariant() {
        List<String> violations = new ArrayList<>();
        for (BankEntry entry : bank.entries("zh")) {
            String prose = LATIN_PARENTHESIS.matcher(checkedProse(entry)).replaceAll(" ");
            while (LATIN_PARENTHESIS.matcher(prose).find()) {          // nested glosses, innermost first
                prose = LATIN_PARENTHESIS.matcher(prose).replaceAll(" ");
            }
            for (Term term : glossary) {
                for (Pattern variant : term.forbidden()) {
                    Matcher m = variant.matcher(prose);
                    while (m.find()) {
                        violations.add(entry.id() + ": \"" + m.group() + "\" for " + term.english() + " (use "
                                + term.chinese() + ") in …" + around(prose, m.start(), m.end()) + "…");
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void everyChineseEntryUsesTheChosenTermWhereItsEnglishTwinUsesTheEnglishOne() {
        List<String> missing = new ArrayList<>();
        List<BankEntry> english = bank.entries("en");
        List<BankEntry> chinese = bank.entries("zh");
        for (int i = 0; i < english.size(); i++) {
            String englishText = checkedProse(english.get(i));
            String chineseText = checkedProse(chinese.get(i));
            for (Term term : glossary) {
                if (term.englishPattern().map(p -> p.matcher(englishText).find()).orElse(false)
                        && !chineseText.contains(term.chinese())) {
                    missing.add(chinese.get(i).id() + ": the English says " + term.english() + ", the Chinese lacks "
                            + term.chinese());
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void chineseProseUsesChineseQuotationMarks() {
        List<String> violations = new ArrayList<>();
        for (BankEntry entry : bank.entries("zh")) {
            String prose = checkedProse(entry);
            Matcher m = NON_CHINESE_QUOTES.matcher(prose);
            while (m.find()) {
                violations.add(entry.id() + ": " + m.group() + " in …" + around(prose, m.start(), m.end()) + "…");
            }
            long opening = prose.chars().filter(c -> c == '“').count();
            long closing = prose.chars().filter(c -> c == '”').count();
            if (opening != closing) {
                violations.add(entry.id() + ": " + opening + " “ but " + closing + " ”");
            }
        }
        assertThat(violations).isEmpty();
    }

    /** Title and body without code: every section, Run it included. */
    private static String checkedProse(BankEntry entry) {
        return withoutCode(entry.title() + "\n" + entry.body());
    }

    private static String withoutCode(String markdown) {
        StringBuilder text = new StringBuilder();
        boolean inFence = false;
        for (String line : markdown.split("\n", -1)) {
            if (FENCE.matcher(line).find()) {
                inFence = !inFence;
                continue;
            }
            if (!inFence) {
                text.append(INLINE_CODE.matcher(line).replaceAll(" ")).append('\n');
            }
        }
        return text.toString();
    }

    private static String around(String text, int start, int end) {
        return text.substring(Math.max(0, start - 12), Math.min(text.length(), end + 12)).replace('\n', ' ');
    }

    private static List<Term> readGlossary() {
        String tsv = Bank.resource("bank/glossary.tsv").orElseThrow(() -> new AssertionError("bank/glossary.tsv is missing"));
        List<Term> terms = new ArrayList<>();
        boolean header = true;
        for (String line : tsv.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split("\t", -1);
            assertThat(cells).as("glossary row: " + line).hasSize(5);
            if (header) {
                assertThat(cells).startsWith("english", "chinese", "forbidden", "english_regex");
                header = false;
                continue;
            }
            List<Pattern> forbidden = Arrays.stream(cells[2].split(" ; "))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .map(s -> Pattern.compile(s, FLAGS))
                    .toList();
            Optional<Pattern> englishPattern = cells[3].strip().equals("-")
                    ? Optional.empty() : Optional.of(Pattern.compile(cells[3].strip(), FLAGS));
            terms.add(new Term(cells[0].strip(), cells[1].strip(), forbidden, englishPattern));
        }
        assertThat(terms).isNotEmpty();
        return List.copyOf(terms);
    }
}
