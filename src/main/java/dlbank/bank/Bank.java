package dlbank.bank;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The question bank, read from {@code bank/index.txt} (the order) and {@code bank/<id>.<lang>.md}
 * (front matter + Markdown answer) on the class path.
 */
public final class Bank {

    public static final List<String> LANGUAGES = List.of("en", "zh");

    private final List<String> ids;

    private Bank(List<String> ids) {
        this.ids = ids;
    }

    public static Bank load() {
        String index = resource("bank/index.txt")
                .orElseThrow(() -> new IllegalStateException("bank/index.txt is missing from the class path"));
        List<String> ids = Arrays.stream(index.split("\n"))
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
        return new Bank(ids);
    }

    /** Entry ids in bank order. */
    public List<String> ids() {
        return ids;
    }

    public List<BankEntry> entries(String language) {
        List<BankEntry> entries = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            entries.add(read(i + 1, ids.get(i), language));
        }
        return entries;
    }

    /** By id ("concept/cnn"), by slug ("cnn"), or by number ("5"). */
    public Optional<BankEntry> find(String idOrNumber, String language) {
        String key = idOrNumber.strip().toLowerCase(Locale.ROOT);
        if (key.matches("\\d+")) {
            int number = Integer.parseInt(key);
            return number >= 1 && number <= ids.size()
                    ? Optional.of(read(number, ids.get(number - 1), language)) : Optional.empty();
        }
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            if (id.equals(key) || id.substring(id.indexOf('/') + 1).equals(key)) {
                return Optional.of(read(i + 1, id, language));
            }
        }
        return Optional.empty();
    }

    private static BankEntry read(int number, String id, String language) {
        String path = "bank/" + id + "." + language + ".md";
        String text = resource(path).orElseThrow(() -> new IllegalStateException(path + " is missing from the bank"));
        return FrontMatter.parse(number, id, language, path, text);
    }

    static Optional<String> resource(String path) {
        try (InputStream in = Bank.class.getClassLoader().getResourceAsStream(path)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
