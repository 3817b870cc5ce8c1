/**
 * The alert contract: the immutable {@link dev.mamori.detectors.alert.Alert}, its ECS field names,
 * severities, the {@link dev.mamori.detectors.alert.Rule} an alert names, the per-language message
 * catalog, and the sink detections emit into.
 */
package dev.mamori.detectors.alert;
