/**
 * Collection health: the sources the sensor hears (and those it expects), their formats, their
 * silence and their clocks; what {@code GET /api/sources} and the {@code sensor.source_silent} and
 * {@code sensor.clock_skew} rules report.
 */
package dev.mamori.sensor.health;
