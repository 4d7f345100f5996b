package dlbank.data;

import dlbank.UserException;
import dlbank.data.ImdbDataset.Review;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The Stanford Large Movie Review Dataset as it unpacks from {@code aclImdb_v1.tar.gz} (Maas et al.
 * 2011): {@code train/pos}, {@code train/neg}, {@code test/pos} and {@code test/neg}, one review per
 * UTF-8 file named {@code <id>_<rating>.txt}. The unlabelled {@code train/unsup} is not read.
 */
final class AclImdbFolder {

    private static final String NAME = "aclImdb";

    private AclImdbFolder() {}

    /**
     * The aclImdb folder of a data home: the home itself, {@code <home>/aclImdb} or
     * {@code <home>/imdb/aclImdb}. A folder counts when it is named aclImdb or holds both
     * {@code train/} and {@code test/}; whether it holds reviews is checked when it is read, so that
     * a broken copy fails loudly instead of falling back to another data set.
     */
    static Optional<Path> find(Path home) {
        for (Path candidate : List.of(home, home.resolve(NAME), home.resolve("imdb").resolve(NAME))) {
            if (Files.isDirectory(candidate) && (NAME.equals(String.valueOf(candidate.getFileName()))
                    || Files.isDirectory(candidate.resolve("train")) && Files.isDirectory(candidate.resolve("test")))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The folder's own train/test split, each in a fixed shuffled order; every folder must hold reviews. */
    static ImdbSplit read(Path folder, Consumer<String> progress) {
        long start = System.nanoTime();
        List<Review> train = readPart(folder.resolve("train"));
        List<Review> test = readPart(folder.resolve("test"));
        // The files come sorted by label; a fixed shuffle lets a quick run take a prefix of both labels.
        Random random = new Random(ImdbSplit.SPLIT_SEED);
        ImdbSplit.shuffle(train, random);
        ImdbSplit.shuffle(test, random);
        progress.accept(String.format(Locale.ROOT, "IMDb: %,d + %,d reviews read from %s in %.1f s",
                train.size(), test.size(), folder, (System.nanoTime() - start) / 1e9));
        return new ImdbSplit(train, test, String.format(Locale.ROOT,
                "aclImdb folder (Maas et al. 2011): its own %,d/%,d train/test split", train.size(), test.size()));
    }

    /** The negative then the positive reviews of {@code train/} or {@code test/}. */
    private static List<Review> readPart(Path part) {
        List<Review> reviews = new ArrayList<>();
        readLabel(part.resolve("neg"), false, reviews);
        readLabel(part.resolve("pos"), true, reviews);
        return reviews;
    }

    /** Every {@code *.txt} of the folder, in file-name order so that runs are repeatable. */
    private static void readLabel(Path folder, boolean positive, List<Review> reviews) {
        if (!Files.isDirectory(folder)) {
            throw UserException.input("error.acl.no-folder", folder);
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.filter(file -> file.getFileName().toString().endsWith(".txt"))
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw UserException.input("error.acl.cannot-list", folder, UserException.reason(e));
        }
        if (files.isEmpty()) {
            throw UserException.input("error.acl.no-reviews", folder);
        }
        for (Path file : files) {
            reviews.add(new Review(readReview(file), positive));
        }
    }

    private static String readReview(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw UserException.input("error.file.not-utf8", file);
        } catch (IOException e) {
            throw UserException.input("error.acl.cannot-read", file, UserException.reason(e));
        }
    }
}
