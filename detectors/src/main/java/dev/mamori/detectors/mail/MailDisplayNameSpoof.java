package dev.mamori.detectors.mail;

import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.Finding;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Rule;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.detectors.rule.OptionSpec;
import dev.mamori.detectors.rule.RuleSpec;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code mail.display_name_spoof}: the From display name (after RFC 2047 decoding) contains an
 * e-mail address other than the From address, e.g. {@code "ceo@corp.example" <x@evil.example>}.
 * Refined as rspamd's SPOOF_DISPLAY_NAME and SpamAssassin's FromNameSpoof do: the embedded domain
 * must contain a dot, and the same address differing only in case is no spoof. High when the
 * embedded address is in one of the organisation's own domains or a recipient's domain.
 */
public final class MailDisplayNameSpoof implements Detection<MailMessage> {

    public static final Rule RULE = new Rule("mail.display_name_spoof", Severity.MEDIUM, "T1566.001");

    /** The rule's own description: the sensor builds it from this, options and all. */
    public static final RuleSpec<MailMessage> SPEC = RuleSpec.of(
            RULE,
            MailMessage.class,
            (ctx, o) -> {
                // the site's own AD domains count as the organisation's domains too
                Set<String> own = new HashSet<>(o.get().words("own_domains"));
                ctx.site().adDomains().forEach(d -> own.add(d.fqdn()));
                return new MailDisplayNameSpoof(own, ctx.alerts(), ctx.input(), ctx.clock());
            },
            OptionSpec.words("own_domains", List.of()));

    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9._%+'-]+@([A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+)");

    private final Set<String> ownDomains;
    private final AlertFactory alerts;
    private final ObserverInput input;
    private final Clock clock;

    public MailDisplayNameSpoof(Set<String> ownDomains, AlertFactory alerts, ObserverInput input, Clock clock) {
        this.ownDomains =
                ownDomains.stream().map(d -> d.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.alerts = alerts;
        this.input = input;
        this.clock = clock;
    }

    @Override
    public Rule rule() {
        return RULE;
    }

    @Override
    public void inspect(MailMessage m, AlertSink sink) {
        if (m.fromDisplayName() == null || m.fromAddress() == null) {
            return;
        }
        Matcher a = ADDRESS.matcher(m.fromDisplayName());
        while (a.find()) {
            String embedded = a.group();
            if (embedded.equalsIgnoreCase(m.fromAddress())) {
                continue;
            }
            String domain = a.group(1).toLowerCase(Locale.ROOT);
            boolean insider = ownDomains.contains(domain)
                    || m.recipients().stream()
                            .anyMatch(
                                    r -> r != null && r.toLowerCase(Locale.ROOT).endsWith("@" + domain));
            sink.found(new Finding(RULE.id(), alerts.catalog().reason(RULE.id(), embedded)));
            sink.emit(MailAlerts.start(alerts, RULE, input, m, clock)
                    .severity(insider ? Severity.HIGH : Severity.MEDIUM)
                    .args(m.fromDisplayName(), embedded, m.fromAddress())
                    .build());
            return;
        }
    }
}
