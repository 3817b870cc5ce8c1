/**
 * Sigma rules beside the guide's rules: loading rule files ({@link dev.mamori.detectors.sigma.SigmaRules}),
 * compiling detections (value modifiers, wildcards, conditions) and correlation rules, routing their
 * logsources to Mamori's Windows, proxy and firewall events, the literal prefilter that keeps the
 * per-event cost low ({@code Need}, {@code Fold}, {@code AhoCorasick}, {@code RuleGroup}), the
 * correlations' streaming state, and the engine ({@link dev.mamori.detectors.sigma.SigmaEngine})
 * that a reload swaps ({@link dev.mamori.detectors.sigma.SigmaRuleSet}). The rules are SigmaHQ's or
 * the site's own (SigmaHQ's are under the Detection Rule License 1.1: name the source when shipping
 * or showing them).
 */
package dev.mamori.detectors.sigma;
