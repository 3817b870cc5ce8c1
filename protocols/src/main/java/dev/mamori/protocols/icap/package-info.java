/**
 * ICAP (RFC 3507) service for web proxies: {@link dev.mamori.protocols.icap.IcapRequestDecoder}
 * turns bytes into an {@link dev.mamori.protocols.icap.IcapRequest} plus body chunks,
 * {@link dev.mamori.protocols.icap.IcapServerHandler} answers OPTIONS, REQMOD and RESPMOD with a
 * verdict from an {@link dev.mamori.protocols.icap.IcapService}, and
 * {@link dev.mamori.protocols.icap.IcapResponses} writes the replies.
 */
package dev.mamori.protocols.icap;
