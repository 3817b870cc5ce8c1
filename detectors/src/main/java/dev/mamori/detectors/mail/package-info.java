/**
 * Mail: one {@link dev.mamori.detectors.mail.MailMessage} from a raw RFC 5322 message (parsed with
 * Apache James mime4j: RFC 2047 words, RFC 2231 parameters, nested multiparts, message/rfc822,
 * ZIP member names) or from Postfix {@code header_checks} warning lines, and the two mail rules.
 */
package dev.mamori.detectors.mail;
