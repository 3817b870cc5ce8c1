/**
 * The appliance: {@link dev.mamori.sensor.Sensor} wires configuration, inputs, parsers, detections,
 * alert outputs, metrics and the HTTP endpoint together and owns their lifecycle. Subpackages:
 * {@code config}, {@code alert} (outputs), {@code metrics}, {@code http}, {@code ingest} (raw input
 * to events), {@code cli}.
 */
package dev.mamori.sensor;
