package dlbank.interview;

import dlbank.bank.Bank;
import dlbank.bank.BankEntry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Grades a typed answer against an entry's key points and red flags by what its clauses assert.
 *
 * <ol>
 *   <li>The answer's language is read from the text (its share of Han characters); the answer is
 *       graded against the key points of that language, and the result speaks the entry's language.</li>
 *   <li>The answer is cut into clauses ({@link Clauses}); a comma list or a line without a verb asserts
 *       nothing. Each asserting stretch is embedded ({@link SentenceEncoder}) and compared with every
 *       point's statement and paraphrases (which make the point) and its contrary sentences and the
 *       red flags' wrong statements (which contradict it). A stretch whose negations do not match the
 *       model sentence's (odd against even) counts for the other side, less {@link
 *       Thresholds#flipPenalty}: "CNNs do not share weights" contradicts "CNNs share weights".</li>
 *   <li>A stretch that contradicts a point or states a red flag, more closely than it makes any point,
 *       raises that red flag and earns nothing; the point it contradicts is not earned at all.</li>
 *   <li>A point is covered by a stretch that makes it closely enough ({@link Thresholds#point}), or
 *       less closely when one of the point's terms occurs in it ({@link Thresholds#pointWithTerm}):
 *       the words are high-precision evidence, meaning decides.</li>
 * </ol>
 * The score is the covered share of the points' weight, less {@link #RED_FLAG_PENALTY} per red flag.
 * Returns data only: the commands and the web page decide how to show it.
 */
public final class Grader {

    /** Points taken off for each wrong statement: an interviewer notices a confident error. */
    public static final int RED_FLAG_PENALTY = 10;

    /**
     * Cosine similarities that decide, per language (the two encoders spread their similarities
     * differently); calibrated on the development set in {@code src/test/resources/grader/}.
     *
     * @param point a stretch this close to a point's statement or paraphrase makes the point
     * @param pointWithTerm ... or this close when one of the point's terms occurs in it
     * @param partial a stretch this close makes half the point (said loosely, or only in part)
     * @param contrary a stretch this close to a contrary statement or a red flag states the mistake
     * @param flipPenalty taken off a similarity when the negations of the two sentences do not match
     * @param margin a point is made only when its side leads the other side by this much
     * @param flagMargin a mistake is stated only when it leads every point's side by this much
     * @param nearBest a stretch makes the points it is nearly as close to as to its best one
     * @param namePenalty taken off when the two sentences name different things (AND and XOR, L1 and L2),
     *     which the encoders hardly tell apart
     * @param termBonus added to a stretch's defence of a point whose terms it holds, against flags
     */
    record Thresholds(double point, double pointWithTerm, double partial, double contrary, double flipPenalty, double margin,
                      double flagMargin, double nearBest, double namePenalty, double termBonus) {}

    static final Thresholds ENGLISH = new Thresholds(0.60, 0.40, 0.39, 0.78, 0.10, 0.02, 0.05, 0.10, 0.10, 0.06);
    static final Thresholds CHINESE = new Thresholds(0.78, 0.60, 0.68, 0.86, 0.06, 0.02, 0.05, 0.06, 0.06, 0.06);

    /** Han characters at least this share of the letters make an answer Chinese. */
    static final double CHINESE_SHARE = 0.25;

    private static final Map<String, ModelSentences> MODEL_SENTENCES = new ConcurrentHashMap<>();

    private final String language;

    /** @param language the language of the result's labels and sentences ("en" or "zh"), whatever the answer's */
    public Grader(String language) {
        this.language = language;
    }

    /**
     * Loads what grading in the language needs (the sentence encoder, the analysers) on a background
     * thread, so that an interview's first grade does not wait for it while the candidate is typing.
     */
    public static void preload(String language) {
        Thread loader = new Thread(() -> {
            try {
                SentenceEncoder.forLanguage(language);
                Clauses.forLanguage(language);
            } catch (RuntimeException e) {
                // The first grade loads again and reports the failure where it can be shown.
            }
        }, "grader-preload");
        loader.setDaemon(true);
        loader.start();
    }

    /** "zh" when Han characters make up at least {@link #CHINESE_SHARE} of the letters, else "en" ({@code fallback} without letters). */
    public static String languageOf(String text, String fallback) {
        long han = text.codePoints().filter(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN).count();
        long latin = text.codePoints().filter(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')).count();
        if (han + latin == 0) {
            return fallback;
        }
        return han >= CHINESE_SHARE * (han + latin) ? "zh" : "en";
    }

    /** An answer to the entry's question, against its key points; missed points quote the entry. */
    public GradeResult grade(BankEntry entry, String answer) {
        entry = sameEntry(entry, language);
        answer = plain(answer); // Markdown emphasis and code marks are not words
        String answerLanguage = languageOf(answer, entry.language());
        BankEntry graded = sameEntry(entry, answerLanguage);
        KeyPoints keyPoints = KeyPoints.of(graded);
        KeyPoints shown = KeyPoints.of(entry);
        Assessment assessment = assess(keyPoints.points(), keyPoints.redFlags(), answer, answerLanguage,
                ModelSentences.of(graded.id(), answerLanguage, keyPoints));
        String inDepth = entry.section(entry.language().equals("zh") ? "深入" : "In depth");
        return result(entry, answerLanguage, shown.points(), shown.redFlags(), assessment, List.of(entry.shortAnswer(), inDepth));
    }

    /**
     * An answer to one of the entry's follow-ups: the follow-up's points are names and numbers, found by
     * their terms (not negated); the entry's red flags as in {@link #grade}.
     */
    public GradeResult gradeFollowUp(BankEntry entry, FollowUp followUp, String answer) {
        String answerLanguage = languageOf(answer, entry.language());
        BankEntry graded = sameEntry(entry, answerLanguage);
        KeyPoints shown = KeyPoints.of(entry);
        KeyPoints keyPoints = KeyPoints.of(graded);
        int index = shown.followUps().indexOf(followUp);
        FollowUp gradedFollowUp = index >= 0 && index < keyPoints.followUps().size() ? keyPoints.followUps().get(index) : followUp;
        Assessment flags = assess(List.of(), keyPoints.redFlags(), answer, answerLanguage,
                ModelSentences.of(graded.id() + "#flags", answerLanguage, new KeyPoints(graded.id(), answerLanguage, List.of(),
                        keyPoints.redFlags(), List.of())));
        TextAnalysis analysis = TextAnalysis.forLanguage(answerLanguage);
        List<TextAnalysis.Sentence> sentences = analysis.sentences(answer);
        Map<Integer, Credit> covered = new java.util.LinkedHashMap<>();
        for (int p = 0; p < gradedFollowUp.points().size(); p++) {
            Optional<TermPattern.Match> match = first(gradedFollowUp.points().get(p).terms(), sentences, analysis);
            if (match.isPresent()) {
                covered.put(p, new Credit(match.get().words(), false));
            }
        }
        Assessment assessment = new Assessment(covered, flags.flags());
        return result(entry, answerLanguage, followUp.points(), shown.redFlags(), assessment, List.of(followUp.answer()));
    }

    static BankEntry sameEntry(BankEntry entry, String language) {
        return language.equals(entry.language()) ? entry : Bank.load().find(entry.id(), language).orElse(entry);
    }

    /** What the answer did, by index into the points and red flags of the language it was graded in. */
    record Assessment(Map<Integer, Credit> covered, List<Flag> flags) {}

    /** A point made by the answer's words, in full or (said loosely, in part) for half its weight. */
    record Credit(String words, boolean partial) {}

    /**
     * A mistake the answer states: a point's contrary ({@code point} >= 0) or a listed red flag.
     *
     * @param contrary which of the point's contrary statements it is nearest to
     */
    record Flag(int point, int redFlag, int contrary, String words) {}

    private Assessment assess(List<KeyPoint> points, List<RedFlag> redFlags, String answer, String answerLanguage,
                              ModelSentences model) {
        return decide(read(points.size(), answer, answerLanguage, model), answerLanguage.equals("zh") ? CHINESE : ENGLISH);
    }

    /**
     * What the answer's asserting stretches are near: every similarity to every model sentence, and which
     * of the points' and red flags' terms occur in each. Thresholds come later ({@link #decide}).
     */
    record Reading(ModelSentences model, int points, List<Clauses.Unit> units, float[][] similarity,
                   boolean[][] otherNames, long[][] pointTerms, boolean[][] flagTerm) {

        boolean pointTerm(int unit, int point) {
            return pointTerms[unit][point] != 0;
        }
    }

    static Reading read(int points, String answer, String answerLanguage, ModelSentences model) {
        TextAnalysis analysis = TextAnalysis.forLanguage(answerLanguage);
        List<TextAnalysis.Sentence> sentences = analysis.sentences(answer);
        List<Clauses.Unit> units = Clauses.forLanguage(answerLanguage).units(sentences);
        float[][] vectors = SentenceEncoder.forLanguage(answerLanguage).encodeReusing(units.stream().map(Clauses.Unit::text).toList());
        float[][] similarity = new float[units.size()][model.texts.size()];
        boolean[][] otherNames = new boolean[units.size()][model.texts.size()];
        long[][] pointTerms = new long[units.size()][points];
        boolean[][] flagTerm = new boolean[units.size()][model.flagTerms.size()];
        for (int u = 0; u < units.size(); u++) {
            for (int m = 0; m < model.texts.size(); m++) {
                similarity[u][m] = SentenceEncoder.dot(vectors[u], model.vectors[m]);
                Set<String> unitNames = units.get(u).names();
                Set<String> modelNames = model.names.get(m);
                otherNames[u][m] = !unitNames.isEmpty() && !modelNames.isEmpty() && java.util.Collections.disjoint(unitNames, modelNames);
            }
            TextAnalysis.Sentence sentence = sentences.get(units.get(u).sentence());
            for (int p = 0; p < points; p++) {
                pointTerms[u][p] = termMask(model.pointTerms.get(p), sentence, units.get(u).start(), units.get(u).end(), analysis);
            }
            for (int f = 0; f < flagTerm[u].length; f++) {
                flagTerm[u][f] = lexicalMatch(model.flagTerms.get(f), sentence, units.get(u), analysis);
            }
        }
        return new Reading(model, points, units, similarity, otherNames, pointTerms, flagTerm);
    }

    /** For calibration: each point's best supporting and contradicting stretch, as text. */
    static String explain(Reading reading, Thresholds limits) {
        if (reading.units().isEmpty()) {
            return "    (no asserting stretch)\n";
        }
        Sides sides = sides(reading, limits);
        StringBuilder text = new StringBuilder();
        int owners = sides.pro()[0].length;
        for (int o = 0; o < (reading.units().isEmpty() ? 0 : owners); o++) {
            int bestPro = 0;
            int bestCon = 0;
            for (int u = 0; u < reading.units().size(); u++) {
                bestPro = sides.pro()[u][o] > sides.pro()[bestPro][o] ? u : bestPro;
                bestCon = sides.con()[u][o] > sides.con()[bestCon][o] ? u : bestCon;
            }
            text.append(String.format("    %s%d pro %.3f%s [%s] con %.3f [%s]%n", o < reading.points() ? "p" : "r",
                    o < reading.points() ? o : o - reading.points(), sides.pro()[bestPro][o],
                    o < reading.points() && reading.pointTerm(bestPro, o) ? "*" : "",
                    reading.units().get(bestPro).text(), sides.con()[bestCon][o], reading.units().get(bestCon).text()));
        }
        return text.toString();
    }

    /** Per stretch and owner (point, then red flag): the strongest evidence for and against. */
    /**
     * @param pro evidence that a stretch makes the point
     * @param defence the stronger of that and a denied mistake ("pooling does not reduce the parameters"):
     *     enough to keep the stretch from stating the mistake, not to earn the point
     */
    private record Sides(double[][] pro, double[][] defence, double[][] con, double[][] anyWrong, int[][] nearestContrary,
                         double[] bestDefence) {}

    /** Which points the reading covers and which mistakes it states, under the thresholds. */
    static Assessment decide(Reading reading, Thresholds limits) {
        Sides sides = sides(reading, limits);
        double[][] pro = sides.pro();
        double[][] defence = sides.defence();
        double[][] con = sides.con();
        int[][] nearestContrary = sides.nearestContrary();
        double[] bestDefence = sides.bestDefence();
        ModelSentences model = reading.model();
        List<Clauses.Unit> units = reading.units();
        int points = reading.points();
        int owners = points + model.flagTerms.size();

        // Mistakes first: the strongest one per stretch, each point or red flag raised once.
        List<Flag> flags = new ArrayList<>();
        Set<Integer> flaggedUnits = new HashSet<>();
        Set<Integer> raised = new HashSet<>();
        for (int u = 0; u < units.size(); u++) {
            Clauses.Unit unit = units.get(u);
            if (unit.reported() || unit.relative()) {
                continue; // "a common mistake is ..." reports a mistake; "..., which is ..." speaks of another subject
            }
            int strongest = -1;
            double strength = -1;
            for (int o = 0; o < owners; o++) {
                boolean states = con[u][o] >= limits.contrary() && con[u][o] >= bestDefence[u] + limits.flagMargin();
                if (o >= points && reading.flagTerm()[u][o - points] && unit.polarity() == model.flagPolarity.get(o - points)
                        && Math.max(defence[u][o], bestDefence[u]) < Math.max(con[u][o], sides.anyWrong()[u][o]) + limits.flagMargin()) {
                    // the red flag's own words, asserted as the mistake asserts them, and not nearer its
                    // correction or any point ("The GRU simplifies the LSTM into two gates" holds "LSTM ...
                    // two gates" but makes the GRU point almost word for word)
                    states = true;
                }
                double score = states ? Math.max(con[u][o], 0) + (o >= points ? 0.001 : 0) : -1;
                if (states && score > strength) {
                    strongest = o;
                    strength = score;
                }
            }
            if (strongest >= 0) {
                flaggedUnits.add(u);
                if (raised.add(strongest)) {
                    boolean isPoint = strongest < points;
                    flags.add(new Flag(isPoint ? strongest : -1, isPoint ? -1 : strongest - points,
                            nearestContrary[u][strongest], unit.text()));
                }
            }
        }

        Map<Integer, Credit> covered = new java.util.LinkedHashMap<>();
        for (int p = 0; p < points; p++) {
            if (raised.contains(p)) {
                continue; // an answer that contradicts a point does not also earn it
            }
            double best = -1;
            for (int u = 0; u < units.size(); u++) {
                if (flaggedUnits.contains(u)) {
                    continue;
                }
                double bestPoint = java.util.Arrays.stream(pro[u], 0, points).max().orElse(-1);
                // Near its best point, or holding the point's own words and close enough with them
                // (the words are high-precision evidence): "同一个卷积核在所有位置上共享" makes weight
                // sharing although the encoder puts it nearer "fewer parameters".
                boolean leads = pro[u][p] >= con[u][p] + limits.margin() && (pro[u][p] >= bestPoint - limits.nearBest()
                        || reading.pointTerm(u, p) && pro[u][p] >= limits.pointWithTerm());
                double full = reading.pointTerm(u, p) ? limits.pointWithTerm() : limits.point();
                // A stretch makes in full every point it is close enough to, but only its nearest one in
                // part. A full credit beats any partial one; among equals, the closer stretch is quoted.
                double rank = !leads ? -1 : pro[u][p] >= full ? 1 + pro[u][p]
                        : pro[u][p] >= limits.partial() && pro[u][p] >= bestPoint ? pro[u][p] : -1;
                if (rank > best) {
                    best = rank;
                    covered.put(p, new Credit(units.get(u).text(), rank < 1));
                }
            }
        }
        return new Assessment(covered, flags);
    }

    private static Sides sides(Reading reading, Thresholds limits) {
        ModelSentences model = reading.model();
        List<Clauses.Unit> units = reading.units();
        int points = reading.points();
        int owners = points + model.flagTerms.size();

        double[][] pro = new double[units.size()][owners];
        double[][] defence = new double[units.size()][owners];
        double[][] con = new double[units.size()][owners];
        double[][] anyWrong = new double[units.size()][owners]; // nearest wrong sentence, whatever the polarity
        int[][] nearestContrary = new int[units.size()][owners];
        double[] bestDefence = new double[units.size()];
        for (int u = 0; u < units.size(); u++) {
            java.util.Arrays.fill(pro[u], -1);
            java.util.Arrays.fill(defence[u], -1);
            java.util.Arrays.fill(con[u], -1);
            java.util.Arrays.fill(anyWrong[u], -1);
            int unitDirection = Clauses.direction(units.get(u).text());
            for (int m = 0; m < model.texts.size(); m++) {
                if (!model.makesPoint.get(m)) {
                    anyWrong[u][model.owner.get(m)] = Math.max(anyWrong[u][model.owner.get(m)], reading.similarity()[u][m]);
                }
                boolean otherNames = reading.otherNames()[u][m];
                if (otherNames && !model.makesPoint.get(m)) {
                    continue; // "AND is linearly separable" does not state "XOR is linearly separable"
                }
                if (!model.makesPoint.get(m) && model.owner.get(m) < points
                        && (reading.pointTerms()[u][model.owner.get(m)] & ~model.termsInSentence.get(m)) != 0) {
                    continue; // the point's own words that its contrary lacks ("harmonic mean"): the stretch makes the point
                }
                if (!model.makesPoint.get(m) && model.owner.get(m) >= points && makesPointInOtherWords(reading, u, m, limits)) {
                    continue; // likewise for a red flag: the stretch makes a point in words the mistake does not use
                }
                double similarity = reading.similarity()[u][m] - (otherNames ? limits.namePenalty() : 0);
                Clauses.Polarity unitPolarity = units.get(u).polarity();
                Clauses.Polarity modelPolarity = model.polarity.get(m);
                boolean makesIt;
                double evidence;
                if (unitPolarity == Clauses.Polarity.MIXED || modelPolarity == Clauses.Polarity.MIXED) {
                    // Some clauses negated, some not: no telling which one disagrees, so such a pair
                    // only supports a point (less surely), never states a mistake; and a wholly
                    // negated stretch makes no point by resembling a mixed sentence.
                    if (!model.makesPoint.get(m) || unitPolarity == Clauses.Polarity.NEGATED) {
                        continue;
                    }
                    makesIt = true;
                    evidence = similarity - limits.flipPenalty();
                } else if ((unitPolarity == modelPolarity) != (unitDirection * model.direction.get(m) < 0)) {
                    // same polarity, and not "larger" against "smaller" (that contradicts like a negation)
                    makesIt = model.makesPoint.get(m);
                    evidence = similarity;
                } else {
                    if (model.makesPoint.get(m) && model.owner.get(m) >= points) {
                        continue; // a red flag's correction, negated, often restates the mistake's topic
                    }
                    makesIt = !model.makesPoint.get(m); // "does not share weights" against "shares weights"
                    evidence = similarity - limits.flipPenalty();
                }
                int owner = model.owner.get(m);
                if (makesIt) {
                    defence[u][owner] = Math.max(defence[u][owner], evidence);
                    if (model.makesPoint.get(m)) { // a denied mistake is not the point ("derivative is not 0")
                        pro[u][owner] = Math.max(pro[u][owner], evidence);
                    }
                } else if (evidence > con[u][owner]) {
                    con[u][owner] = evidence;
                    nearestContrary[u][owner] = model.contraryIndex.get(m);
                }
            }
            for (int p = 0; p < points; p++) {
                if (reading.pointTerm(u, p)) {
                    defence[u][p] += limits.termBonus(); // the point's own words back it up
                }
            }
            bestDefence[u] = java.util.Arrays.stream(defence[u]).max().orElse(-1);
        }
        return new Sides(pro, defence, con, anyWrong, nearestContrary, bestDefence);
    }

    /**
     * Whether the stretch holds one of some point's terms that the red flag's wrong statement lacks,
     * and is also close to that point ("makes its labels from the data itself" against "labels the data
     * with its own predictions").
     */
    private static boolean makesPointInOtherWords(Reading reading, int u, int m, Thresholds limits) {
        ModelSentences model = reading.model();
        for (int p = 0; p < reading.points(); p++) {
            if ((reading.pointTerms()[u][p] & ~model.flagSentenceTerms.get(m).get(p)) == 0) {
                continue;
            }
            for (int k = 0; k < model.texts.size(); k++) {
                if (model.owner.get(k) == p && model.makesPoint.get(k) && reading.similarity()[u][k] >= limits.partial()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether one of the terms occurs, not negated, inside the unit's stretch of its sentence. */
    private static boolean lexicalMatch(List<TermPattern> terms, TextAnalysis.Sentence sentence, Clauses.Unit unit,
                                        TextAnalysis analysis) {
        return termMask(terms, sentence, unit.start(), unit.end(), analysis) != 0;
    }

    /** Bit i set when terms[i] occurs, not negated, within [start, end) of the sentence (64 terms at most). */
    private static long termMask(List<TermPattern> terms, TextAnalysis.Sentence sentence, int start, int end,
                                 TextAnalysis analysis) {
        long mask = 0;
        for (int i = 0; i < Math.min(64, terms.size()); i++) {
            Optional<TermPattern.Match> match = terms.get(i).findAsserted(sentence, analysis);
            if (match.isPresent() && sentence.tokens().get(match.get().from()).start() >= start
                    && sentence.tokens().get(match.get().to()).end() <= end) {
                mask |= 1L << i;
            }
        }
        return mask;
    }

    private GradeResult result(BankEntry entry, String answerLanguage, List<KeyPoint> points, List<RedFlag> redFlags,
                               Assessment assessment, List<String> modelTexts) {
        List<GradeResult.Covered> covered = new ArrayList<>();
        List<GradeResult.Missed> missed = new ArrayList<>();
        double total = 0;
        double made = 0;
        TextAnalysis analysis = TextAnalysis.forLanguage(entry.language());
        for (int p = 0; p < points.size(); p++) {
            KeyPoint point = points.get(p);
            total += point.weight();
            Credit credit = assessment.covered().get(p);
            if (credit != null) {
                double weight = credit.partial() ? point.weight() / 2 : point.weight();
                made += weight;
                String label = credit.partial() ? point.label() + (entry.language().equals("zh") ? "（部分）" : " (in part)")
                        : point.label();
                covered.add(new GradeResult.Covered(label, weight, credit.words()));
            } else {
                missed.add(new GradeResult.Missed(point.label(), point.weight(), modelSentence(point, modelTexts, analysis)));
            }
        }
        List<GradeResult.RaisedFlag> raised = new ArrayList<>();
        for (Flag flag : assessment.flags()) {
            if (flag.point() >= 0) {
                KeyPoint point = points.get(flag.point());
                String wrong = point.contrary().isEmpty() ? point.label()
                        : point.contrary().get(Math.min(flag.contrary(), point.contrary().size() - 1));
                raised.add(new GradeResult.RaisedFlag(wrong, point.statement().isEmpty() ? point.label() : point.statement(),
                        flag.words()));
            } else {
                RedFlag redFlag = redFlags.get(flag.redFlag());
                raised.add(new GradeResult.RaisedFlag(redFlag.wrong(), redFlag.correction(), flag.words()));
            }
        }
        int score = total == 0 ? 0 : (int) Math.round(100 * made / total) - RED_FLAG_PENALTY * raised.size();
        return new GradeResult(entry.id(), entry.language(), answerLanguage, Math.max(0, score), covered, missed, raised);
    }

    /**
     * The sentences a grade compares with, for one entry in one language, embedded once per JVM: each
     * point's statement and paraphrases (they make it) and contrary statements, and each red flag's
     * correction (it makes the flag's point) and wrong statement.
     */
    static final class ModelSentences {
        final List<String> texts = new ArrayList<>();
        final List<Integer> owner = new ArrayList<>(); // point index, or points + red flag index
        final List<Boolean> makesPoint = new ArrayList<>();
        final List<Integer> contraryIndex = new ArrayList<>();
        final List<Clauses.Polarity> polarity = new ArrayList<>();
        final List<Set<String>> names = new ArrayList<>();
        final List<Integer> direction = new ArrayList<>(); // Clauses.direction of each sentence
        final List<Long> termsInSentence = new ArrayList<>(); // for a contrary: which of its point's terms it holds
        final Map<Integer, List<Long>> flagSentenceTerms = new java.util.HashMap<>(); // for a red flag: every point's terms in it
        final List<List<TermPattern>> pointTerms = new ArrayList<>();
        final List<List<TermPattern>> flagTerms = new ArrayList<>();
        final List<Clauses.Polarity> flagPolarity = new ArrayList<>(); // of each red flag's wrong statement
        float[][] vectors;

        static ModelSentences of(String key, String language, KeyPoints keyPoints) {
            return MODEL_SENTENCES.computeIfAbsent(key + "." + language, k -> new ModelSentences(language, keyPoints));
        }

        private ModelSentences(String language, KeyPoints keyPoints) {
            TextAnalysis analysis = TextAnalysis.forLanguage(language);
            Clauses clauses = Clauses.forLanguage(language);
            List<KeyPoint> points = keyPoints.points();
            for (int p = 0; p < points.size(); p++) {
                pointTerms.add(points.get(p).terms().stream().map(term -> TermPattern.compile(term, analysis)).toList());
                for (String sentence : points.get(p).assertions()) {
                    addWithParts(sentence, p, clauses);
                }
                // The label too, when it is plain: the bank's own short wording of the point ("Dropout
                // switches units off at random during training"); "Not only for images" is left out.
                String label = points.get(p).label();
                if (clauses.polarity(label) == Clauses.Polarity.POSITIVE && !clauses.isShort(label)) {
                    add(label, p, true, 0, Clauses.Polarity.POSITIVE);
                }
                for (int c = 0; c < points.get(p).contrary().size(); c++) {
                    String contrary = points.get(p).contrary().get(c);
                    add(contrary, p, false, c, clauses.polarity(contrary));
                    long mask = 0;
                    for (TextAnalysis.Sentence sentence : analysis.sentences(contrary)) {
                        mask |= termMask(pointTerms.get(p), sentence, 0, sentence.text().length(), analysis);
                    }
                    termsInSentence.set(termsInSentence.size() - 1, mask);
                }
            }
            for (int f = 0; f < keyPoints.redFlags().size(); f++) {
                RedFlag flag = keyPoints.redFlags().get(f);
                addWithParts(flag.correction(), points.size() + f, clauses);
                add(flag.wrong(), points.size() + f, false, 0, clauses.polarity(flag.wrong()));
                List<Long> masks = new ArrayList<>();
                for (int p = 0; p < points.size(); p++) {
                    long mask = 0;
                    for (TextAnalysis.Sentence sentence : analysis.sentences(flag.wrong())) {
                        mask |= termMask(pointTerms.get(p), sentence, 0, sentence.text().length(), analysis);
                    }
                    masks.add(mask);
                }
                flagSentenceTerms.put(texts.size() - 1, masks);
                flagTerms.add(flag.terms().stream().map(term -> TermPattern.compile(term, analysis)).toList());
                flagPolarity.add(clauses.polarity(flag.wrong()));
            }
            texts.forEach(text -> names.add(Clauses.names(text)));
            texts.forEach(text -> direction.add(Clauses.direction(text)));
            vectors = SentenceEncoder.forLanguage(language).encodeKept(texts);
        }

        /**
         * A sentence that makes a point, and each of its asserting clauses on its own: a statement often
         * joins two facts, and an answer that says one of them should meet it.
         */
        private void addWithParts(String text, int owner, Clauses clauses) {
            List<Clauses.Unit> parts = clauses.parts(text).stream().filter(part -> !clauses.isShort(part.text())).toList();
            Clauses.Polarity polarity = clauses.polarity(text);
            if (polarity != Clauses.Polarity.MIXED || parts.isEmpty()) {
                add(text, owner, true, 0, polarity); // a mixed sentence speaks through its clauses
            }
            for (Clauses.Unit part : parts) {
                add(part.text(), owner, true, 0, part.polarity());
            }
        }

        private void add(String text, int owner, boolean makesPoint, int contrary, Clauses.Polarity polarity) {
            texts.add(text);
            this.owner.add(owner);
            this.makesPoint.add(makesPoint);
            contraryIndex.add(contrary);
            this.polarity.add(polarity);
            termsInSentence.add(0L);
        }
    }

    /** The first sentence where one of the terms occurs, asserted (not denied by a negation). */
    private static Optional<TermPattern.Match> first(List<String> terms, List<TextAnalysis.Sentence> sentences,
                                                     TextAnalysis analysis) {
        List<TermPattern> patterns = terms.stream().map(term -> TermPattern.compile(term, analysis)).toList();
        for (TextAnalysis.Sentence sentence : sentences) { // the earliest sentence, then the first term in it
            for (TermPattern pattern : patterns) {
                Optional<TermPattern.Match> match = pattern.findAsserted(sentence, analysis);
                if (match.isPresent()) {
                    return match;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The entry's own sentence that makes the point (short answer first), or the point's statement. The
     * match is found in a clause; the whole sentence around it, up to . ! ? or 。！？, is shown.
     */
    private static String modelSentence(KeyPoint point, List<String> modelTexts, TextAnalysis analysis) {
        for (String text : modelTexts) {
            String plain = plain(text);
            List<TermPattern> patterns = point.terms().stream().map(term -> TermPattern.compile(term, analysis)).toList();
            for (TextAnalysis.Sentence sentence : analysis.sentences(plain)) {
                for (TermPattern pattern : patterns) {
                    if (pattern.find(sentence, analysis).isPresent()) {
                        return around(plain, sentence.text());
                    }
                }
            }
        }
        return point.statement().isEmpty() ? point.label() : point.statement();
    }

    private static String around(String plain, String clause) {
        int at = plain.indexOf(clause);
        int start = at;
        while (start > 0 && !FULL_STOP.matcher(plain.substring(start - 1, start + 1)).matches()) {
            start--;
        }
        int end = at + clause.length();
        while (end < plain.length() && !FULL_STOP.matcher(plain.substring(end - 1, end + 1)).matches()) {
            end++;
        }
        return plain.substring(start, end).strip();
    }

    /** Two characters that end a sentence between them: ". " (not "e.g. ") or "。" or a line end. */
    private static final java.util.regex.Pattern FULL_STOP = java.util.regex.Pattern.compile("[.!?]\\s|[。！？\\n].|.\\n");

    /** Markdown reduced to its sentences' text: no code blocks, emphasis, list markers or headings. */
    static String plain(String markdown) {
        return markdown.replaceAll("(?s)```.*?```", "\n")
                .replaceAll("(?m)^\\s*(?:[-*]|\\d+\\.|#+)\\s+", "")
                .replace("**", "").replace("`", "")
                .replaceAll("(?<![\\w*])\\*(\\S[^*]*?)\\*(?![\\w*])", "$1");
    }
}
