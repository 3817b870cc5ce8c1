/**
 * What a detection is and says about itself (Sigma/Hayabusa style): its
 * {@link dev.mamori.detectors.alert.Rule} metadata (kept with the alerts it names), its {@link dev.mamori.detectors.rule.RuleSpec}
 * (event type, typed options with defaults, inline use, factory from a
 * {@link dev.mamori.detectors.rule.DetectionContext}), the {@link dev.mamori.detectors.rule.Detection}
 * interface, and the capabilities a detection may add: keyed state
 * ({@link dev.mamori.detectors.rule.Stateful}) and state kept across restarts
 * ({@link dev.mamori.detectors.rule.Persistent}).
 */
package dev.mamori.detectors.rule;
