package dev.mamori.detectors.rule;

/**
 * A detection that keeps state for one event under more than one key (an account and the source it
 * failed from). When instances share the work by key, such an event reaches the partition of each
 * of its keys; the copy sent for a second key is shown only to these detections, and each changes
 * only the state of the keys the partition holds ({@code KeyedState.owns}).
 */
public interface MultiKeyed {}
