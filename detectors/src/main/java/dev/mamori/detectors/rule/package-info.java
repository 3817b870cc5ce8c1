/**
 * Detection metadata (Sigma/Hayabusa style): the closed set of rule ids from the design contract,
 * the {@link dev.mamori.detectors.rule.Rule} record every detection declares, and the
 * {@link dev.mamori.detectors.rule.Detection} interface.
 */
package dev.mamori.detectors.rule;
