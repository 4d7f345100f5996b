package dlbank.cli;

import dlbank.UserException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Reads a user's text file strictly: UTF-8 text or one clear line saying what it is not. */
final class TextFiles {

    /** Larger than any review file a person writes; a bigger file is almost surely not one. */
    private static final long MAX_BYTES = 50L << 20;

    private TextFiles() {}

    /** The non-blank lines of a UTF-8 text file. */
    static List<String> linesOf(Path file) {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw UserException.input("error.file.folder", file);
            }
            if (Files.size(file) > MAX_BYTES) {
                throw UserException.input("error.reviews.too-large", file);
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw UserException.input("error.file.missing", file);
        } catch (IOException e) {
            throw UserException.input("error.file.cannot-read", file, UserException.reason(e));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw UserException.input("error.file.not-utf8", file);
        }
        if (text.indexOf('\0') >= 0) {
            throw UserException.input("error.file.binary", file);
        }
        List<String> lines = text.lines().filter(line -> !line.isBlank()).toList();
        if (lines.isEmpty()) {
            throw UserException.input("error.reviews.empty", file);
        }
        return lines;
    }
}
