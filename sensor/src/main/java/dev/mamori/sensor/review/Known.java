package dev.mamori.sensor.review;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the site has shown before: outbound destination ports and user agents, so a day's review can
 * mark the ones seen for the first time (the guide: a port or an agent the organisation does not
 * use). Bounded; once full, nothing more is learnt or marked. Thread-safe.
 */
final class Known {

    static final int CAPACITY = 20_000;

    /** As kept in {@code <state_dir>/reviews/known.json}. */
    record Data(List<String> ports, List<String> userAgents) {}

    private final Set<String> ports = new LinkedHashSet<>();
    private final Set<String> agents = new LinkedHashSet<>();

    synchronized boolean isEmpty() {
        return ports.isEmpty() && agents.isEmpty();
    }

    /** Whether this is the first sighting of {@code port} (it is remembered from now on). */
    synchronized boolean firstPort(String port) {
        return ports.size() < CAPACITY && ports.add(port);
    }

    synchronized boolean firstAgent(String agent) {
        return agents.size() < CAPACITY && agents.add(agent);
    }

    synchronized Data data() {
        return new Data(List.copyOf(ports), List.copyOf(agents));
    }

    synchronized void restore(Data d) {
        if (d.ports() != null) {
            d.ports().stream().limit(CAPACITY).forEach(ports::add);
        }
        if (d.userAgents() != null) {
            d.userAgents().stream().limit(CAPACITY).forEach(agents::add);
        }
    }
}
