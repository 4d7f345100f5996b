package dlbank.bank;

import com.fasterxml.jackson.databind.ObjectMapper;
import dlbank.i18n.Messages;
import dlbank.report.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** The quiz's Leitner boxes in {@code quiz.json}, read leniently and written atomically. */
public final class QuizState {

    private static final ObjectMapper JSON = new ObjectMapper();

    private QuizState() {}

    /** As {@link #read(Path, Consumer)}, with a warning on standard error. */
    public static LeitnerSchedule read(Path file) {
        return read(file, warning -> {
            System.err.println("dlbank: " + warning);
            System.err.flush();
        });
    }

    /**
     * The state in the file, or a fresh one if there is none. A file that cannot be read as a quiz state
     * (corrupt, cut short, edited by hand) is kept beside it as {@code quiz.json.corrupt-<time>}, and the
     * quiz starts afresh with one warning, rather than refusing to run until the user repairs it.
     */
    public static LeitnerSchedule read(Path file, Consumer<String> warnings) {
        if (!Files.exists(file)) {
            return LeitnerSchedule.empty();
        }
        try {
            return parse(file);
        } catch (IOException | RuntimeException e) {
            Path backup = keepAside(file);
            warnings.accept(Messages.get("warning.quiz.corrupt", file, dlbank.UserException.reason(e), backup));
            return LeitnerSchedule.empty();
        }
    }

    @SuppressWarnings("unchecked")
    private static LeitnerSchedule parse(Path file) throws IOException {
        Map<String, Object> json = JSON.readValue(file.toFile(), Map.class);
        if (json == null) {
            throw new IllegalArgumentException("not a JSON object");
        }
        Map<String, LeitnerSchedule.Card> cards = new LinkedHashMap<>();
        Object stored = json.getOrDefault("cards", Map.of());
        if (!(stored instanceof Map<?, ?> storedCards)) {
            throw new IllegalArgumentException("\"cards\" is not an object");
        }
        storedCards.forEach((id, value) -> {
            if (!(value instanceof Map<?, ?> card)) {
                throw new IllegalArgumentException("card " + id + " is not an object");
            }
            int box = whole(card.get("box"), "box of " + id);
            if (box < 1 || box > LeitnerSchedule.BOXES) {
                throw new IllegalArgumentException("card " + id + " is in box " + box);
            }
            cards.put(String.valueOf(id), new LeitnerSchedule.Card(box, whole(card.get("due_session"), "due_session of " + id),
                    whole(card.get("seen"), "seen of " + id), whole(card.get("known"), "known of " + id)));
        });
        return new LeitnerSchedule(whole(json.getOrDefault("session", 0), "session"), cards);
    }

    private static int whole(Object value, String what) {
        if (value instanceof Integer number && number >= 0) {
            return number;
        }
        throw new IllegalArgumentException(what + " is " + value + ", not a whole number");
    }

    /** Renames the unreadable file beside itself; the name it got, or the file itself if it could not move. */
    private static Path keepAside(Path file) {
        String stamp = java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        for (int attempt = 1; attempt < 100; attempt++) {
            Path backup = file.resolveSibling(file.getFileName() + ".corrupt-" + stamp + (attempt == 1 ? "" : "-" + attempt));
            try {
                return Files.move(file, backup);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // Two in one second: the next suffix.
            } catch (IOException e) {
                return file;
            }
        }
        return file;
    }

    /**
     * Reads the state, changes it and writes it back, one change at a time in this process: the page
     * answers cards from several requests, each of which must see the answers before it.
     *
     * @return what the change returns
     */
    public static <T> T update(Path file, java.util.function.Function<LeitnerSchedule, T> change) {
        synchronized (QuizState.class) {
            LeitnerSchedule schedule = read(file);
            T result = change.apply(schedule);
            write(file, schedule);
            return result;
        }
    }

    public static void write(Path file, LeitnerSchedule schedule) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", 1);
        json.put("session", schedule.session());
        Map<String, Object> cards = new LinkedHashMap<>();
        schedule.cards().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            Map<String, Object> card = new LinkedHashMap<>();
            card.put("box", entry.getValue().box());
            card.put("due_session", entry.getValue().dueSession());
            card.put("seen", entry.getValue().seen());
            card.put("known", entry.getValue().known());
            cards.put(entry.getKey(), card);
        });
        json.put("cards", cards);
        AtomicFiles.write(file, out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, json));
    }
}
