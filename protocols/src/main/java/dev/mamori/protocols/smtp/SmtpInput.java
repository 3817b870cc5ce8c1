package dev.mamori.protocols.smtp;

/** What the decoder emits: a command line, a whole message after DATA, or a refused line. */
public sealed interface SmtpInput permits SmtpInput.Command, SmtpInput.Message, SmtpInput.LineTooLong {

    /** A command: the verb upper-cased, the rest of the line as sent. */
    record Command(String verb, String argument) implements SmtpInput {}

    /**
     * The message between DATA's 354 and the final ".", dot-unstuffed, CRLF line ends kept;
     * {@code tooLarge} when it passed the size limit, {@code noStorage} when the shared
     * {@link MessageBudget} could not hold it (either way the content is truncated and must not be
     * relayed). The content's length is held in the budget until the session releases it.
     */
    record Message(byte[] content, long size, boolean tooLarge, boolean noStorage) implements SmtpInput {}

    /** A command line over the 1000-octet limit of RFC 5321 4.5.3.1.6. */
    record LineTooLong() implements SmtpInput {}
}
