/**
 * From raw input to detections: {@link dev.mamori.sensor.ingest.LineRouter} offers each log line to
 * the registered formats in turn and counts what none recognised. Inputs (syslog, files given to
 * {@code analyze}) feed it; each format hands its events to its detections.
 */
package dev.mamori.sensor.ingest;
