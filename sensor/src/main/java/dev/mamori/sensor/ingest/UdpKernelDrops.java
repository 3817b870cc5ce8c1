package dev.mamori.sensor.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Datagrams the kernel discarded because the UDP socket's receive buffer was full: they never
 * reach the sensor, so only the kernel can count them. Read from the {@code drops} column of
 * {@code /proc/net/udp} and {@code /proc/net/udp6} for the bound port (Linux; 0 elsewhere).
 */
public final class UdpKernelDrops {

    private static final List<Path> TABLES = List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6"));

    private final String portHex;

    public UdpKernelDrops(int port) {
        this.portHex = String.format(Locale.ROOT, ":%04X", port);
    }

    public double read() {
        long drops = 0;
        for (Path table : TABLES) {
            try {
                for (String line : Files.readAllLines(table)) {
                    String[] f = line.trim().split("\\s+");
                    // sl local_address rem_address st ... drops (last column)
                    if (f.length > 12 && f[1].endsWith(portHex)) {
                        drops += Long.parseLong(f[f.length - 1]);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux, or the table is unreadable: report what was found
            }
        }
        return drops;
    }
}
