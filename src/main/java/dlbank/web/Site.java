package dlbank.web;

import ai.djl.Device;
import dlbank.bank.Bank;
import dlbank.bank.BankEntry;
import dlbank.data.DataHome;
import dlbank.interview.Grader;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every handler of one server shares: the settings, the bank (read once: it ships inside the
 * program), each answer's HTML once rendered, and the one run that may be going.
 */
final class Site {

    private final WebServer.Settings settings;
    private final Bank bank = Bank.load();
    private final Map<String, List<BankEntry>> entries = new ConcurrentHashMap<>();
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final Map<String, Grader> graders = new ConcurrentHashMap<>();
    private final RunJobs jobs;
    private final Device device;

    Site(WebServer.Settings settings, Device device) {
        this.settings = settings;
        this.device = device;
        this.jobs = new RunJobs(settings.dataHome(), device);
    }

    WebServer.Settings settings() {
        return settings;
    }

    Bank bank() {
        return bank;
    }

    Device device() {
        return device;
    }

    DataHome dataHome() {
        return settings.dataHome();
    }

    RunJobs jobs() {
        return jobs;
    }

    Path quizFile() {
        return settings.quizFile();
    }

    /** The bank's entries in one language, in bank order. */
    List<BankEntry> entries(Lang lang) {
        return entries.computeIfAbsent(lang.code(), bank::entries);
    }

    /** An entry by its id (concept/cnn), or empty. */
    Optional<BankEntry> entry(String id, Lang lang) {
        return entries(lang).stream().filter(entry -> entry.id().equals(id)).findFirst();
    }

    /** The entry's answer as HTML. */
    String answerHtml(BankEntry entry) {
        return answers.computeIfAbsent(entry.id() + "." + entry.language(), key -> MarkdownHtml.render(entry.body()));
    }

    /** The grader of one language, made once (its text analysis takes a moment to build). */
    Grader grader(String language) {
        return graders.computeIfAbsent(language, Grader::new);
    }

    /** The short answer as HTML (the quiz shows it). */
    String shortAnswerHtml(BankEntry entry) {
        return answers.computeIfAbsent(entry.id() + "." + entry.language() + ".short",
                key -> MarkdownHtml.render(entry.shortAnswer()));
    }
}
