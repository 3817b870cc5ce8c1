/**
 * Firewall logs: the normalised {@link dev.mamori.detectors.firewall.FirewallEvent}, one parser per
 * vendor format (PAN-OS, FortiGate, Cisco ASA/FTD, netfilter, CEF), the firewall detections
 * ({@code fw.connect_back}, {@code fw.c2_communication}) and the rolling traffic summary for the
 * guide's periodic review.
 */
package dev.mamori.detectors.firewall;
