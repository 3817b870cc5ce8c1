package dev.mamori.detectors.alert;

/**
 * What a rule found on one event, whether or not it alerts this time (an alert may be folded into an
 * earlier one): the ground for an inline verdict. {@code reason} is the catalog's
 * {@code <rule id>.reason}, for the person who sees the refusal.
 */
public record Finding(String ruleId, String reason) {}
