/**
 * Detection state kept across restarts: snapshots written atomically to {@code sensor.state_dir}
 * and read back at start; a corrupt or foreign snapshot is refused with a log line and the
 * detection starts clean.
 */
package dev.mamori.sensor.state;
