package dev.mamori.sensor.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.Language;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.proxy.SquidLogFormat;
import dev.mamori.detectors.registry.Rules;
import dev.mamori.detectors.rule.RuleSpec;
import dev.mamori.detectors.site.AdDomain;
import dev.mamori.detectors.site.BusinessHours;
import dev.mamori.detectors.site.ExpectedSource;
import dev.mamori.detectors.site.IpSet;
import dev.mamori.detectors.site.SiteProfile;
import dev.mamori.protocols.icap.IcapServer;
import dev.mamori.protocols.transport.LoopSizes;
import dev.mamori.protocols.transport.Transport;
import dev.mamori.sensor.alert.AlertFilter;
import dev.mamori.sensor.alert.AlertGate;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Reads and validates a configuration. Every problem is collected (not only the first) and thrown
 * together in one {@link ConfigException}, each naming its key path.
 */
public final class ConfigLoader {

    /** The embedded default, packaged from the repository's {@code config/mamori.yaml}. */
    public static final String EMBEDDED = "config/mamori.yaml";

    /** Bounds a configuration file: anything larger is not a hand-written config. */
    private static final long MAX_FILE_SIZE = 4L << 20;

    private static final int MAX_IO_THREADS = 1024;

    private static final ObjectMapper YAML =
            new ObjectMapper(YAMLFactory.builder().build()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ConfigLoader() {}

    public static MamoriConfig load(Path file) throws ConfigException {
        Path abs = file.toAbsolutePath().normalize();
        String text;
        try {
            if (Files.size(abs) > MAX_FILE_SIZE) {
                throw single(abs.toString(), "file is larger than " + Sizes.format(MAX_FILE_SIZE));
            }
            text = Files.readString(abs, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw single(abs.toString(), "cannot read: " + describe(e));
        }
        Path folder = abs.getParent() != null ? abs.getParent() : Path.of(".").toAbsolutePath();
        return parse(text, abs.toString(), new ConfigBase.FileBase(folder));
    }

    public static MamoriConfig loadEmbedded() throws ConfigException {
        try (InputStream in = ConfigLoader.class.getResourceAsStream("/" + EMBEDDED)) {
            if (in == null) {
                throw single("embedded:" + EMBEDDED, "missing from the jar (broken build)");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return parse(
                    text,
                    "embedded:" + EMBEDDED,
                    new ConfigBase.EmbeddedBase(Path.of("").toAbsolutePath()));
        } catch (IOException e) {
            throw single("embedded:" + EMBEDDED, "cannot read: " + describe(e));
        }
    }

    /** Loads {@code file}, or the embedded default when it is null. */
    public static MamoriConfig loadOrDefault(Path file) throws ConfigException {
        return file == null ? loadEmbedded() : load(file);
    }

    static MamoriConfig parse(String yaml, String source, ConfigBase base) throws ConfigException {
        JsonNode tree;
        try {
            tree = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
            throw single(source, "not valid YAML: " + where + e.getOriginalMessage());
        }
        List<ConfigError> errors = new ArrayList<>();
        ObjectNode effective = Section.newTree();
        Section root = Section.root(tree, errors, effective);

        Section siteSection = root.section("site");
        MamoriConfig.Sources sources = readSources(siteSection);
        SiteProfile site = readSite(siteSection);
        MamoriConfig.Inputs inputs = readInputs(root.section("inputs"), base);
        MamoriConfig.Intel intel = readIntel(root.section("intel"), base);
        MamoriConfig.Outputs outputs = readOutputs(root.section("outputs"), base);
        MamoriConfig.AlertHygiene alerts = readAlerts(root.section("alerts"));
        Section detectorsSection = root.section("detectors");
        MamoriConfig.SigmaSettings sigma = readSigma(detectorsSection, base);
        Map<String, DetectorSettings> detectors = readDetectors(detectorsSection);
        MamoriConfig.SensorSettings sensor = readSensor(root.section("sensor"), base);
        List<SquidLogFormat> logformats = readFormats(root.section("formats"));
        Section logging = root.section("logging");
        String level = logging.choice("level", "info", "trace", "debug", "info", "warn", "error");
        logging.finish();
        root.finish();

        if (!errors.isEmpty()) {
            throw new ConfigException(source, errors);
        }
        return new MamoriConfig(
                source,
                site,
                sources,
                inputs,
                intel,
                outputs,
                alerts,
                detectors,
                sensor,
                level,
                effective,
                warnings(inputs),
                logformats,
                sigma);
    }

    /** {@code formats.squid.logformats}: the site's own Squid log formats, each compiled. */
    private static List<SquidLogFormat> readFormats(Section s) {
        Section squid = s.section("squid");
        List<String> texts = squid.strings("logformats", List.of());
        List<SquidLogFormat> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            try {
                out.add(SquidLogFormat.compile(texts.get(i)));
            } catch (IllegalArgumentException e) {
                squid.error("logformats[" + i + "]", e.getMessage());
            }
        }
        squid.finish();
        s.finish();
        return out;
    }

    /** What is valid but probably not what the operator wants; check-config prints it, run logs it. */
    private static List<String> warnings(MamoriConfig.Inputs inputs) {
        List<String> out = new ArrayList<>();
        MamoriConfig.HttpInput h = inputs.http();
        boolean authenticated = h.webConfig() != null && h.webConfig().authenticates();
        if (!authenticated && !loopbackBind(h.bind())) {
            out.add(
                    h.unauthenticatedApi()
                            ? "inputs.http: bound to " + h.bind()
                                    + " with unauthenticated_api: true: anyone who can connect"
                                    + " reads /api/alerts and can reload the lists"
                            : "inputs.http: bound to " + h.bind()
                                    + " without authentication: /api/* and /reports/* answer"
                                    + " 403 (set web_config_file with basic_auth_users, or unauthenticated_api: true)");
        }
        if (h.webConfig() != null
                && h.webConfig().authenticates()
                && !h.webConfig().tls()) {
            out.add("inputs.http.web_config_file: users without tls_server_config: passwords cross the network in"
                    + " clear text");
        }
        MamoriConfig.SmtpInput sm = inputs.smtp();
        if (sm.enabled() && sm.allowedClients().anyone()) {
            out.add("inputs.smtp.allowed_clients: anyone may connect, and Mamori relays what it receives to "
                    + sm.nextHop() + ": keep this to the MTAs that use it as a filter");
        }
        return out;
    }

    static boolean loopbackBind(String bind) {
        if (bind.equals("localhost")) {
            return true;
        }
        var a = IpSet.parseAddressOrNull(bind);
        return a != null && a.isLoopback();
    }

    private static SiteProfile readSite(Section s) {
        List<String> nets = s.strings("internal_networks", List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"));
        List<String> good = new ArrayList<>();
        for (int i = 0; i < nets.size(); i++) {
            try {
                IpSet.parseBlock(nets.get(i));
                good.add(nets.get(i));
            } catch (IllegalArgumentException e) {
                s.error("internal_networks[" + i + "]", e.getMessage());
            }
        }
        Set<String> zones = new LinkedHashSet<>(s.strings("external_zones", List.of("untrust", "outside", "wan")));
        ZoneId zone = s.parsed("timezone", ZoneId.of("Asia/Tokyo"), ConfigLoader::zone, ZoneId::getId, true);
        BusinessHours hours = readBusinessHours(s.section("business_hours"));
        List<AdDomain> domains = new ArrayList<>();
        for (Section d : s.sections("ad_domains")) {
            String netbios = d.string("netbios", null);
            String fqdn = d.string("fqdn", null);
            if (netbios == null || netbios.isBlank()) {
                d.error("netbios", "required (the domain's NetBIOS name, e.g. CORP)");
            }
            if (fqdn == null || !fqdn.contains(".")) {
                d.error(
                        "fqdn",
                        "required: the domain's DNS name, e.g. corp.example.com, was "
                                + (fqdn == null ? "missing" : "'" + fqdn + "'"));
            }
            d.finish();
            if (netbios != null && fqdn != null) {
                domains.add(new AdDomain(netbios, fqdn));
            }
        }
        Set<String> privileged = new LinkedHashSet<>(s.strings("privileged_accounts", List.of("administrator")));
        Language language = Language.fromCode(s.choice("language", "en", "en", "ja"));
        Set<String> groups = new LinkedHashSet<>(s.strings(
                "privileged_groups", List.copyOf(new java.util.TreeSet<>(SiteProfile.DEFAULT_PRIVILEGED_GROUPS))));
        IpSet clients = blocks(s, "client_networks");
        IpSet admins = blocks(s, "admin_networks");
        s.finish();
        return new SiteProfile(
                IpSet.of(good), zones, zone, hours, domains, privileged, language, groups, clients, admins);
    }

    /** {@code site.sources}, {@code site.max_clock_skew}, {@code site.max_sources}. */
    private static MamoriConfig.Sources readSources(Section s) {
        List<ExpectedSource> expected = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<Section> entries = s.sections("sources");
        for (int i = 0; i < entries.size(); i++) {
            Section e = entries.get(i);
            String name = e.string("name", null);
            String address = e.string("address", null);
            String host = e.string("host", null);
            String kind = e.choice("kind", "other", "firewall", "proxy", "windows", "mail", "other");
            Duration silence = e.duration("max_silence", Duration.ofMinutes(30));
            List<Integer> events = e.integers("expect_events", List.of(), 0, 65535);
            boolean ok = true;
            if (name == null || name.isBlank()) {
                e.error("name", "required: what the source is called in alerts and /api/sources, e.g. fw-hq");
                ok = false;
            } else if (!names.add(name.toLowerCase(Locale.ROOT))) {
                e.error("name", "'" + name + "' names two sources");
                ok = false;
            }
            if (address == null && host == null) {
                e.error("address", "required, or host: the sender's IP address (or its syslog HOSTNAME / Computer)");
                ok = false;
            } else if (address != null && IpSet.parseAddressOrNull(address.strip()) == null) {
                e.error("address", "not an IP address: '" + address + "'");
                ok = false;
            }
            if (silence.isZero() || silence.isNegative()) {
                e.error("max_silence", "must be positive");
                ok = false;
            }
            e.finish();
            if (ok) {
                expected.add(new ExpectedSource(
                        name.strip(),
                        address == null ? null : address.strip(),
                        host == null ? null : host.strip(),
                        kind,
                        silence,
                        events));
            }
        }
        Duration skew = s.duration("max_clock_skew", Duration.ofMinutes(5));
        if (skew.isZero() || skew.isNegative()) {
            s.error("max_clock_skew", "must be positive");
        }
        int max = s.integer("max_sources", 1000, 1, 100_000);
        return new MamoriConfig.Sources(expected, skew, max);
    }

    /** A list of addresses and CIDR blocks, each checked; empty by default. */
    private static IpSet blocks(Section s, String key) {
        List<String> texts = s.strings(key, List.of());
        List<String> good = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            try {
                IpSet.parseBlock(texts.get(i));
                good.add(texts.get(i));
            } catch (IllegalArgumentException e) {
                s.error(key + "[" + i + "]", e.getMessage());
            }
        }
        return IpSet.of(good);
    }

    private static BusinessHours readBusinessHours(Section s) {
        List<String> dayNames = s.strings("days", List.of("MON", "TUE", "WED", "THU", "FRI"));
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (int i = 0; i < dayNames.size(); i++) {
            DayOfWeek d = day(dayNames.get(i));
            if (d == null) {
                s.error("days[" + i + "]", "not a day: '" + dayNames.get(i) + "' (MON, TUE, WED, THU, FRI, SAT, SUN)");
            } else {
                days.add(d);
            }
        }
        LocalTime start = s.parsed("start", LocalTime.of(8, 0), ConfigLoader::time, LocalTime::toString, true);
        LocalTime end = s.parsed("end", LocalTime.of(19, 0), ConfigLoader::time, LocalTime::toString, true);
        if (start.equals(end)) {
            s.error("end", "must differ from start (" + start + ")");
        }
        s.finish();
        return new BusinessHours(days, start, end);
    }

    private static MamoriConfig.Inputs readInputs(Section s, ConfigBase base) {
        Section sy = s.optionalSection("syslog");
        boolean syslogOn = sy.present() && sy.bool("enabled", true);
        String syslogBind = bind(sy);
        int udp = sy.integer("udp_port", 5514, -1, 65535);
        int tcp = sy.integer("tcp_port", 5514, -1, 65535);
        int tlsPort = sy.integer("tls_port", -1, -1, 65535);
        long maxMessage = sy.size("max_message_size", 64L << 10, 480);
        if (maxMessage > (16L << 20)) {
            sy.error("max_message_size", "must be at most 16MiB, was " + Sizes.format(maxMessage));
            maxMessage = 64L << 10;
        }
        int maxConnections = sy.integer("max_connections", 1000, 1, 1_000_000);
        Duration idle = sy.duration("idle_timeout", Duration.ofMinutes(10));
        long receiveBuffer = sy.size("udp_receive_buffer", 4L << 20, 65_536);
        MamoriConfig.Tls tls = readTls(sy.optionalSection("tls"), base);
        if (syslogOn && tlsPort >= 0 && tls == null) {
            sy.error("tls", "required when tls_port is set: {certificate: FILE, key: FILE}");
        }
        if (syslogOn && tcp > 0 && tlsPort == tcp) {
            sy.error("tls_port", "must differ from tcp_port (" + tcp + ")");
        }
        MamoriConfig.SyslogInput syslog = new MamoriConfig.SyslogInput(
                syslogOn,
                syslogBind,
                udp,
                tcp,
                tlsPort,
                (int) maxMessage,
                maxConnections,
                idle,
                (int) Math.min(receiveBuffer, Integer.MAX_VALUE),
                tls,
                allowedClients(sy, ANYONE));
        sy.finish();

        Section sm = s.optionalSection("smtp");
        MamoriConfig.SmtpInput smtp = new MamoriConfig.SmtpInput(
                sm.present() && sm.bool("enabled", true),
                bind(sm),
                sm.port("port", 10025),
                sm.parsed("next_hop", "127.0.0.1:10026", ConfigLoader::hostPort, v -> v, true),
                sm.choice("action", "tag", "monitor", "tag", "reject"),
                sm.string("hostname", "mamori.localdomain"),
                sm.size("max_message_size", 50L << 20, 1024),
                sm.integer("max_recipients", 1000, 1, 100_000),
                sm.integer("max_connections", 200, 1, 100_000),
                sm.duration("idle_timeout", Duration.ofMinutes(5)),
                sm.duration("next_hop_timeout", Duration.ofMinutes(5)),
                sm.integer("workers", 32, 1, 1000),
                sm.size("max_buffered", 512L << 20, 1024),
                readTls(sm.optionalSection("tls"), base),
                allowedClients(sm, LOOPBACK));
        sm.finish();

        Section ic = s.optionalSection("icap");
        boolean icapOn = ic.present() && ic.bool("enabled", true);
        String icapBind = bind(ic);
        int icapPort = ic.port("port", 1344);
        String action = ic.choice("action", "monitor", "monitor", "block");
        List<String> blockRules = ic.strings("block", Rules.blockable());
        for (int i = 0; i < blockRules.size(); i++) {
            if (!Rules.blockable().contains(blockRules.get(i))) {
                ic.error(
                        "block[" + i + "]",
                        "must be one of " + String.join(", ", Rules.blockable()) + ", was '" + blockRules.get(i) + "'");
            }
        }
        MamoriConfig.IcapInput icap = new MamoriConfig.IcapInput(
                icapOn,
                icapBind,
                icapPort,
                action,
                blockRules,
                ic.integer("max_connections", 1000, 1, 100_000),
                ic.duration("idle_timeout", Duration.ofMinutes(5)),
                (int) ic.size("max_header_size", 16L << 10, 1024),
                allowedClients(ic, LOOPBACK));
        ic.finish();

        Section h = s.section("http");
        String httpBind = bind(h);
        int httpPort = h.port("port", 9464);
        int recent = h.integer("recent_alerts", 1000, 0, 1_000_000);
        MamoriConfig.AllowedClients httpClients = allowedClients(h, ANYONE);
        WebConfig web = null;
        if (h.has("web_config_file")) {
            String file = h.string("web_config_file", null);
            try {
                web = WebConfig.load(base.writable(file));
            } catch (ConfigException e) {
                e.errors().forEach(err -> h.error("web_config_file", err.toString()));
            }
        }
        List<String> publicPaths = h.strings("public", List.of());
        for (int i = 0; i < publicPaths.size(); i++) {
            if (!publicPaths.get(i).startsWith("/")) {
                h.error("public[" + i + "]", "must be a path such as /metrics, was '" + publicPaths.get(i) + "'");
            }
        }
        boolean unauthenticatedApi = h.bool("unauthenticated_api", false);
        MamoriConfig.HttpInput http = new MamoriConfig.HttpInput(
                httpBind, httpPort, recent, httpClients, web, publicPaths, unauthenticatedApi);
        h.finish();
        MamoriConfig.KafkaInput kafka = readKafkaInput(s.optionalSection("kafka"), httpPort);
        s.finish();
        return new MamoriConfig.Inputs(syslog, smtp, icap, http, kafka);
    }

    /** Client settings Mamori sets itself; an operator's value would break its guarantees. */
    private static final Set<String> KAFKA_OWNED = Set.of(
            "bootstrap.servers",
            "group.id",
            "enable.auto.commit",
            "isolation.level",
            "transactional.id",
            "enable.idempotence",
            "key.serializer",
            "value.serializer",
            "key.deserializer",
            "value.deserializer",
            "auto.offset.reset");

    /** A topic name Kafka accepts. */
    private static final Pattern KAFKA_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private static MamoriConfig.KafkaInput readKafkaInput(Section k, int httpPort) {
        if (!k.present()) {
            k.finish();
            return null;
        }
        boolean on = k.bool("enabled", true);
        List<String> servers = kafkaServers(k, on);
        List<String> topics = k.strings("topics", List.of());
        String group = k.string("group", "mamori");
        // Two instances on one host differ by their HTTP port; with port 0 (chosen at bind) by process.
        String instance = k.string(
                "instance",
                hostName() + "-"
                        + (httpPort > 0
                                ? httpPort
                                : "pid" + ProcessHandle.current().pid()));
        int partitions = k.integer("partitions", 12, 1, 10_000);
        Duration interval = k.duration("commit_interval", Duration.ofSeconds(1));
        int maxPoll = k.integer("max_poll_records", 2000, 1, 1_000_000);
        Map<String, String> properties = kafkaProperties(k);
        if (on) {
            if (topics.isEmpty()) {
                k.error("topics", "required: the topics the log relays write to, e.g. [mamori.logs]");
            }
            for (int i = 0; i < topics.size(); i++) {
                if (!KAFKA_TOPIC.matcher(topics.get(i)).matches()) {
                    k.error(
                            "topics[" + i + "]",
                            "must be a Kafka topic name (letters, digits, . _ -), was '" + topics.get(i) + "'");
                }
            }
            if (!KAFKA_TOPIC.matcher(group + ".keyed").matches()) {
                k.error("group", "must be letters, digits, . _ - (it names the internal topics), was '" + group + "'");
            }
            for (String t : topics) {
                if (t.equals(group + ".keyed") || t.equals(group + ".state")) {
                    k.error("topics", "'" + t + "' is an internal topic of group " + group);
                }
            }
        }
        k.finish();
        return on
                ? new MamoriConfig.KafkaInput(
                        servers, topics, group, instance, partitions, interval, maxPoll, properties)
                : null;
    }

    private static List<String> kafkaServers(Section k, boolean required) {
        List<String> servers = new ArrayList<>();
        for (String s : k.strings("bootstrap_servers", List.of())) {
            servers.addAll(List.of(s.split(",")));
        }
        servers.replaceAll(String::strip);
        servers.removeIf(String::isEmpty);
        if (servers.isEmpty() && required) {
            k.error("bootstrap_servers", "required: the brokers, e.g. \"kafka1:9092,kafka2:9092\"");
        }
        for (String server : servers) {
            try {
                MamoriConfig.HostPort.parse(server);
            } catch (IllegalArgumentException e) {
                k.error("bootstrap_servers", e.getMessage());
            }
        }
        return List.copyOf(servers);
    }

    private static Map<String, String> kafkaProperties(Section k) {
        Section p = k.section("properties");
        Map<String, String> props = new LinkedHashMap<>();
        for (String key : p.keys()) {
            String value = p.string(key, null);
            if (KAFKA_OWNED.contains(key)) {
                p.error(key, "is set by Mamori (at-least-once delivery depends on it); remove it");
            } else if (value != null) {
                props.put(key, value);
            }
            if (key.contains("password") || key.contains("jaas")) {
                p.redact(key, "<redacted>");
            }
        }
        p.finish();
        // Values the Kafka clients would refuse at start, refused here with the client's own words.
        Map<String, Object> probe = new HashMap<>(props);
        probe.put("bootstrap.servers", "localhost:9092");
        probe.put("key.serializer", ByteArraySerializer.class.getName());
        probe.put("value.serializer", ByteArraySerializer.class.getName());
        probe.put("key.deserializer", ByteArrayDeserializer.class.getName());
        probe.put("value.deserializer", ByteArrayDeserializer.class.getName());
        for (ConfigDef def : List.of(ProducerConfig.configDef(), ConsumerConfig.configDef())) {
            try {
                def.parse(probe);
            } catch (org.apache.kafka.common.config.ConfigException e) {
                k.error("properties", e.getMessage());
                break;
            }
        }
        return Map.copyOf(props);
    }

    /** This machine's name as the sensor reports itself (syslog HOSTNAME, Kafka instance ids). */
    public static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "mamori";
        }
    }

