package dlbank.bank;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The quiz as the page asks it: one card per request, the state re-read and written each time. */
class QuizOneCardAtATimeTest {

    private static final List<String> IDS = List.of("a", "b", "c");

    @Test
    void aSessionIsDoneWhenNoCardIsDueInIt() {
        LeitnerSchedule schedule = LeitnerSchedule.empty();
        schedule.startSession();
        assertThat(schedule.due(IDS)).containsExactly("a", "b", "c");
        schedule.answer("b", true);
        assertThat(schedule.due(IDS)).containsExactly("a", "c");
        schedule.answer("a", false);
        assertThat(schedule.due(IDS)).containsExactly("c");
        schedule.answer("c", true);
        assertThat(schedule.due(IDS)).isEmpty();
        // The terminal quiz never runs dry: it asks the soonest cards again.
        assertThat(schedule.queue(IDS)).isNotEmpty();
        schedule.startSession(); // session 2: a (box 1) is due, b and c (box 2) are not
        assertThat(schedule.due(IDS)).containsExactly("a");
    }

    @Test
    void answersFromManyRequestsAtOnceAreAllKept(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("quiz.json");
        QuizState.update(file, schedule -> {
            schedule.startSession();
            return null;
        });
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add("card-" + i);
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<LeitnerSchedule.Card>> answers = new ArrayList<>();
            for (String id : ids) {
                answers.add(pool.submit(() -> QuizState.update(file, schedule -> schedule.answer(id, true))));
            }
            for (Future<LeitnerSchedule.Card> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS).box()).isEqualTo(2);
            }
        } finally {
            pool.shutdownNow();
        }
        LeitnerSchedule stored = QuizState.read(file);
        assertThat(stored.session()).isEqualTo(1);
        assertThat(stored.cards()).hasSize(40);
        assertThat(stored.due(ids)).isEmpty();
    }
}
