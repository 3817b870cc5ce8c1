/**
 * The alert pipeline: detections emit into {@link dev.mamori.sensor.alert.AlertPipeline}, which
 * counts each alert, keeps the recent ones for {@code GET /api/alerts} and hands them to the outputs
 * (JSON-lines file, stdout), each behind its own bounded queue and writer thread so that no output
 * ever blocks a detection.
 */
package dev.mamori.sensor.alert;
