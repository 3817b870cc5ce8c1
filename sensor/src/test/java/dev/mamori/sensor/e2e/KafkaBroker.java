package dev.mamori.sensor.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A real single-node KRaft broker (the {@code kafka_2.13} jars from Maven Central, on the test
 * classpath), run as its own JVM: storage formatted with {@code kafka.tools.StorageTool}, then
 * {@code kafka.Kafka}. Transactions and the group coordinator work on one node with replication
 * factor 1. Stopped (and its data deleted with the test's folder) on close.
 */
final class KafkaBroker implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private KafkaBroker(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static KafkaBroker start(Path dir) throws Exception {
        return start(dir, freePort());
    }

    /** A broker on {@code port} (a client may already be trying it). */
    static KafkaBroker start(Path dir, int port) throws Exception {
        int controller = freePort();
        Path data = Files.createDirectories(dir.resolve("kafka-data"));
        Path props = dir.resolve("server.properties");
        Files.writeString(props, """
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@127.0.0.1:%d
                listeners=PLAINTEXT://127.0.0.1:%d,CONTROLLER://127.0.0.1:%d
                advertised.listeners=PLAINTEXT://127.0.0.1:%d
                controller.listener.names=CONTROLLER
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                log.dirs=%s
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=4
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                transaction.state.log.num.partitions=4
                group.initial.rebalance.delay.ms=0
                num.partitions=4
                auto.create.topics.enable=false
                log.cleaner.backoff.ms=1000
                """.formatted(controller, port, controller, port, data.toAbsolutePath()));
        Path log = dir.resolve("kafka.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process format = new ProcessBuilder(
                        java,
                        "-cp",
                        cp,
                        "kafka.tools.StorageTool",
                        "format",
                        "-t",
                        "MkU3OEVBNTcwNTJENDM2Qg",
                        "-c",
                        props.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("kafka-format.log").toFile())
                .start();
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new AssertionError(
                    "kafka storage format failed:\n" + Files.readString(dir.resolve("kafka-format.log")));
        }
        Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", cp, "kafka.Kafka", props.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        KafkaBroker broker = new KafkaBroker(p, port, log);
        broker.awaitStarted();
        return broker;
    }

    private void awaitStarted() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("kafka broker exited:\n" + tail());
            }
            if (Files.readString(log).contains("Kafka Server started")) {
                return;
            }
            Thread.sleep(200);
        }
        process.destroyForcibly();
        throw new AssertionError("kafka broker did not start in 90 s:\n" + tail());
    }

    String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    void createTopic(String name, int partitions) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(Map.of())))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
