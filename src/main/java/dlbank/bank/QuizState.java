package dlbank.bank;

import com.fasterxml.jackson.databind.ObjectMapper;
import dlbank.UserException;
import dlbank.report.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The quiz's Leitner boxes in {@code quiz.json}, read leniently and written atomically. */
public final class QuizState {

    private static final ObjectMapper JSON = new ObjectMapper();

    private QuizState() {}

    @SuppressWarnings("unchecked")
    public static LeitnerSchedule read(Path file) {
        if (!Files.exists(file)) {
            return LeitnerSchedule.empty();
        }
        try {
            Map<String, Object> json = JSON.readValue(file.toFile(), Map.class);
            Map<String, LeitnerSchedule.Card> cards = new LinkedHashMap<>();
            Map<String, Map<String, Number>> stored = (Map<String, Map<String, Number>>) json.getOrDefault("cards", Map.of());
            stored.forEach((id, card) -> cards.put(id, new LeitnerSchedule.Card(card.get("box").intValue(),
                    card.get("due_session").intValue(), card.get("seen").intValue(), card.get("known").intValue())));
            return new LeitnerSchedule(((Number) json.getOrDefault("session", 0)).intValue(), cards);
        } catch (IOException | RuntimeException e) {
            throw UserException.input("error.quiz.state", file, e.getMessage());
        }
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
