/**
 * The one list of every built-in rule ({@link dev.mamori.detectors.registry.Rules}), from which the
 * sensor builds detections, the configuration reads options and check-config shows defaults.
 */
package dev.mamori.detectors.registry;
