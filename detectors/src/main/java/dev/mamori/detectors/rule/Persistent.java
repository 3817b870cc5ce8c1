package dev.mamori.detectors.rule;

import java.util.List;

/**
 * A detection whose learned state is worth keeping across restarts (baselines, day streaks, open
 * upload sequences). The sensor writes {@link #snapshot()} to {@code <state_dir>/<rule id>.json} and
 * gives it back to {@link #restore} at start; {@link #entryType()} tells the JSON reader what one
 * entry is.
 *
 * @param <S> one entry, a record
 */
public interface Persistent<S> {

    Class<S> entryType();

    List<S> snapshot();

    void restore(List<S> entries);
}
