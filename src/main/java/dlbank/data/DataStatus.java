package dlbank.data;

import java.nio.file.Path;

/** What {@code dlbank data status} reports for one data set. */
public record DataStatus(DataSet set, State state, Path location, String detail) {

    public enum State {
        VERIFIED("ok"),
        USER_FILES("ok"),
        MISSING("missing"),
        CORRUPT("corrupt");

        private final String label;

        State(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
