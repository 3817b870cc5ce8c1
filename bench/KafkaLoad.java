import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Fills a topic with a realistic mix for bench/kafka-scale: FortiGate traffic lines (deny and
 * accept, 2,000 internal sources), Squid native proxy lines (500 clients) and Winlogbeat JSON 4624 and
 * 4625 events (1,000 accounts), keyed by device as relays key them. Usage: KafkaLoad BOOTSTRAP TOPIC
 * PARTITIONS COUNT
 */
public class KafkaLoad {
    public static void main(String[] a) throws Exception {
        String bootstrap = a[0];
        String topic = a[1];
        int partitions = Integer.parseInt(a[2]);
        long count = Long.parseLong(a[3]);
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        p.put("linger.ms", "20");
        p.put("batch.size", String.valueOf(256 << 10));
        p.put("compression.type", "lz4");
        Random r = new Random(1);
        long bytes = 0;
        long t0 = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < count; i++) {
                String device;
                String line;
                switch ((int) (i % 3)) {
                    case 0 -> {
                        device = "fgt1";
                        line = "<189>1 2026-12-04T01:00:00Z fgt1 - - - - date=2026-12-04 time=01:00:00 devname=\"fgt1\""
                                + " type=\"traffic\" subtype=\"forward\" srcip=10.1." + r.nextInt(8) + "." + r.nextInt(250)
                                + " srcport=" + (1024 + r.nextInt(60000)) + " dstip=203.0.113." + r.nextInt(250)
                                + " dstport=" + (r.nextInt(4) == 0 ? 8443 : 443) + " proto=6 action=\""
                                + (r.nextInt(10) == 0 ? "deny" : "accept") + "\" policyid=1 sentbyte=" + r.nextInt(90000)
                                + " rcvdbyte=" + r.nextInt(900000);
                    }
                    case 1 -> {
                        device = "proxy1";
                        line = (1796000000 + i / 1000) + ".000 " + r.nextInt(900) + " 10.2." + r.nextInt(2) + "."
                                + r.nextInt(250) + " TCP_MISS/200 " + r.nextInt(90000) + " GET http://www"
                                + r.nextInt(5000) + ".example.com/index.html - HIER_DIRECT/198.51.100." + r.nextInt(250)
                                + " text/html";
                    }
                    default -> {
                        device = "dc01";
                        boolean ok = r.nextInt(20) != 0;
                        line = "{\"@timestamp\":\"2026-12-04T01:00:00.000Z\",\"winlog\":{\"event_id\":"
                                + (ok ? 4624 : 4625) + ",\"provider_name\":\"Microsoft-Windows-Security-Auditing\","
                                + "\"channel\":\"Security\",\"computer_name\":\"DC01.corp.example.com\",\"event_data\":{"
                                + "\"TargetUserName\":\"user" + r.nextInt(1000) + "\",\"TargetDomainName\":\"CORP\","
                                + "\"IpAddress\":\"10.3.0." + r.nextInt(250) + "\",\"LogonType\":\"3\","
                                + "\"WorkstationName\":\"WS" + r.nextInt(500) + "\",\"Status\":\""
                                + (ok ? "0x0" : "0xc000006d") + "\"}}}";
                    }
                }
                byte[] v = line.getBytes(StandardCharsets.UTF_8);
                bytes += v.length;
                producer.send(new ProducerRecord<>(topic, device.getBytes(StandardCharsets.UTF_8), v));
            }
        }
        System.out.printf(
                "produced %d records (%d bytes, avg %d B) in %.1f s%n",
                count, bytes, bytes / count, (System.nanoTime() - t0) / 1e9);
    }
}
