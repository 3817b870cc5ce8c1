package dev.mamori.detectors.proxy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The user agents proxy logs show, with their request and client counts: the first inventory the
 * guide's "user agents the organisation does not use" needs, and a starting allow-list. Bounded:
 * at most {@code maxAgents} agents and {@code maxClients} clients counted per agent (the rest are
 * counted as requests only).
 */
public final class UserAgentInventory {

    /** One agent: how many requests, from how many distinct clients. */
    public record Entry(String agent, long requests, int clients) {}

    private static final class Tally {
        long requests;
        final Set<String> clients = new HashSet<>();
    }

    private final int maxAgents;
    private final int maxClients;
    private final Map<String, Tally> agents = new HashMap<>();
    private long withoutAgent;
    private long agentsDropped;

    public UserAgentInventory(int maxAgents, int maxClients) {
        this.maxAgents = maxAgents;
        this.maxClients = maxClients;
    }

    /** Counts one request; lines whose format records no agent are counted apart. */
    public void add(ProxyEvent e) {
        if (e.userAgent() == null) {
            withoutAgent++;
            return;
        }
        Tally t = agents.get(e.userAgent());
        if (t == null) {
            if (agents.size() >= maxAgents) {
                agentsDropped++;
                return;
            }
            t = new Tally();
            agents.put(e.userAgent(), t);
        }
        t.requests++;
        if (e.client() != null && t.clients.size() < maxClients) {
            t.clients.add(e.client());
        }
    }

    /** Most requests first, then by name. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        agents.forEach((agent, t) -> out.add(new Entry(agent, t.requests, t.clients.size())));
        out.sort(Comparator.comparingLong(Entry::requests).reversed().thenComparing(Entry::agent));
        return out;
    }

    /** Requests from lines whose format records no user agent (Squid's native format). */
    public long withoutAgent() {
        return withoutAgent;
    }

    /** Requests of agents past the bound. */
    public long agentsDropped() {
        return agentsDropped;
    }

    /**
     * An allow-list line matching exactly {@code agent}: anchored, every regular-expression
     * character escaped (an empty agent becomes {@code ^$}).
     */
    public static String allowPattern(String agent) {
        StringBuilder out = new StringBuilder("^");
        for (int i = 0; i < agent.length(); i++) {
            char c = agent.charAt(i);
            if ("\\.[]{}()<>*+-=!?^$|#".indexOf(c) >= 0) {
                out.append('\\');
            }
            if (c == ' ' && i == 0) {
                out.append("\\x20");
                continue;
            }
            out.append(c);
        }
        return out.append('$').toString();
    }
}
