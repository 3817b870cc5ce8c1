/**
 * Prometheus metrics through Micrometer: the registry, the JVM and process binders, and the
 * {@code mamori_*} meters whose names and labels are part of the design contract.
 */
package dev.mamori.sensor.metrics;
