package dev.mamori.sensor.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A web configuration file in the format of the Prometheus exporter-toolkit (what node_exporter
 * reads with {@code --web.config.file}), so one file serves every exporter and Mamori alike:
 * <pre>
 * tls_server_config: {cert_file: server.crt, key_file: server.key, client_auth_type: RequireAndVerifyClientCert,
 *                     client_ca_file: ca.crt, min_version: TLS12}
 * basic_auth_users: {prometheus: $2y$10$...}     # bcrypt hashes
 * </pre>
 * Relative paths resolve against the file's folder, as the toolkit does. Keys of the toolkit that
 * Mamori does not implement (cipher suites, HTTP headers) are errors, not silently ignored.
 *
 * @param users user name to bcrypt hash; empty means no authentication
 */
public record WebConfig(
        Path source,
        Path certificate,
        Path key,
        ClientAuth clientAuth,
        Path clientCa,
        String minVersion,
        Map<String, String> users) {

    /** The toolkit's client_auth_type values, and what each asks of a client. */
    public enum ClientAuth {
        NoClientCert,
        RequestClientCert,
        RequireAnyClientCert,
        VerifyClientCertIfGiven,
        RequireAndVerifyClientCert
    }

    private static final ObjectMapper YAML =
            new ObjectMapper(YAMLFactory.builder().build());
    /** $2a$, $2b$ or $2y$, a two-digit cost, 53 characters of salt and hash. */
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d{2}\\$[./A-Za-z0-9]{53}");

    public WebConfig {
        users = Map.copyOf(users);
    }

    public boolean tls() {
        return certificate != null;
    }

    public boolean authenticates() {
        return !users.isEmpty();
    }

    /** Reads and checks the file; every problem is reported at once, by key. */
    public static WebConfig load(Path file) throws ConfigException {
        String where = file.toString();
        JsonNode tree;
        try {
            if (Files.size(file) > (1 << 20)) {
                throw new ConfigException(where, List.of(new ConfigError("", "larger than 1 MiB")));
            }
            tree = YAML.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new ConfigException(where, List.of(new ConfigError("", "not valid YAML: " + e.getOriginalMessage())));
        } catch (IOException e) {
            throw new ConfigException(where, List.of(new ConfigError("", "cannot read: " + e)));
        }
        List<ConfigError> errors = new ArrayList<>();
        Section root = Section.root(tree, errors, Section.newTree());
        Path folder = file.toAbsolutePath().getParent();

        Section tls = root.optionalSection("tls_server_config");
        Path cert = null;
        Path key = null;
        Path ca = null;
        ClientAuth auth = ClientAuth.NoClientCert;
        String minVersion = "TLS12";
        if (tls.present()) {
            cert = file(tls, "cert_file", folder, true);
            key = file(tls, "key_file", folder, true);
            ca = file(tls, "client_ca_file", folder, false);
            String type = tls.choice("client_auth_type", "NoClientCert", names(ClientAuth.values()));
            auth = ClientAuth.valueOf(type);
            if (auth != ClientAuth.NoClientCert
                    && auth != ClientAuth.RequestClientCert
                    && auth != ClientAuth.RequireAnyClientCert
                    && ca == null) {
                tls.error("client_ca_file", "required when client_auth_type is " + type);
            }
            minVersion = tls.choice("min_version", "TLS12", "TLS12", "TLS13");
            tls.choice("max_version", "TLS13", "TLS12", "TLS13");
            tls.finish();
        } else {
            tls.finish();
        }
        Section users = root.optionalSection("basic_auth_users");
        Map<String, String> hashes = new LinkedHashMap<>();
        for (String user : users.keys()) {
            String hash = users.string(user, null);
            if (hash == null || !BCRYPT.matcher(hash).matches()) {
                // never echo the value: it is a credential
                users.error(user, "must be a bcrypt hash ($2y$10$..., e.g. from htpasswd -nBC 10 USER)");
            } else {
                hashes.put(user, hash);
            }
        }
        users.finish();
        root.finish();
        if (!errors.isEmpty()) {
            throw new ConfigException(where, errors);
        }
        return new WebConfig(file, cert, key, auth, ca, minVersion, hashes);
    }

    private static Path file(Section s, String key, Path folder, boolean required) {
        String v = s.string(key, null);
        if (v == null) {
            if (required) {
                s.error(key, "required: a PEM file");
            }
            return null;
        }
        Path p = folder.resolve(v).normalize();
        if (!Files.isReadable(p)) {
            s.error(key, "file not found or not readable: " + p);
            return null;
        }
        return p;
    }

    private static String[] names(Enum<?>[] values) {
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i].name();
        }
        return out;
    }
}
