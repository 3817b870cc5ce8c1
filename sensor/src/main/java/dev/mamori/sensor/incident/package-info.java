/**
 * Incidents: alerts about one host or one account within the incident window, gathered under one
 * {@code incident.id} and raised when different kinds of evidence agree.
 */
package dev.mamori.sensor.incident;