    /** Every address: what {@code allowed_clients} of syslog and HTTP default to. */
    private static final List<String> ANYONE = List.of("0.0.0.0/0", "::/0");
    /** Loopback only: SMTP and ICAP default to it, as Postfix's content-filter listeners do. */
    private static final List<String> LOOPBACK = List.of("127.0.0.0/8", "::1/128");

    private static MamoriConfig.AllowedClients allowedClients(Section s, List<String> def) {
        List<String> blocks = s.strings("allowed_clients", def);
        List<String> good = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            try {
                IpSet.parseBlock(blocks.get(i));
                good.add(blocks.get(i).strip());
            } catch (IllegalArgumentException e) {
                s.error("allowed_clients[" + i + "]", e.getMessage());
            }
        }
        if (blocks.isEmpty()) {
            s.error("allowed_clients", "must name at least one address or CIDR block (0.0.0.0/0 and ::/0 for anyone)");
        }
        return new MamoriConfig.AllowedClients(good);
    }

    private static MamoriConfig.Tls readTls(Section t, ConfigBase base) {
        if (!t.present()) {
            t.finish();
            return null;
        }
        Path cert = existingFile(t, "certificate", base);
        Path key = existingFile(t, "key", base);
        Path ca = t.has("client_ca") ? existingFile(t, "client_ca", base) : null;
        t.finish();
        return cert == null || key == null ? null : new MamoriConfig.Tls(cert, key, ca);
    }

    private static Path existingFile(Section s, String key, ConfigBase base) {
        String v = s.string(key, null);
        if (v == null) {
            s.error(key, "required: a PEM file");
            return null;
        }
        Path p = base.writable(v);
        if (!Files.isReadable(p)) {
            s.error(key, "file not found or not readable: " + p);
            return null;
        }
        return p;
    }

    private static String bind(Section s) {
        return s.parsed("bind", "127.0.0.1", ConfigLoader::bindAddress, v -> v, true);
    }

    private static MamoriConfig.Intel readIntel(Section s, ConfigBase base) {
        List<MamoriConfig.IndicatorFile> files = new ArrayList<>();
        List<Section> mapped = s.has("indicator_files") && s.isListOfMappings("indicator_files")
                ? s.sections("indicator_files")
                : null;
        if (mapped != null) {
            for (Section f : mapped) {
                String path = f.string("path", null);
                String format = f.choice("format", null, "plain", "csv", "stix");
                String column = f.string("column", "1");
                if (path == null) {
                    f.error("path", "required: the list's file");
                    f.finish();
                    continue;
                }
                files.add(indicatorFile(f, "path", path, format, column, base));
                f.finish();
            }
        } else {
            List<String> paths =
                    s.strings("indicator_files", List.of(ConfigBase.embeddedDefault("intel/indicators.txt")));
            for (int i = 0; i < paths.size(); i++) {
                files.add(indicatorFile(s, "indicator_files[" + i + "]", paths.get(i), null, "1", base));
            }
        }
        String agents =
                s.string("allowed_user_agents_file", ConfigBase.embeddedDefault("intel/allowed-user-agents.txt"));
        ConfigResource agentsFile = base.readable(agents);
        if (!agentsFile.exists()) {
            s.error("allowed_user_agents_file", "file not found or not readable: " + agentsFile.describe());
        }
        s.finish();
        return new MamoriConfig.Intel(files, agentsFile);
    }

    /** A list file; without a format, {@code .csv} is CSV, {@code .json} a STIX bundle, anything else plain. */
    private static MamoriConfig.IndicatorFile indicatorFile(
            Section s, String key, String path, String format, String column, ConfigBase base) {
        ConfigResource r = base.readable(path);
        if (!r.exists()) {
            s.error(key, "file not found or not readable: " + r.describe());
        }
        String f = format;
        if (f == null) {
            String lower = path.toLowerCase(Locale.ROOT);
            f = lower.endsWith(".csv") ? "csv" : lower.endsWith(".json") ? "stix" : "plain";
        }
        return new MamoriConfig.IndicatorFile(r, f, column);
    }

    private static MamoriConfig.Outputs readOutputs(Section s, ConfigBase base) {
        Section f = s.optionalSection("file");
        MamoriConfig.FileOutput file = null;
        if (f.present()) {
            String path = f.string("path", "var/alerts.jsonl");
            file = new MamoriConfig.FileOutput(
                    base.writable(path),
                    f.size("max_size", 100L << 20, 4096),
                    f.integer("max_files", 10, 0, 1000),
                    f.integer("queue", 10_000, 1, 10_000_000),
                    filter(f));
        }
        f.finish();

        Section sy = s.optionalSection("syslog");
        MamoriConfig.SyslogOutput syslog = null;
        if (sy.present()) {
            String host = sy.string("host", "127.0.0.1");
            int port = sy.integer("port", 6514, 1, 65535);
            String protocol = sy.choice("protocol", "tcp", "udp", "tcp", "tls");
            String format = sy.choice("format", "json", "json", "cef");
            int queue = sy.integer("queue", 10_000, 1, 10_000_000);
            Path ca = sy.has("ca") ? existingFile(sy, "ca", base) : null;
            syslog = new MamoriConfig.SyslogOutput(
                    host, port, protocol, format, queue, ca, filter(sy), spool(sy.optionalSection("spool"), base));
        }
        sy.finish();

        Section w = s.optionalSection("webhook");
        MamoriConfig.WebhookOutput webhook = null;
        if (w.present()) {
            String url = w.string("url", null);
            w.redact("url", Secrets.redactUrl(url));
            if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
                w.error(
                        "url",
                        "required: an http:// or https:// URL, was "
                                + (url == null ? "missing" : "'" + Secrets.redactUrl(url) + "'"));
            }
            webhook = new MamoriConfig.WebhookOutput(
                    url,
                    w.duration("timeout", Duration.ofSeconds(5)),
                    w.integer("retries", 3, 0, 20),
                    w.duration("backoff", Duration.ofSeconds(1)),
                    w.integer("queue", 1000, 1, 1_000_000),
                    filter(w),
                    spool(w.optionalSection("spool"), base));
        }
        w.finish();

        Section k = s.optionalSection("kafka");
        MamoriConfig.KafkaOutput kafka = null;
        if (k.present()) {
            List<String> servers = kafkaServers(k, true);
            String topic = k.string("topic", "mamori.alerts");
            if (!KAFKA_TOPIC.matcher(topic).matches()) {
                k.error("topic", "must be a Kafka topic name (letters, digits, . _ -), was '" + topic + "'");
            }
            kafka = new MamoriConfig.KafkaOutput(
                    servers,
                    topic,
                    k.integer("queue", 10_000, 1, 10_000_000),
                    filter(k),
                    spool(k.optionalSection("spool"), base),
                    kafkaProperties(k));
        }
        k.finish();
        s.finish();
        return new MamoriConfig.Outputs(file, syslog, webhook, kafka);
    }

    /** {@code spool: {path, max_size}}: a folder for alerts waiting for the destination, and its bound. */
    private static MamoriConfig.SpoolSettings spool(Section s, ConfigBase base) {
        if (!s.present()) {
            s.finish();
            return null;
        }
        String path = s.string("path", null);
        long max = s.size("max_size", 1L << 30, 1L << 20);
        s.finish();
        if (path == null) {
            s.error("path", "required: a folder for the alerts waiting to be sent");
            return null;
        }
        return new MamoriConfig.SpoolSettings(base.writable(path), max);
    }

    /** {@code min_severity}, {@code rules} (only these), {@code exclude_rules}. */
    private static AlertFilter filter(Section s) {
        Severity min = Severity.fromLabel(s.choice("min_severity", "low", "low", "medium", "high", "critical"));
        List<String> rules = s.strings("rules", List.of());
        List<String> exclude = s.strings("exclude_rules", List.of());
        checkRules(s, "rules", rules);
        checkRules(s, "exclude_rules", exclude);
        return new AlertFilter(min, new LinkedHashSet<>(rules), new LinkedHashSet<>(exclude));
    }

    private static void checkRules(Section s, String key, List<String> rules) {
        List<String> known = Rules.ids();
        for (int i = 0; i < rules.size(); i++) {
            if (Rules.byId(rules.get(i)).isEmpty()) {
                String hint = DidYouMean.closest(rules.get(i), known)
                        .map(k -> " (did you mean '" + k + "'?)")
                        .orElse("");
                s.error(key + "[" + i + "]", "not a rule id: '" + rules.get(i) + "'" + hint);
            }
        }
    }

    private static MamoriConfig.AlertHygiene readAlerts(Section s) {
        Duration window = s.duration("dedupe_window", Duration.ZERO);
        Duration incidents = s.duration("incident_window", Duration.ofHours(24));
        if (incidents.isZero() || incidents.isNegative()) {
            s.error("incident_window", "must be positive (e.g. 24h)");
        }
        List<AlertGate.Suppression> suppress = new ArrayList<>();
        for (Section sup : s.sections("suppress")) {
            String rule = sup.string("rule", null);
            String field = sup.string("field", null);
            List<String> values = sup.strings("values", List.of());
            if (rule == null || Rules.byId(rule).isEmpty()) {
                sup.error("rule", "required: a rule id, was " + (rule == null ? "missing" : "'" + rule + "'"));
            }
            AlertField af = null;
            for (AlertField candidate : AlertField.values()) {
                if (candidate.ecsName().equals(field)) {
                    af = candidate;
                }
            }
            if (af == null) {
                sup.error(
                        "field",
                        "required: an alert field name such as source.ip, was "
                                + (field == null ? "missing" : "'" + field + "'"));
            }
            if (values.isEmpty()) {
                sup.error("values", "required: the values to suppress");
            }
            sup.finish();
            if (rule != null && af != null) {
                suppress.add(new AlertGate.Suppression(rule, af, values));
            }
        }
        s.finish();
        return new MamoriConfig.AlertHygiene(window, suppress, incidents);
    }

    /** {@code detectors.sigma}: rule files and folders, statuses and lowest level loaded; null when absent. */
    private static MamoriConfig.SigmaSettings readSigma(Section detectors, ConfigBase base) {
        if (!detectors.has("sigma")) {
            return null;
        }
        Section s = detectors.section("sigma");
        List<String> paths = s.strings("rules", List.of());
        List<Path> rules = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            Path p = base.writable(paths.get(i));
            if (!Files.exists(p)) {
                s.error("rules[" + i + "]", "no such file or directory: " + p);
            } else {
                rules.add(p);
            }
        }
        if (paths.isEmpty()) {
            s.error("rules", "required: Sigma rule files or folders (searched for *.yml)");
        }
        Set<String> known = Set.of("stable", "test", "experimental", "deprecated", "unsupported");
        List<String> statuses = s.strings("status", List.of("stable", "test"));
        for (int i = 0; i < statuses.size(); i++) {
            if (!known.contains(statuses.get(i).toLowerCase(Locale.ROOT))) {
                s.error(
                        "status[" + i + "]",
                        "not a Sigma status: '" + statuses.get(i) + "' ("
                                + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
        String min = s.choice("min_level", "low", "informational", "low", "medium", "high", "critical");
        s.finish();
        return new MamoriConfig.SigmaSettings(
                List.copyOf(rules),
                statuses.stream().map(x -> x.toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.toSet()),
                min.equals("informational") ? Severity.LOW : Severity.fromLabel(min),
                min.equals("informational"));
    }

    private static Map<String, DetectorSettings> readDetectors(Section s) {
        Map<String, DetectorSettings> result = new LinkedHashMap<>();
        for (RuleSpec<?> spec : Rules.ALL) {
            result.put(spec.id(), DetectorSettings.read(spec, s.section(spec.id())));
        }
        s.finish();
        return result;
    }

    private static MamoriConfig.SensorSettings readSensor(Section s, ConfigBase base) {
        String dir = s.string("state_dir", "var/state");
        Duration timeout = s.duration("shutdown_timeout", Duration.ofSeconds(10));
        if (timeout.isZero() || timeout.isNegative()) {
            s.error("shutdown_timeout", "must be positive");
        }
        int maxKeys = s.integer("max_tracked_keys", 100_000, 1000, 10_000_000);
        int reviewDays = s.integer("review_days", 90, 1, 3660);
        String io = s.choice("io", "auto", "auto", "io_uring", "epoll", "nio");
        Transport transport = io.equals("auto") ? Transport.best() : Transport.of(io);
        if (transport != null && !transport.available()) {
            s.error(
                    "io",
                    io + " is not available on this system (" + transport.unavailabilityCause()
                            + "); use auto, which takes the fastest there is");
        }
        LoopSizes ioThreads = ioThreads(s);
        s.finish();
        return new MamoriConfig.SensorSettings(base.writable(dir), timeout, maxKeys, reviewDays, transport, ioThreads);
    }

    /**
     * {@code auto}: one loop a core shared by the listeners, and two a core of its own for ICAP;
     * a number: that many loops, shared by every listener. ICAP's kept connections, each a request
     * at a time, run best with a loop for every connection up to two a core (fewer, and a loop's
     * connections wake it across cores), where the SMTP relay spends about a tenth more CPU a
     * message on two loops a core than on one (docs/benchmarks.md).
     */
    private static LoopSizes ioThreads(Section s) {
        int cores = Runtime.getRuntime().availableProcessors();
        LoopSizes auto = new LoopSizes(cores, Map.of(IcapServer.LISTENER, 2 * cores));
        String v = s.string("io_threads", "auto").strip();
        if (v.equalsIgnoreCase("auto")) {
            return auto;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= MAX_IO_THREADS) {
                return LoopSizes.shared(n);
            }
        } catch (NumberFormatException e) {
            // answered below, with the key
        }
        s.error("io_threads", "must be auto or a whole number 1.." + MAX_IO_THREADS + ", was '" + v + "'");
        return auto;
    }

    private static ZoneId zone(String text) {
        try {
            return ZoneId.of(text.strip());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("not a time zone: '" + text + "' (examples: Asia/Tokyo, UTC)");
        }
    }

    private static LocalTime time(String text) {
        try {
            return LocalTime.parse(text.strip().length() == 4 ? "0" + text.strip() : text.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a time of day: '" + text + "' (HH:MM, e.g. 08:00)");
        }
    }

    private static DayOfWeek day(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        return Arrays.stream(DayOfWeek.values())
                .filter(d -> t.length() >= 3 && d.name().startsWith(t))
                .findFirst()
                .orElse(null);
    }

    private static String bindAddress(String text) {
        String t = text.strip();
        if (t.equals("localhost") || IpSet.parseAddressOrNull(t) != null) {
            return t;
        }
        throw new IllegalArgumentException(
                "not an IP address to listen on: '" + text + "' (examples: 127.0.0.1, 0.0.0.0, ::)");
    }

    private static String hostPort(String text) {
        MamoriConfig.HostPort.parse(text);
        return text.strip();
    }

    private static ConfigException single(String source, String message) {
        return new ConfigException(source, List.of(new ConfigError("", message)));
    }

    private static String describe(IOException e) {
        return e.getClass().getSimpleName().replace("Exception", "")
                + (e.getMessage() == null ? "" : " " + e.getMessage());
    }
}
