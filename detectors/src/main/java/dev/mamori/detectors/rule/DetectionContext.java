package dev.mamori.detectors.rule;

import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.intel.Indicators;
import dev.mamori.detectors.site.SiteProfile;
import dev.mamori.detectors.state.TimeBasis;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Everything a detection is built from besides its own options: how it makes alerts, which input it
 * stands for, which clock and time basis its windows follow, the bound on its keyed state, the site,
 * and the lists that reload without a restart (read through the suppliers on every use).
 *
 * @param maxKeys the bound on each keyed state a detection holds ({@code sensor.max_tracked_keys})
 * @param privilegedAccounts {@code site.privileged_accounts}, reloadable
 */
public record DetectionContext(
        AlertFactory alerts,
        ObserverInput input,
        Clock clock,
        TimeBasis timeBasis,
        int maxKeys,
        SiteProfile site,
        Supplier<Indicators> indicators,
        Supplier<List<Pattern>> userAgents,
        Supplier<Set<String>> privilegedAccounts) {}
