package dev.mamori.sensor.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.proxy.SquidLogFormat;
import dev.mamori.detectors.site.ExpectedSource;
import dev.mamori.detectors.site.SiteProfile;
import dev.mamori.protocols.transport.LoopSizes;
import dev.mamori.protocols.transport.Transport;
import dev.mamori.sensor.alert.AlertFilter;
import dev.mamori.sensor.alert.AlertGate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole validated configuration. {@code source} names where it came from (a path, or
 * {@code embedded:config/mamori.yaml}); {@code effective} is the tree {@code check-config} prints,
 * with every default filled in.
 */
public record MamoriConfig(
        String source,
        SiteProfile site,
        Sources sources,
        Inputs inputs,
        Intel intel,
        Outputs outputs,
        AlertHygiene alerts,
        Map<String, DetectorSettings> detectors,
        SensorSettings sensor,
        String logLevel,
        ObjectNode effective,
        List<String> warnings,
        List<SquidLogFormat> squidLogformats,
        SigmaSettings sigma) {

    public MamoriConfig {
        detectors = Map.copyOf(detectors);
        effective = effective.deepCopy();
        warnings = List.copyOf(warnings);
        squidLogformats = List.copyOf(squidLogformats);
    }

    /** Settings of one rule; every rule has an entry, with defaults where the file says nothing. */
    public DetectorSettings detector(String ruleId) {
        DetectorSettings d = detectors.get(ruleId);
        if (d == null) {
            throw new IllegalArgumentException("no rule " + ruleId);
        }
        return d;
    }

    public record Inputs(SyslogInput syslog, SmtpInput smtp, IcapInput icap, HttpInput http, KafkaInput kafka) {}

    /**
     * {@code inputs.kafka} (null when absent): the topics consumed as one consumer group with the other
     * instances; {@code partitions} of the internal keyed and state topics ({@code <group>.keyed},
     * {@code <group>.state}); {@code instance} names this instance's transactions, stable across its
     * restarts; {@code properties} go to the Kafka clients as they are (security settings, timeouts).
     */
    public record KafkaInput(
            List<String> bootstrapServers,
            List<String> topics,
            String group,
            String instance,
            int partitions,
            Duration commitInterval,
            int maxPollRecords,
            Map<String, String> properties) {}

    /** {@code inputs.syslog}; a port of -1 means that transport is off. */
    public record SyslogInput(
            boolean enabled,
            String bind,
            int udpPort,
            int tcpPort,
            int tlsPort,
            int maxMessageSize,
            int maxConnections,
            Duration idleTimeout,
            int udpReceiveBuffer,
            Tls tls,
            AllowedClients allowedClients) {}

    /**
     * {@code allowed_clients} of an input: the addresses and CIDR blocks (IPv4 and IPv6) that may
     * connect or send; {@code blocks} as written, already validated.
     */
    public record AllowedClients(List<String> blocks) {
        public AllowedClients {
            blocks = List.copyOf(blocks);
        }

        /** Whether every address is allowed (then the input needs no gate). */
        public boolean anyone() {
            return blocks.contains("0.0.0.0/0") && blocks.contains("::/0");
        }
    }

    /** TLS material: PEM certificate chain and key; with {@code clientCa}, clients must present a certificate. */
    public record Tls(Path certificate, Path key, Path clientCa) {}

    /** {@code inputs.smtp}: the relay hook; {@code nextHop} is host:port, checked when loaded. */
    public record SmtpInput(
            boolean enabled,
            String bind,
            int port,
            String nextHop,
            String action,
            String hostname,
            long maxMessageSize,
            int maxRecipients,
            int maxConnections,
            Duration idleTimeout,
            Duration nextHopTimeout,
            int workers,
            long maxBuffered,
            Tls tls,
            AllowedClients allowedClients) {

        public HostPort nextHopAddress() {
            return HostPort.parse(nextHop);
        }
    }

    /** A {@code host:port} as configured; an IPv6 host in brackets ({@code [::1]:25}). */
    public record HostPort(String host, int port) {

        /** @throws IllegalArgumentException saying what a valid value looks like */
        public static HostPort parse(String text) {
            String t = text.strip();
            int colon = t.lastIndexOf(':');
            String host = colon > 0 ? t.substring(0, colon) : "";
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(t.substring(colon + 1));
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                port = -1;
            }
            if (host.isEmpty() || port < 1 || port > 65535) {
                throw new IllegalArgumentException("must be host:port with a port 1..65535, was '" + text + "'");
            }
            return new HostPort(host, port);
        }
    }

    /**
     * {@code inputs.icap}: {@code action} monitor (always allow) or block; {@code block} lists the
     * rules that block in block mode.
     */
    public record IcapInput(
            boolean enabled,
            String bind,
            int port,
            String action,
            List<String> block,
            int maxConnections,
            Duration idleTimeout,
            int maxHeaderSize,
            AllowedClients allowedClients) {
        public IcapInput {
            block = List.copyOf(block);
        }
    }

    /**
     * {@code inputs.http}: the endpoint for /metrics, /health and /api, always on. {@code webConfig}
     * (TLS and users, from {@code web_config_file}) may be null; {@code publicPaths} need no
     * authentication when users are configured; {@code unauthenticatedApi} lets /api/* answer
     * without authentication on a non-loopback bind.
     */
    public record HttpInput(
            String bind,
            int port,
            int recentAlerts,
            AllowedClients allowedClients,
            WebConfig webConfig,
            List<String> publicPaths,
            boolean unauthenticatedApi) {
        public HttpInput {
            publicPaths = List.copyOf(publicPaths);
        }
    }

    public record Intel(List<IndicatorFile> indicatorFiles, ConfigResource allowedUserAgentsFile) {
        public Intel {
            indicatorFiles = List.copyOf(indicatorFiles);
        }
    }

    /**
     * One indicator list: {@code format} plain (one entry a line), csv (the entry in {@code column}:
     * a 1-based number or a header name) or stix (a STIX 2.1 bundle).
     */
    public record IndicatorFile(ConfigResource resource, String format, String column) {}

    /** Alert outputs; an absent optional output is null. */
    public record Outputs(FileOutput file, SyslogOutput syslog, WebhookOutput webhook, KafkaOutput kafka) {}

    /** {@code outputs.kafka}: the alert JSON to {@code topic}, keyed by rule and entity. */
    public record KafkaOutput(
            List<String> bootstrapServers,
            String topic,
            int queue,
            AlertFilter filter,
            SpoolSettings spool,
            Map<String, String> properties) {}

    /** {@code outputs.file}: JSON lines, rotated when {@code maxSize} is reached, {@code maxFiles} kept. */
    public record FileOutput(Path path, long maxSize, int maxFiles, int queue, AlertFilter filter) {}

    /** {@code outputs.syslog}: RFC 5424 to a SIEM; {@code ca} trusts a private CA for TLS. */
    public record SyslogOutput(
            String host,
            int port,
            String protocol,
            String format,
            int queue,
            Path ca,
            AlertFilter filter,
            SpoolSettings spool) {}

    public record WebhookOutput(
            String url,
            Duration timeout,
            int retries,
            Duration backoff,
            int queue,
            AlertFilter filter,
            SpoolSettings spool) {}

    /**
     * {@code detectors.sigma}: rule files and folders, statuses loaded, and the lowest level
     * ({@code informational} when {@code informational} is set).
     */
    public record SigmaSettings(List<Path> rules, Set<String> statuses, Severity minLevel, boolean informational) {}

    /** {@code spool: {path, max_size}} of a forwarding output; null when the output has none. */
    public record SpoolSettings(Path path, long maxSize) {}

    /**
     * {@code site.sources} and {@code site.max_clock_skew}: the devices expected to send, and how far
     * their clocks may drift; {@code site.max_sources} bounds the sources tracked besides them.
     */
    public record Sources(List<ExpectedSource> expected, Duration maxClockSkew, int maxSources) {
        public Sources {
            expected = List.copyOf(expected);
        }
    }

    /**
     * {@code alerts}: de-duplication window (0 = off), suppression lists, and the window within which
     * alerts about one host or account form one incident.
     */
    public record AlertHygiene(Duration dedupeWindow, List<AlertGate.Suppression> suppress, Duration incidentWindow) {
        public AlertHygiene {
            suppress = List.copyOf(suppress);
        }
    }

    /**
     * {@code sensor}: where state lives, how long shutdown may take to drain, and how many keys
     * (clients, accounts, sources) each stateful detection may track, and how many days of reviews
     * are kept.
     *
     * @param io the sockets' transport ({@code sensor.io}); {@code auto} picks the fastest there is
     * @param ioThreads the event loops serving the listeners ({@code sensor.io_threads})
     */
    public record SensorSettings(
            Path stateDir,
            Duration shutdownTimeout,
            int maxTrackedKeys,
            int reviewDays,
            Transport io,
            LoopSizes ioThreads) {}
}
