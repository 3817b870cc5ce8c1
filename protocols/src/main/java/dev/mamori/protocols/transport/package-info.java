/**
 * How bytes arrive, shared by every protocol: the event loops (native epoll where present, NIO
 * otherwise), TCP listeners that track and close their connections, and the record of a bound
 * listener that the sensor logs and reports in {@code /health}.
 */
package dev.mamori.protocols.transport;
