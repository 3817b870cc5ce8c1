package dev.mamori.detectors.rule;

import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.Rule;

/**
 * One detection: its {@link Rule} plus one condition over one kind of event. Implementations are
 * named after their rule id and get their settings and collaborators through the constructor.
 * A stateful detection documents which thread owns its state.
 *
 * @param <E> the event type it inspects
 */
public interface Detection<E> {

    Rule rule();

    /** Inspects one event and emits zero or more alerts; must not block. */
    void inspect(E event, AlertSink sink);
}
