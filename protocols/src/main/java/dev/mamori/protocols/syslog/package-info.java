/**
 * Syslog input: UDP, TCP and TLS listeners (RFC 5426, 6587, 5425) sharing one message parser
 * (RFC 5424, RFC 3164 and headerless lines). Transport ({@link
 * dev.mamori.protocols.syslog.SyslogFrameDecoder}, {@link dev.mamori.protocols.syslog.SyslogServer})
 * is kept apart from codec ({@link dev.mamori.protocols.syslog.SyslogParser}), so every transport
 * yields the same {@link dev.mamori.protocols.syslog.SyslogMessage}.
 */
package dev.mamori.protocols.syslog;
