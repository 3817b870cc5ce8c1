/**
 * The command line ({@code run}, {@code analyze}, {@code check-config}) on picocli. Exit codes:
 * 0 ok, 1 runtime failure (e.g. a port already taken), 2 usage or configuration error.
 */
package dev.mamori.sensor.cli;
