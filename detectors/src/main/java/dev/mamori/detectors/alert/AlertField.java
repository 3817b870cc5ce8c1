package dev.mamori.detectors.alert;

/**
 * The optional alert fields, named as in the Elastic Common Schema. The names are a contract: tests
 * and SIEM mappings outside the code rely on them, so they never change with the language.
 */
public enum AlertField {
    SOURCE_IP("source.ip"),
    SOURCE_PORT("source.port"),
    DESTINATION_IP("destination.ip"),
    DESTINATION_PORT("destination.port"),
    DESTINATION_DOMAIN("destination.domain"),
    NETWORK_TRANSPORT("network.transport"),
    URL_FULL("url.full"),
    HTTP_REQUEST_METHOD("http.request.method"),
    USER_AGENT_ORIGINAL("user_agent.original"),
    USER_NAME("user.name"),
    USER_DOMAIN("user.domain"),
    HOST_NAME("host.name"),
    EMAIL_FROM_ADDRESS("email.from.address"),
    EMAIL_FROM_DISPLAY_NAME("email.from.display_name"),
    FILE_NAME("file.name"),
    WINLOG_EVENT_ID("winlog.event_id"),
    EVENT_ACTION("event.action"),
    /** How many occurrences an aggregated alert stands for. */
    EVENT_COUNT("event.count"),
    EVENT_START("event.start"),
    EVENT_END("event.end"),
    THREAT_TECHNIQUE_ID("threat.technique.id"),
    /** The incident the alert belongs to (alerts about one host or account within the incident window). */
    INCIDENT_ID("incident.id"),
    EVENT_ORIGINAL("event.original");

    private final String ecsName;

    AlertField(String ecsName) {
        this.ecsName = ecsName;
    }

    public String ecsName() {
        return ecsName;
    }
}
