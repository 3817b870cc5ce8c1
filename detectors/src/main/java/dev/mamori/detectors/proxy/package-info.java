/**
 * Web proxy traffic: one {@link dev.mamori.detectors.proxy.ProxyEvent} from an ICAP request or an
 * access-log line (Squid native, the {@code mamori} log format, combined), and the proxy
 * detections. The stateless ones also answer {@link dev.mamori.detectors.proxy.InlineCheck#matches}
 * so that the ICAP service can block inline.
 */
package dev.mamori.detectors.proxy;
