/**
 * SMTP relay hook (RFC 5321): the server side a mail server hands messages to
 * ({@link dev.mamori.protocols.smtp.SmtpRequestDecoder}, {@link dev.mamori.protocols.smtp.SmtpSession}),
 * relaying each transaction command by command to the next hop ({@link
 * dev.mamori.protocols.smtp.SmtpUpstream}), so the sender gets the next hop's own answers and a
 * message is acknowledged only once the next hop has accepted it.
 */
package dev.mamori.protocols.smtp;
