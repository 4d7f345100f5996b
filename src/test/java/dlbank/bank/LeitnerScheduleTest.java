package dlbank.bank;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LeitnerScheduleTest {

    private static final List<String> IDS = List.of("a", "b", "c");

    @Test
    void knownCardsMoveUpAndComeBackLater() {
        LeitnerSchedule schedule = LeitnerSchedule.empty();
        schedule.startSession(); // session 1
        assertThat(schedule.queue(IDS)).containsExactly("a", "b", "c");
        assertThat(schedule.answer("a", true)).isEqualTo(new LeitnerSchedule.Card(2, 3, 1, 1)); // box 2: every 2nd
        assertThat(schedule.answer("b", false)).isEqualTo(new LeitnerSchedule.Card(1, 2, 1, 0)); // box 1: every one
        schedule.startSession(); // session 2: a is not due, b and c are
        assertThat(schedule.queue(IDS)).containsExactly("b", "c");
        schedule.answer("b", true);
        schedule.startSession(); // session 3: a (box 2) is due again; b went to box 2, due in 4
        assertThat(schedule.queue(IDS)).containsExactly("c", "a");
    }

    @Test
    void aMissedCardFallsBackToTheFirstBoxAndBoxesStopAtFive() {
        LeitnerSchedule schedule = LeitnerSchedule.empty();
        for (int i = 0; i < 7; i++) {
            schedule.startSession();
            schedule.answer("a", true);
        }
        assertThat(schedule.card("a").box()).isEqualTo(LeitnerSchedule.BOXES);
        assertThat(schedule.answer("a", false).box()).isEqualTo(1);
    }

    @Test
    void whenNothingIsDueTheSoonestComeFirst() {
        LeitnerSchedule schedule = new LeitnerSchedule(1, java.util.Map.of(
                "a", new LeitnerSchedule.Card(3, 9, 2, 2), "b", new LeitnerSchedule.Card(2, 4, 1, 1),
                "c", new LeitnerSchedule.Card(4, 12, 3, 3)));
        assertThat(schedule.queue(IDS)).containsExactly("b", "a", "c");
    }

    @Test
    void stateSurvivesAWriteAndARead(@TempDir Path dir) throws Exception {
        LeitnerSchedule schedule = LeitnerSchedule.empty();
        schedule.startSession();
        schedule.answer("concept/cnn", true);
        Path file = dir.resolve("sub/quiz.json");
        QuizState.write(file, schedule);
        LeitnerSchedule read = QuizState.read(file);
        assertThat(read.session()).isEqualTo(1);
        assertThat(read.card("concept/cnn")).isEqualTo(schedule.card("concept/cnn"));
        Files.writeString(file, "{not json");
        java.util.List<String> warnings = new java.util.ArrayList<>();
        assertThat(QuizState.read(file, warnings::add).session()).isZero();
        assertThat(warnings).singleElement().asString().contains("is not a readable quiz state").contains("started afresh");
        assertThat(file).doesNotExist();
        try (var kept = Files.list(file.getParent())) {
            assertThat(kept.map(path -> path.getFileName().toString()).toList())
                    .singleElement().asString().startsWith("quiz.json.corrupt-");
        }
    }
}
