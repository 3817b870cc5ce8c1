/**
 * Threat intelligence the detections match against: indicator lists (IP addresses, CIDR blocks,
 * domains) parsed into immutable sets that are swapped whole when the lists are reloaded.
 */
package dev.mamori.detectors.intel;
