package dlbank.bank;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Leitner boxes (Leitner, 1972, "So lernt man lernen") over quiz sessions. Every card starts in box
 * 1; a card the learner knew moves up one box, a card they did not know goes back to box 1. A card
 * in box k comes back after 2^(k-1) sessions: box 1 every session, box 5 every 16th.
 */
public final class LeitnerSchedule {

    public static final int BOXES = 5;

    /** One card's place: its box, the session it is next due, how often it was seen and known. */
    public record Card(int box, int dueSession, int seen, int known) {
        static Card fresh() {
            return new Card(1, 0, 0, 0);
        }
    }

    private final Map<String, Card> cards;
    private int session;

    public LeitnerSchedule(int session, Map<String, Card> cards) {
        this.session = session;
        this.cards = new LinkedHashMap<>(cards);
    }

    public static LeitnerSchedule empty() {
        return new LeitnerSchedule(0, Map.of());
    }

    public int session() {
        return session;
    }

    public Map<String, Card> cards() {
        return Map.copyOf(cards);
    }

    public Card card(String id) {
        return cards.getOrDefault(id, Card.fresh());
    }

    /** Starts a new session: the counter that due dates refer to. */
    public void startSession() {
        session++;
    }

    /**
     * The cards to ask in this session, in order: due cards first, lowest box first, then bank
     * order. When nothing is due, the cards due soonest, so a quiz never has nothing to ask.
     */
    public List<String> queue(List<String> idsInBankOrder) {
        List<String> due = new ArrayList<>();
        for (String id : idsInBankOrder) {
            if (card(id).dueSession() <= session) {
                due.add(id);
            }
        }
        List<String> ordered = new ArrayList<>(due.isEmpty() ? idsInBankOrder : due);
        Comparator<String> order = due.isEmpty()
                ? Comparator.comparingInt((String id) -> card(id).dueSession())
                : Comparator.comparingInt((String id) -> card(id).box());
        ordered.sort(order.thenComparingInt(idsInBankOrder::indexOf));
        return ordered;
    }

    /**
     * The cards still due in the current session, lowest box first, then bank order: what a sitting
     * that answers one card at a time (the page) asks next. Empty when the session is done.
     */
    public List<String> due(List<String> idsInBankOrder) {
        List<String> due = new ArrayList<>();
        for (String id : idsInBankOrder) {
            if (card(id).dueSession() <= session) {
                due.add(id);
            }
        }
        due.sort(Comparator.comparingInt((String id) -> card(id).box()).thenComparingInt(idsInBankOrder::indexOf));
        return due;
    }

    /** Records an answer and schedules the card's next appearance. */
    public Card answer(String id, boolean knew) {
        Card before = card(id);
        int box = knew ? Math.min(BOXES, before.box() + 1) : 1;
        Card after = new Card(box, session + (1 << (box - 1)), before.seen() + 1, before.known() + (knew ? 1 : 0));
        cards.put(id, after);
        return after;
    }
}
