package dev.mamori.sensor.cli;

import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.sensor.config.MamoriConfig;
import dev.mamori.sensor.ingest.LineFormat;
import dev.mamori.sensor.ingest.LineRouter;
import dev.mamori.sensor.metrics.SensorMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * The log formats this build recognises, wired to their detections. Each input issue adds its
 * formats here (firewall families, proxy logs, Windows events); the order is the order of trial.
 */
final class Formats {
    private Formats() {
    }

    static LineRouter router(MamoriConfig config, AlertSink alerts, SensorMetrics metrics) {
        List<LineFormat> formats = new ArrayList<>();
        return new LineRouter(formats, metrics);
    }
}
