package dev.mamori.detectors.rule;

import java.util.Optional;

/**
 * The closed set of rule ids of the design contract. Ids never change with the language; the
 * configuration's {@code detectors:} keys are these ids.
 */
public enum RuleId {
    FW_CONNECT_BACK("fw.connect_back"),
    FW_C2_COMMUNICATION("fw.c2_communication"),
    MAIL_DISPLAY_NAME_SPOOF("mail.display_name_spoof"),
    MAIL_EXECUTABLE_ATTACHMENT("mail.executable_attachment"),
    PROXY_C2_ACCESS("proxy.c2_access"),
    PROXY_C2_DAILY_ACCESS("proxy.c2_daily_access"),
    PROXY_CONNECT_NONSTANDARD_PORT("proxy.connect_nonstandard_port"),
    PROXY_UNKNOWN_USER_AGENT("proxy.unknown_user_agent"),
    PROXY_EXFILTRATION("proxy.exfiltration"),
    AD_MS14_068("ad.ms14_068"),
    AD_FORGED_TICKET("ad.forged_ticket"),
    AD_SCHEDULED_TASK("ad.scheduled_task"),
    AD_LOG_CLEARED("ad.log_cleared"),
    AD_UNEXPECTED_PRIVILEGE("ad.unexpected_privilege"),
    AD_UNEXPECTED_ACCOUNT_HOST("ad.unexpected_account_host"),
    AD_OFF_HOURS_AUTH("ad.off_hours_auth"),
    AD_AUTH_FAILURE_BURST("ad.auth_failure_burst"),
    AD_AUTH_SPIKE("ad.auth_spike");

    private final String id;

    RuleId(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<RuleId> fromId(String id) {
        for (RuleId r : values()) {
            if (r.id.equals(id)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return id;
    }
}
