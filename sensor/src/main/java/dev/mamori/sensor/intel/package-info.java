/**
 * The sensor's copy of the intelligence lists: loaded from the files the configuration names and
 * held behind a reference the detections read, so a reload swaps the whole set at once.
 */
package dev.mamori.sensor.intel;
