package dev.mamori.sensor.http;

import dev.mamori.protocols.transport.BoundListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Which listeners the configuration asks for and which are up. {@code /health} answers 200 only when
 * every expected listener is bound and the sensor is not stopping.
 */
public final class ListenerRegistry {

    public enum State {
        STARTING,
        UP,
        STOPPING
    }

    private final List<BoundListener> bound = new CopyOnWriteArrayList<>();
    private volatile int expected;
    private volatile State state = State.STARTING;

    public void expect(int count) {
        this.expected = count;
    }

    public void bound(BoundListener listener) {
        bound.add(listener);
    }

    public void up() {
        state = State.UP;
    }

    public void stopping() {
        state = State.STOPPING;
    }

    public State state() {
        return state;
    }

    public boolean healthy() {
        return state == State.UP && bound.size() >= expected;
    }

    public List<BoundListener> listeners() {
        return new ArrayList<>(bound);
    }

    /** The bound listener with this name and transport, or null. */
    public BoundListener find(String name, String transport) {
        for (BoundListener b : bound) {
            if (b.name().equals(name) && b.transport().equals(transport)) {
                return b;
            }
        }
        return null;
    }
}
