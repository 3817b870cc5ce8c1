/**
 * Web proxy traffic: one {@link dev.mamori.detectors.proxy.ProxyEvent} from an ICAP request or an
 * access-log line (Squid native, the {@code mamori} log format, combined), and the proxy
 * detections. The ones an inline input may block on report every match as a
 * {@link dev.mamori.detectors.alert.Finding}, whether or not it alerts this time.
 */
package dev.mamori.detectors.proxy;
