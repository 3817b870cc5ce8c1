/**
 * SMTP relay hook (RFC 5321, STARTTLS per RFC 3207): the server side a mail server hands messages
 * to ({@link dev.mamori.protocols.smtp.SmtpRequestDecoder}, {@link dev.mamori.protocols.smtp.SmtpSession},
 * {@link dev.mamori.protocols.smtp.SmtpServer}), relaying each transaction command by command to
 * the next hop without blocking ({@code NextHop} on netty-codec-smtp, connections shared through
 * {@link dev.mamori.protocols.smtp.NextHopPool}), so the sender gets the next hop's own answers and
 * a message is acknowledged only once the next hop has accepted it. A session's parts: its
 * answers in command order ({@code ReplyQueue}, immutable {@link dev.mamori.protocols.smtp.SmtpReply}),
 * when to read ({@code ReadFlow}), the open {@code Transaction}, and {@code DotStuffing} for the
 * message on its way out. What to do with each message
 * is the {@link dev.mamori.protocols.smtp.SmtpService}'s decision; message bytes in memory are
 * bounded across sessions by {@link dev.mamori.protocols.smtp.MessageBudget}.
 */
package dev.mamori.protocols.smtp;
