/**
 * Wire protocols on Netty: syslog, SMTP and ICAP. Bytes in, typed messages out, replies back; this
 * module knows nothing of detections. One package per protocol, plus {@code transport} for what
 * every listener shares.
 */
package dev.mamori.protocols;
