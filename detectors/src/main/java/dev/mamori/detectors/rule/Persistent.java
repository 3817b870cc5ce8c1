package dev.mamori.detectors.rule;

import java.util.List;
import java.util.function.Predicate;

/**
 * A detection whose learned state is worth keeping across restarts (baselines, day streaks, open
 * upload sequences). The sensor writes {@link #snapshot()} to {@code <state_dir>/<rule id>.json} and
 * gives it back to {@link #restore} at start; {@link #entryType()} tells the JSON reader what one
 * entry is. The state of some keys only ({@link #snapshot(Predicate)}: those whose partition key, a
 * client address or an account, is accepted) is what a partitioned deployment moves from one
 * instance to another; {@link #restore} adds entries to what is held.
 *
 * @param <S> one entry, a record
 */
public interface Persistent<S> {

    Class<S> entryType();

    /** The entries whose partition key {@code partitions} accepts. */
    List<S> snapshot(Predicate<String> partitions);

    /** Every entry. */
    default List<S> snapshot() {
        return snapshot(p -> true);
    }

    void restore(List<S> entries);

    /**
     * Drops the entries whose partition key {@code partitions} accepts: the state of partitions this
     * instance no longer holds (another has restored them from the last snapshot). State that
     * belongs to the instance itself rather than to keys (collection health, incidents) keeps
     * everything: the default.
     */
    default void forget(Predicate<String> partitions) {}
}
