package dev.mamori.sensor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access control with real peers against the packaged sensor. c-icap-client and logger cannot pick
 * their source address, so their inputs allow only 127.0.0.2 and the peers, from 127.0.0.1, are the
 * outsiders; curl shows the HTTP side: Prometheus' web config format (checked by promtool), TLS and
 * bcrypt users, and the API lock on a listener bound beyond loopback. (SMTP: MailPeersIT.)
 */
class AccessControlPeersIT {

    @TempDir
    Path dir;

    private SensorProcess sensor;

    @AfterEach
    void stop() throws Exception {
        if (sensor != null) {
            sensor.close();
        }
    }

    private void start(String inputs) throws Exception {
        Files.writeString(dir.resolve("ioc.txt"), "192.0.2.66\nc2.example.net\n");
        Files.writeString(dir.resolve("ua.txt"), "^curl/\n");
        Path config = dir.resolve("mamori.yaml");
        Files.writeString(config, inputs + """
                intel: {indicator_files: [ioc.txt], allowed_user_agents_file: ua.txt}
                outputs: {file: {path: var/alerts.jsonl}}
                """);
        sensor = SensorProcess.start(dir, "run", "--config", config.toString());
    }

    @Test
    void cIcapClientAndLoggerFromOutsideTheListAreRefusedAndCounted() throws Exception {
        Path cicap = Peers.require("c-icap-client", "c-icap");
        Path logger = Peers.require("logger", "bsdutils");
        start("""
                inputs:
                  http: {port: 0}
                  icap: {port: 0, allowed_clients: [127.0.0.2/32]}
                  syslog: {udp_port: 0, tcp_port: 0, allowed_clients: [127.0.0.2/32]}
                """);
        sensor.awaitListening("http", 60);
        int icap = sensor.awaitListening("icap", "tcp", 60);
        int tcp = sensor.awaitListening("syslog", "tcp", 60);
        int udp = sensor.awaitListening("syslog", "udp", 60);

        // c-icap-client asks OPTIONS first, as Squid does when it starts using a service
        Peers.Finished options = Peers.finish(
                new ProcessBuilder(
                                cicap.toString(), "-i", "127.0.0.1", "-p", Integer.toString(icap), "-s", "reqmod", "-v")
                        .redirectErrorStream(true)
                        .start(),
                30,
                "c-icap-client");
        assertThat(options.output()).contains("ICAP/1.0 403 Forbidden").doesNotContain("Methods: REQMOD");

        String line = "FW-DROP IN=eth1 OUT=eth0 SRC=10.4.0.5 DST=192.0.2.66 LEN=60 PROTO=TCP SPT=38842 DPT=443";
        // logger may or may not report the closed connection; what counts is what Mamori did
        Peers.finish(
                new ProcessBuilder(
                                logger.toString(),
                                "-n",
                                "127.0.0.1",
                                "-P",
                                Integer.toString(tcp),
                                "-T",
                                "--rfc5424",
                                "-t",
                                "kernel",
                                line)
                        .redirectErrorStream(true)
                        .start(),
                30,
                "logger");
        Peers.finish(
                new ProcessBuilder(
                                logger.toString(),
                                "-n",
                                "127.0.0.1",
                                "-P",
                                Integer.toString(udp),
                                "-d",
                                "--rfc3164",
                                "-t",
                                "kernel",
                                line)
                        .redirectErrorStream(true)
                        .start(),
                30,
                "logger");

        String metrics = sensor.awaitMetrics(
                "mamori_connections_refused_total{input=\"icap\"} 1.0",
                "mamori_connections_refused_total{input=\"syslog\"} 2.0");
        assertThat(metrics)
                .contains(
                        "mamori_events_received_total{input=\"syslog\",transport=\"tcp\"} 0.0",
                        "mamori_events_received_total{input=\"syslog\",transport=\"udp\"} 0.0",
                        "mamori_received_bytes_total{input=\"syslog\",transport=\"udp\"} 0.0")
                .contains("mamori_icap_requests_total{method=\"REQMOD\",verdict=\"blocked\"} 0.0");
        assertThat(sensor.alerts(a -> true)).as("nothing from refused senders").isEmpty();
    }

    @Test
    void prometheusWebConfigWithTlsAndBcryptUsersGuardsTheEndpoint() throws Exception {
        Path promtool = Peers.require("promtool", "prometheus");
        Path curl = Peers.require("curl", "curl");
        Path openssl = Peers.require("openssl", "openssl");
        Peers.run(
                openssl.toString(),
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout",
                dir.resolve("web.key").toString(),
                "-out",
                dir.resolve("web.crt").toString());
        Files.writeString(dir.resolve("web.yml"), """
                tls_server_config:
                  cert_file: web.crt
                  key_file: web.key
                basic_auth_users:
                  prometheus: '%s'
                """.formatted(
                        BCrypt.withDefaults().hashToString(10, "scrape-me".toCharArray())));
        // the same file an exporter would read: Prometheus' own tool accepts it
        assertThat(Peers.run(
                        promtool.toString(),
                        "check",
                        "web-config",
                        dir.resolve("web.yml").toString()))
                .contains("SUCCESS");
        start("inputs: {http: {port: 0, web_config_file: web.yml, public: [/health]}}\n");
        int port = sensor.awaitListening("http", "tls", 60);
        String url = "https://127.0.0.1:" + port;
        String cacert = dir.resolve("web.crt").toString();
        assertThat(curlStatus(curl, "--cacert", cacert, "-u", "prometheus:scrape-me", url + "/metrics"))
                .isEqualTo("200");
        assertThat(curlStatus(curl, "--cacert", cacert, url + "/metrics")).isEqualTo("401");
        assertThat(curlStatus(curl, "--cacert", cacert, "-u", "prometheus:guess", url + "/api/alerts"))
                .isEqualTo("401");
        assertThat(curlStatus(curl, "--cacert", cacert, url + "/health")).isEqualTo("200");
        String body =
                Peers.run(curl.toString(), "-s", "--cacert", cacert, "-u", "prometheus:scrape-me", url + "/metrics");
        assertThat(body).contains("mamori_connections_refused_total{input=\"http\"} 0.0");
        assertThat(String.join("\n", sensor.drain()))
                .as("no credential in the log")
                .doesNotContain("scrape-me")
                .doesNotContain("$2a$");
    }

    @Test
    void withoutUsersTheApiAnswers403OnANonLoopbackBind() throws Exception {
        Path curl = Peers.require("curl", "curl");
        start("inputs: {http: {port: 0, bind: 0.0.0.0}}\n");
        int port = sensor.awaitListening("http", 60);
        String url = "http://127.0.0.1:" + port;
        assertThat(curlStatus(curl, url + "/api/alerts")).isEqualTo("403");
        assertThat(curlStatus(curl, "-X", "POST", url + "/api/reload")).isEqualTo("403");
        assertThat(curlStatus(curl, url + "/metrics")).isEqualTo("200");
        assertThat(sensor.drain())
                .anySatisfy(l -> assertThat(l)
                        .contains("configuration: inputs.http: bound to" + " 0.0.0.0 without authentication"));
    }

    private static String curlStatus(Path curl, String... args) throws Exception {
        String[] cmd = new String[args.length + 5];
        cmd[0] = curl.toString();
        cmd[1] = "-s";
        cmd[2] = "-o";
        cmd[3] = "/dev/null";
        cmd[4] = "-w%{http_code}";
        System.arraycopy(args, 0, cmd, 5, args.length);
        return Peers.run(cmd).strip();
    }
}
