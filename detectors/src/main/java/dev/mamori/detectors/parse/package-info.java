/**
 * The one shape every log-format parser has: {@link dev.mamori.detectors.parse.LogFormat} and its
 * three answers, {@link dev.mamori.detectors.parse.ParseOutcome}.
 */
package dev.mamori.detectors.parse;
