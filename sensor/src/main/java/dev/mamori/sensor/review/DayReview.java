package dev.mamori.sensor.review;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.firewall.Direction;
import dev.mamori.detectors.firewall.FirewallAction;
import dev.mamori.detectors.firewall.FirewallEvent;
import dev.mamori.detectors.proxy.ProxyEvent;
import dev.mamori.detectors.windows.Authentication;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One day of the review while it is being filled. Every table is bounded (keys past the bound are
 * counted as {@code (other)}, the alert list keeps the first {@link #MAX_ALERTS}); every method is
 * synchronized, since input threads of every kind add to the same day.
 */
final class DayReview {

    static final int MAX_KEYS = 2000;
    static final int MAX_ACCOUNTS = 5000;
    static final int MAX_HOSTS_PER_ACCOUNT = 20;
    static final int MAX_ALERTS = 500;
    static final int MAX_NEW = 200;

    private final LocalDate date;
    private final boolean learning;
    private boolean announced;

    private long firewallEvents;
    private final long[] allowedByHour = new long[24];
    private final long[] deniedByHour = new long[24];
    private long deniedOutbound;
    private final TopCounts deniedOutboundSources = new TopCounts(MAX_KEYS);
    private final TopCounts destinationPorts = new TopCounts(MAX_KEYS);
    private final Set<String> newDestinationPorts = new LinkedHashSet<>();

    private long proxyRequests;
    private final long[] proxyByHour = new long[24];
    private final TopCounts proxyDestinations = new TopCounts(MAX_KEYS);
    private final TopCounts userAgents = new TopCounts(MAX_KEYS);
    private final Set<String> newUserAgents = new LinkedHashSet<>();
    private long offHoursRequests;
    private final TopCounts offHoursClients = new TopCounts(MAX_KEYS);
    private final TopCounts connectPorts = new TopCounts(MAX_KEYS);
    private final TopCounts uploadBytes = new TopCounts(MAX_KEYS);

    private long authentications;
    private long authFailures;
    private final Map<String, Account> accounts = new HashMap<>();

    private final TopCounts alertsBySeverity = new TopCounts(16);
    private final TopCounts alertsByRule = new TopCounts(MAX_KEYS);
    private final List<DayData.AlertLine> alerts = new ArrayList<>();

    DayReview(LocalDate date, boolean learning) {
        this.date = date;
        this.learning = learning;
    }

    LocalDate date() {
        return date;
    }

    synchronized void firewall(FirewallEvent e, Direction d, int hour, Known known) {
        firewallEvents++;
        boolean allowed = e.action() == FirewallAction.ALLOW;
        (allowed ? allowedByHour : deniedByHour)[hour]++;
        if (d != Direction.OUTBOUND) {
            return;
        }
        if (!allowed) {
            deniedOutbound++;
            deniedOutboundSources.add(e.sourceIp(), 1);
        }
        if (e.destinationPort() >= 0) {
            String port = String.valueOf(e.destinationPort());
            destinationPorts.add(port, 1);
            if (known.firstPort(port) && !learning && newDestinationPorts.size() < MAX_NEW) {
                newDestinationPorts.add(port);
            }
        }
    }

    synchronized void proxy(ProxyEvent e, int hour, boolean offHours, Known known) {
        proxyRequests++;
        proxyByHour[hour]++;
        proxyDestinations.add(e.host(), 1);
        String agent = e.userAgent();
        if (agent != null && !agent.isEmpty()) {
            userAgents.add(agent, 1);
            if (known.firstAgent(agent) && !learning && newUserAgents.size() < MAX_NEW) {
                newUserAgents.add(agent);
            }
        }
        if (offHours) {
            offHoursRequests++;
            offHoursClients.add(e.client(), 1);
        }
        if (e.isConnect() && e.port() > 0) {
            connectPorts.add(String.valueOf(e.port()), 1);
        }
        if (e.requestBytes() > 0) {
            uploadBytes.add(e.client(), e.requestBytes());
        }
    }

    synchronized void authentication(Authentication a, boolean offHours) {
        authentications++;
        if (!a.success()) {
            authFailures++;
        }
        Account acct = accounts.get(a.account());
        if (acct == null) {
            if (accounts.size() >= MAX_ACCOUNTS) {
                return;
            }
            acct = new Account();
            accounts.put(a.account(), acct);
        }
        if (a.success()) {
            acct.successes++;
        } else {
            acct.failures++;
        }
        if (offHours) {
            acct.offHours++;
        }
        String origin = a.origin();
        if (origin != null && acct.hosts.size() < MAX_HOSTS_PER_ACCOUNT) {
            acct.hosts.add(origin);
        }
    }

    synchronized void alert(Alert a) {
        alertsBySeverity.add(a.severity().label(), 1);
        alertsByRule.add(a.ruleId(), 1);
        if (alerts.size() < MAX_ALERTS) {
            Object incident = a.field(AlertField.INCIDENT_ID);
            alerts.add(new DayData.AlertLine(
                    a.timestamp().toEpochMilli(),
                    a.ruleId(),
                    a.severity().label(),
                    a.message(),
                    incident == null ? null : incident.toString()));
        }
    }

    synchronized boolean announced() {
        return announced;
    }

    synchronized void markAnnounced() {
        announced = true;
    }

    synchronized DayData data() {
        Map<String, DayData.AccountDay> accts = new HashMap<>();
        accounts.forEach((k, v) ->
                accts.put(k, new DayData.AccountDay(v.successes, v.failures, v.offHours, List.copyOf(v.hosts))));
        return new DayData(
                date.toString(),
                learning,
                announced,
                firewallEvents,
                allowedByHour.clone(),
                deniedByHour.clone(),
                deniedOutbound,
                deniedOutboundSources.toMap(),
                destinationPorts.toMap(),
                List.copyOf(newDestinationPorts),
                proxyRequests,
                proxyByHour.clone(),
                proxyDestinations.toMap(),
                userAgents.toMap(),
                List.copyOf(newUserAgents),
                offHoursRequests,
                offHoursClients.toMap(),
                connectPorts.toMap(),
                uploadBytes.toMap(),
                authentications,
                authFailures,
                accts,
                alertsBySeverity.toMap(),
                alertsByRule.toMap(),
                List.copyOf(alerts));
    }

    /** A day read back from its file, to be filled further. */
    static DayReview of(DayData d) {
        DayReview r = new DayReview(LocalDate.parse(d.date()), d.learning());
        r.add(d);
        r.announced = d.announced();
        return r;
    }

    /** Adds another day's figures to this one (a week is the sum of its days). */
    synchronized void add(DayData d) {
        firewallEvents += d.firewallEvents();
        sum(allowedByHour, d.allowedByHour());
        sum(deniedByHour, d.deniedByHour());
        deniedOutbound += d.deniedOutbound();
        deniedOutboundSources.addAll(d.deniedOutboundSources());
        destinationPorts.addAll(d.destinationPorts());
        addBounded(newDestinationPorts, d.newDestinationPorts());
        proxyRequests += d.proxyRequests();
        sum(proxyByHour, d.proxyByHour());
        proxyDestinations.addAll(d.proxyDestinations());
        userAgents.addAll(d.userAgents());
        addBounded(newUserAgents, d.newUserAgents());
        offHoursRequests += d.offHoursRequests();
        offHoursClients.addAll(d.offHoursClients());
        connectPorts.addAll(d.connectPorts());
        uploadBytes.addAll(d.uploadBytes());
        authentications += d.authentications();
        authFailures += d.authFailures();
        if (d.accounts() != null) {
            d.accounts().forEach((name, a) -> {
                Account acct = accounts.get(name);
                if (acct == null) {
                    if (accounts.size() >= MAX_ACCOUNTS) {
                        return;
                    }
                    acct = new Account();
                    accounts.put(name, acct);
                }
                acct.successes += a.successes();
                acct.failures += a.failures();
                acct.offHours += a.offHours();
                for (String h : a.hosts()) {
                    if (acct.hosts.size() < MAX_HOSTS_PER_ACCOUNT) {
                        acct.hosts.add(h);
                    }
                }
            });
        }
        alertsBySeverity.addAll(d.alertsBySeverity());
        alertsByRule.addAll(d.alertsByRule());
        if (d.alerts() != null) {
            for (DayData.AlertLine a : d.alerts()) {
                if (alerts.size() < MAX_ALERTS) {
                    alerts.add(a);
                }
            }
        }
    }

    private static void sum(long[] into, long[] from) {
        if (from != null) {
            for (int i = 0; i < Math.min(into.length, from.length); i++) {
                into[i] += from[i];
            }
        }
    }

    private static void addBounded(Set<String> into, List<String> from) {
        if (from != null) {
            for (String s : from) {
                if (into.size() < MAX_NEW) {
                    into.add(s);
                }
            }
        }
    }

    private static final class Account {
        long successes;
        long failures;
        long offHours;
        final Set<String> hosts = new LinkedHashSet<>();
    }
}
