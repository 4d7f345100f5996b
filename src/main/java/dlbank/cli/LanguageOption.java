package dlbank.cli;

import dlbank.i18n.Messages;
import picocli.CommandLine.Command;

/**
 * The language for the commands that show the bank. {@code --lang zh|en} itself belongs to the root
 * command and every subcommand inherits it ({@link DlbankCommand}); this mixin only reads the choice,
 * so a command that declares it keeps working. (An empty {@code @Command} makes it a valid mixin.)
 */
@Command
final class LanguageOption {

    /** "zh" or "en": --lang if given, else the locale's. */
    String resolve() {
        return Messages.language();
    }
}
