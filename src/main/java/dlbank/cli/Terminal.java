package dlbank.cli;

/** What the commands need to know about the terminal: its width and whether it takes colours. */
final class Terminal {

    private static final int DEFAULT_WIDTH = 100;

    private Terminal() {}

    static boolean interactive() {
        return System.console() != null && System.getenv("NO_COLOR") == null;
    }

    /** $COLUMNS, else the terminal's width when there is one, else 100; at most 120 for reading. */
    static int width() {
        String columns = System.getenv("COLUMNS");
        if (columns != null && columns.matches("\\d+")) {
            return Math.min(120, Integer.parseInt(columns));
        }
        if (System.console() != null) {
            try (org.jline.terminal.Terminal terminal = org.jline.terminal.TerminalBuilder.builder()
                    .system(true).dumb(true).build()) {
                int width = terminal.getWidth();
                if (width > 0) {
                    return Math.min(120, width);
                }
            } catch (Exception e) {
                // No terminal size: use the default.
            }
        }
        return DEFAULT_WIDTH;
    }
}
