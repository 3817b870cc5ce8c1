package dev.mamori.sensor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.sensor.TestAlerts;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpooledOutputTest {

    @TempDir
    Path dir;

    /** A destination that can be down, and that may "lose" a flushed batch (a receiver closing). */
    static final class Destination implements AlertOutput {
        final List<String> received = new ArrayList<>();
        final List<String> inFlight = new ArrayList<>();
        boolean up = true;
        boolean closeAfterNextFlush;
        boolean closed;

        @Override
        public String name() {
            return "siem";
        }

        @Override
        public void write(Alert alert) throws IOException {
            if (!up) {
                throw new IOException("Connection refused");
            }
            inFlight.add(alert.fields()
                    .get(dev.mamori.detectors.alert.AlertField.SOURCE_IP)
                    .toString());
        }

        @Override
        public void flush() throws IOException {
            if (!up) {
                throw new IOException("Connection refused");
            }
            if (closeAfterNextFlush) {
                closeAfterNextFlush = false;
                closed = true; // flushed into a connection the receiver then closed: never read
                inFlight.clear();
                return;
            }
            received.addAll(inFlight);
            inFlight.clear();
        }

        @Override
        public void confirm() throws IOException {
            if (closed) {
                closed = false;
                throw new IOException("the receiver closed the connection");
            }
        }

        @Override
        public void close() {}
    }

    private static Alert alert(int i) {
        return TestAlerts.connectBack(
                "10.0.0." + i, Instant.parse("2026-11-28T00:00:00Z").plusSeconds(i));
    }

    @Test
    void anOutageLosesNothingAndOrderIsKept() throws Exception {
        Destination d = new Destination();
        SpooledOutput out = new SpooledOutput(d, new Spool(dir, 1 << 30));
        out.write(alert(1));
        out.flush();
        d.up = false;
        for (int i = 2; i <= 5; i++) {
            out.write(alert(i));
        }
        out.flush(); // refused: waits in the spool
        assertThat(out.hasBacklog()).isTrue();
        assertThat(out.pendingBytes()).isPositive();
        assertThat(out.oldestSeconds()).isPositive();
        d.up = true;
        Thread.sleep(1100); // past the first backoff
        out.flush();
        out.flush(); // the next round confirms the last batch
        assertThat(d.received).containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5");
        assertThat(out.hasBacklog()).isFalse();
        out.close();
    }

    @Test
    void aBatchFlushedIntoAConnectionTheReceiverClosedIsSentAgain() throws Exception {
        Destination d = new Destination();
        SpooledOutput out = new SpooledOutput(d, new Spool(dir, 1 << 30));
        out.write(alert(1));
        out.write(alert(2));
        d.closeAfterNextFlush = true;
        out.flush(); // flushed, then lost with the connection
        out.write(alert(3));
        out.flush(); // confirm finds the close: 1 and 2 go again, then 3
        Thread.sleep(1100);
        out.flush();
        out.flush();
        assertThat(d.received).containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3");
    }

    @Test
    void whatWaitsSurvivesARestart() throws Exception {
        Destination down = new Destination();
        down.up = false;
        SpooledOutput first = new SpooledOutput(down, new Spool(dir, 1 << 30));
        first.write(alert(7));
        first.write(alert(8));
        first.flush();
        first.close(); // the sensor stops (or is killed after the sync)
        Destination d = new Destination();
        SpooledOutput second = new SpooledOutput(d, new Spool(dir, 1 << 30));
        assertThat(second.hasBacklog()).isTrue();
        second.flush();
        second.flush();
        assertThat(d.received).containsExactly("10.0.0.7", "10.0.0.8");
        second.close();
    }
}
