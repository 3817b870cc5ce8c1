/**
 * Scale-out on Apache Kafka: instances consume the log topics as one consumer group
 * ({@link dev.mamori.sensor.kafka.KafkaIntake}), re-key each line by the value its stateful
 * detections keep state under ({@link dev.mamori.sensor.ingest.RoutingKeys}) through the internal
 * {@code <group>.keyed} topic, and keep that state per partition in the compacted
 * {@code <group>.state} topic ({@link dev.mamori.sensor.kafka.PartitionStates}), so it follows a
 * partition from instance to instance. docs/scale-out.md explains the design.
 */
package dev.mamori.sensor.kafka;
