package dev.mamori.detectors.rule;

import dev.mamori.detectors.alert.Rule;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a rule says about itself, so nothing else has to: its {@link Rule} (id, severity, ATT&amp;CK
 * technique), the kind of event it reads, its options with their defaults, whether an inline input
 * may refuse a request on it, and how to build it. The sensor builds every enabled rule from its spec
 * in one loop; state snapshots, metrics, the blockable list, option defaults and check-config's
 * output all follow from the specs and the capabilities the built detection has ({@link Stateful},
 * {@link Persistent}).
 *
 * @param event the event type its detection inspects
 * @param inline an inline input (ICAP) may block a request this rule matches
 * @param needs event fields some log formats lack and without which the rule sees nothing (e.g.
 *     {@code user_agent}), so the sensor can say which rules are blind for a device
 * @param <E> the event type
 */
public record RuleSpec<E>(
        Rule rule, Class<E> event, List<OptionSpec> options, boolean inline, List<String> needs, Factory<E> factory) {

    /** Builds a rule's detection. */
    @FunctionalInterface
    public interface Factory<E> {
        /**
         * @param options the rule's options; read once for settings fixed until a restart, or on each
         *     use for those a reload may change
         */
        Detection<E> create(DetectionContext context, Supplier<RuleOptions> options);
    }

    public RuleSpec {
        Objects.requireNonNull(rule);
        Objects.requireNonNull(event);
        options = List.copyOf(options);
        needs = List.copyOf(needs);
        Objects.requireNonNull(factory);
    }

    public static <E> RuleSpec<E> of(Rule rule, Class<E> event, Factory<E> factory, OptionSpec... options) {
        return new RuleSpec<>(rule, event, List.of(options), false, List.of(), factory);
    }

    /** The same rule, usable by an inline input to refuse a request. */
    public RuleSpec<E> blocking() {
        return new RuleSpec<>(rule, event, options, true, needs, factory);
    }

    /** The same rule, saying it is blind to events without {@code fields}. */
    public RuleSpec<E> needing(String... fields) {
        return new RuleSpec<>(rule, event, options, inline, List.of(fields), factory);
    }

    public String id() {
        return rule.id();
    }
}
