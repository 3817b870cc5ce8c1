package dev.mamori.sensor.kafka;

import dev.mamori.sensor.config.MamoriConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the group's internal topics when absent, and checks they have {@code partitions}
 * partitions: {@code <group>.keyed} (the re-keyed lines; a week kept) and {@code <group>.state}
 * (compacted: the newest state of each rule per partition). A partition count that differs from the
 * configuration would move keys away from their state, so it is refused, not worked around.
 */
final class InternalTopics {

    private final MamoriConfig.KafkaInput settings;

    InternalTopics(MamoriConfig.KafkaInput settings) {
        this.settings = settings;
    }

    void ensure() throws InterruptedException {
        String keyed = settings.group() + ".keyed";
        String state = settings.group() + ".state";
        try (Admin admin = Admin.create(KafkaClients.admin(settings))) {
            create(
                    admin,
                    new NewTopic(keyed, Optional.of(settings.partitions()), Optional.empty())
                            .configs(Map.of(
                                    TopicConfig.RETENTION_MS_CONFIG,
                                    String.valueOf(TimeUnit.DAYS.toMillis(7)),
                                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                                    String.valueOf((1 << 20) + (64 << 10)))));
            create(
                    admin,
                    new NewTopic(state, Optional.of(settings.partitions()), Optional.empty())
                            .configs(Map.of(
                                    TopicConfig.CLEANUP_POLICY_CONFIG,
                                    TopicConfig.CLEANUP_POLICY_COMPACT,
                                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                                    String.valueOf(16 << 20))));
            Map<String, TopicDescription> found =
                    admin.describeTopics(List.of(keyed, state)).allTopicNames().get(30, TimeUnit.SECONDS);
            for (TopicDescription d : found.values()) {
                if (d.partitions().size() != settings.partitions()) {
                    throw new KafkaException("topic " + d.name() + " has "
                            + d.partitions().size()
                            + " partitions, inputs.kafka.partitions says " + settings.partitions()
                            + ": set it to " + d.partitions().size() + " (keys must stay where their state is)");
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("cannot create or describe the internal topics: " + e.getMessage(), e);
        }
    }

    private static void create(Admin admin, NewTopic topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }
}
