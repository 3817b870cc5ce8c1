/**
 * Bounded state shared by stateful detections: burst aggregation (one alert for many repeats) and
 * the like. Every structure has a hard size limit and says which threads may use it.
 */
package dev.mamori.detectors.state;
