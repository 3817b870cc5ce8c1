/**
 * Plain Java, no Netty: the event model, log-format parsers, the detections, their state and the
 * {@link dev.mamori.detectors.alert.Alert} type. Everything here can be unit-tested from a string.
 */
package dev.mamori.detectors;
