/**
 * The guide's periodic review: day-by-day figures for firewall, proxy and authentication logs and
 * the day's alerts, kept in {@code sensor.state_dir}, and the HTML page (inline SVG charts) that
 * {@code /reports/daily}, {@code /reports/weekly} and {@code analyze --report} show.
 */
package dev.mamori.sensor.review;
