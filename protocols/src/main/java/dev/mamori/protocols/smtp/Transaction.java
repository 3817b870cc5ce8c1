package dev.mamori.protocols.smtp;

import java.util.ArrayList;
import java.util.List;

/**
 * One mail transaction (RFC 5321 3.3), from the MAIL the relay passed on to the next hop until its
 * final answer or a reset: the next-hop connection it runs on, the sender's reverse path, the
 * recipients the next hop accepted, and whether the next hop is already waiting for the message.
 */
final class Transaction {

    final NextHop hop;
    final String mailFrom;
    private final List<String> recipients = new ArrayList<>();
    private int recipientsPending;
    private boolean refused;
    private boolean dataStarted;

    Transaction(NextHop hop, String mailFrom) {
        this.hop = hop;
        this.mailFrom = mailFrom;
    }

    /** The next hop did not take the MAIL (or was lost): what follows in it is answered as without MAIL. */
    void refused() {
        refused = true;
    }

    boolean isRefused() {
        return refused;
    }

    /** The next hop answered DATA with 354: from now on only the message or a closed connection ends it there. */
    void dataStarted() {
        dataStarted = true;
    }

    /** Ends it at the next hop without a message. */
    void abort() {
        hop.abort(dataStarted);
    }

    /** A RCPT went to the next hop. */
    void asked() {
        recipientsPending++;
    }

    /** The next hop answered a RCPT; {@code recipient} when it took it, else null. */
    void answeredRecipient(String recipient) {
        recipientsPending--;
        if (recipient != null) {
            recipients.add(recipient);
        }
    }

    /** Recipients accepted or still being asked about: what max_recipients counts. */
    int recipientsCounted() {
        return recipients.size() + recipientsPending;
    }

    List<String> recipients() {
        return recipients;
    }
}
