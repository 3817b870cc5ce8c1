/**
 * The HTTP/1.1 server of the sensor's endpoint (metrics, health, API): bounds, keep-alive, TLS and
 * client gate here; what the paths answer behind the {@link dev.mamori.protocols.http.HttpService}
 * seam.
 */
package dev.mamori.protocols.http;
