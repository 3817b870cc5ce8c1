/**
 * The {@code sensor.*} rules: what the sensor notices about its own collection (a source gone
 * quiet, a wrong clock, a day's review closed), as {@link dev.mamori.detectors.sensor.SensorEvent}s
 * the sensor's trackers produce and these rules word as alerts.
 */
package dev.mamori.detectors.sensor;
