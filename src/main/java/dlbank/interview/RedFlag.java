package dlbank.interview;

import java.util.List;

/**
 * A wrong statement that circulating answers make, with its correction. It is raised when the
 * answer states one of its terms and no simple negation ("not", "不是", ...) denies it.
 *
 * @param wrong the wrong statement, as it circulates
 * @param correction what is right instead
 * @param terms the phrasings that state it (see {@link TermPattern})
 */
public record RedFlag(String wrong, String correction, List<String> terms) {

    public RedFlag {
        terms = List.copyOf(terms);
    }
}
