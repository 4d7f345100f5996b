package dlbank.data;

import dlbank.UserException;
import dlbank.data.ImdbDataset.Review;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The IMDb reviews (Maas et al. 2011, Learning Word Vectors for Sentiment Analysis) divided into
 * training and test reviews, with a short description of the split for the report.
 *
 * <p>From the Stanford {@code aclImdb} folders, the data set's own 25,000/25,000 split is used as is.
 * The npm package's {@code reviews.json} has no split, so it gets a fixed one: stratified by label, half
 * of each label to training and half to test, shuffled with {@link #SPLIT_SEED}. Both splits come in a
 * fixed shuffled order (the files and the JSON are sorted by label), so that a prefix mixes both labels.
 */
public record ImdbSplit(List<Review> train, List<Review> test, String description) {

    /**
     * The seed of the fixed split, never the run's {@code --seed}: every run and every seed must be
     * tested on the same reviews, or results of different seeds would not be comparable.
     */
    public static final long SPLIT_SEED = 20110611L;

    public ImdbSplit {
        train = List.copyOf(train);
        test = List.copyOf(test);
    }

    /**
     * The split from an {@code aclImdb} folder under the data home (the home itself, {@code aclImdb/}
     * or {@code imdb/aclImdb/}) if there is one, else the fixed split of {@code reviews.json}, fetched
     * on first use.
     */
    public static ImdbSplit load(DataHome home, Consumer<String> progress) {
        Optional<Path> aclImdb = AclImdbFolder.find(home.root());
        if (aclImdb.isPresent()) {
            return AclImdbFolder.read(aclImdb.get(), progress);
        }
        Path file = home.require(DataSet.IMDB, progress).get("reviews.json");
        return fixedSplit(ImdbDataset.read(file).reviews(), file);
    }

    /** Half of each label to training, half to test (the odd one out to test), by {@link #SPLIT_SEED}. */
    public static ImdbSplit fixedSplit(List<Review> reviews, Path source) {
        long positives = reviews.stream().filter(Review::positive).count();
        long negatives = reviews.size() - positives;
        if (positives < 2 || negatives < 2) {
            throw UserException.input("error.imdb.split-labels", source,
                    String.format(Locale.ROOT, "%,d", positives), String.format(Locale.ROOT, "%,d", negatives));
        }
        Random random = new Random(SPLIT_SEED);
        List<Review> train = new ArrayList<>();
        List<Review> test = new ArrayList<>();
        for (boolean positive : new boolean[] {false, true}) {
            List<Review> ofLabel = new ArrayList<>(reviews.stream().filter(r -> r.positive() == positive).toList());
            shuffle(ofLabel, random);
            train.addAll(ofLabel.subList(0, ofLabel.size() / 2));
            test.addAll(ofLabel.subList(ofLabel.size() / 2, ofLabel.size()));
        }
        shuffle(train, random);
        shuffle(test, random);
        return new ImdbSplit(train, test, String.format(Locale.ROOT,
                "%s: fixed seeded %,d/%,d split (seed %d), stratified by label",
                source.getFileName(), train.size(), test.size(), SPLIT_SEED));
    }

    /**
     * Fisher-Yates with {@link Random#nextInt(int)}, both specified exactly, so the fixed split is the
     * same on every JDK (Collections.shuffle promises its algorithm only in an implementation note).
     */
    static <T> void shuffle(List<T> list, Random random) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T swapped = list.get(i);
            list.set(i, list.get(j));
            list.set(j, swapped);
        }
    }
}
