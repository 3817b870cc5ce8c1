/**
 * What the detections know about the protected site: internal networks, zones, timezone, business
 * hours, AD domains and privileged accounts. Built once from configuration, immutable afterwards.
 */
package dev.mamori.detectors.site;
