/** JMH benchmarks of the parsers and the per-event detection path (built with {@code -Pbench}). */
package dev.mamori.bench;
