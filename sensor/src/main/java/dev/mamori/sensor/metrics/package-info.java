/**
 * Prometheus metrics through Micrometer: the registry, the JVM and process binders, and the
 * {@code mamori_*} meters whose names and labels are part of the design contract; the one meter
 * recorded on every line, the detection-latency histogram, is Mamori's own (per-thread cells,
 * {@link dev.mamori.sensor.metrics.LatencyHistogram}) and is exported through the same registry.
 */
package dev.mamori.sensor.metrics;
