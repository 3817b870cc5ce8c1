/**
 * The sensor's HTTP endpoint on Netty: {@code GET /metrics}, {@code GET /health},
 * {@code GET /api/alerts}. {@link dev.mamori.sensor.http.Router} (plain Java) decides the reply;
 * {@link dev.mamori.sensor.http.HttpEndpoint} only moves bytes.
 */
package dev.mamori.sensor.http;
