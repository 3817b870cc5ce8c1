/**
 * Sigma rules beside the guide's rules: loading and compiling rule files (detections, value
 * modifiers, wildcards, conditions), routing their logsources to Mamori's events, and the detection
 * that runs them. The rules are SigmaHQ's or the site's own (SigmaHQ's are under the Detection Rule
 * License 1.1: name the source when shipping or showing them).
 */
package dev.mamori.detectors.sigma;
