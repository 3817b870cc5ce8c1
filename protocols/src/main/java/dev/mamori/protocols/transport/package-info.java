/**
 * How bytes arrive, shared by every protocol: the event loops (io_uring, epoll or NIO, whichever
 * the system offers first; a group shared by the listeners and groups of their own for the ones
 * {@code LoopSizes} names), TCP listeners that track and close their connections, and the record
 * of a bound listener that the sensor logs and reports in {@code /health}.
 */
package dev.mamori.protocols.transport;
