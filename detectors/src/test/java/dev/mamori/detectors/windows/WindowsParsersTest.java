package dev.mamori.detectors.windows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.detectors.parse.ParseOutcome;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The same failed logon in every form Windows events travel in gives the same fields. */
class WindowsParsersTest {

    private final WindowsParsers parsers = new WindowsParsers(ZoneOffset.UTC);

    static final String XML_4625 = """
            <Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">
              <System>
                <Provider Name="Microsoft-Windows-Security-Auditing" Guid="{54849625-5478-4994-A5BA-3E3B0328C30D}"/>
                <EventID>4625</EventID><Version>0</Version><Level>0</Level><Task>12544</Task>
                <TimeCreated SystemTime="2026-11-28T01:02:03.456789100Z"/>
                <EventRecordID>6011</EventRecordID>
                <Channel>Security</Channel>
                <Computer>WS01.corp.example.com</Computer>
                <Security/>
              </System>
              <EventData>
                <Data Name="SubjectUserName">-</Data>
                <Data Name="TargetUserName">alice</Data>
                <Data Name="TargetDomainName">CORP</Data>
                <Data Name="Status">0xc000006d</Data>
                <Data Name="FailureReason">%%2313</Data>
                <Data Name="SubStatus">0xc000006a</Data>
                <Data Name="LogonType">3</Data>
                <Data Name="WorkstationName">WS77</Data>
                <Data Name="IpAddress">10.1.2.3</Data>
                <Data Name="IpPort">51515</Data>
              </EventData>
            </Event>""";

    static final String EVTX_4625 = "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System>"
            + "<Provider Name=\"Microsoft-Windows-Security-Auditing\" Guid=\"{54849625}\"></Provider>\n"
            + "<EventID Qualifiers=\"\">4625</EventID>\n<TimeCreated SystemTime=\"2026-11-28 01:02:03.456789\">"
            + "</TimeCreated>\n<EventRecordID>6011</EventRecordID>\n<Channel>Security</Channel>\n"
            + "<Computer>WS01.corp.example.com</Computer>\n</System>\n<EventData><Data Name=\"SubjectUserName\">-</Data>\n"
            + "<Data Name=\"TargetUserName\">alice</Data>\n<Data Name=\"TargetDomainName\">CORP</Data>\n"
            + "<Data Name=\"Status\">0xc000006d</Data>\n<Data Name=\"SubStatus\">0xc000006a</Data>\n"
            + "<Data Name=\"LogonType\">3</Data>\n<Data Name=\"WorkstationName\">WS77</Data>\n"
            + "<Data Name=\"IpAddress\">10.1.2.3</Data>\n<Data Name=\"IpPort\">51515</Data>\n</EventData>\n</Event>";

    static final String NXLOG_4625 = "{\"EventTime\":\"2026-11-28 01:02:03\",\"Hostname\":\"WS01.corp.example.com\","
            + "\"Keywords\":-9218868437227405312,\"EventType\":\"AUDIT_FAILURE\",\"SeverityValue\":4,"
            + "\"Severity\":\"ERROR\",\"EventID\":4625,\"SourceName\":\"Microsoft-Windows-Security-Auditing\","
            + "\"Channel\":\"Security\",\"RecordNumber\":6011,\"SubjectUserName\":\"-\",\"TargetUserName\":\"alice\","
            + "\"TargetDomainName\":\"CORP\",\"Status\":\"0xc000006d\",\"SubStatus\":\"0xc000006a\","
            + "\"LogonType\":\"3\",\"WorkstationName\":\"WS77\",\"IpAddress\":\"10.1.2.3\",\"IpPort\":\"51515\","
            + "\"Message\":\"An account failed to log on.\"}";

    static final String WINLOGBEAT_4625 = "{\"@timestamp\":\"2026-11-28T01:02:03.456Z\",\"event\":{\"code\":\"4625\"},"
            + "\"winlog\":{\"event_id\":\"4625\",\"provider_name\":\"Microsoft-Windows-Security-Auditing\","
            + "\"channel\":\"Security\",\"computer_name\":\"WS01.corp.example.com\",\"record_id\":6011,"
            + "\"event_data\":{\"SubjectUserName\":\"-\",\"TargetUserName\":\"alice\",\"TargetDomainName\":\"CORP\","
            + "\"Status\":\"0xc000006d\",\"SubStatus\":\"0xc000006a\",\"LogonType\":\"3\",\"WorkstationName\":\"WS77\","
            + "\"IpAddress\":\"10.1.2.3\",\"IpPort\":\"51515\"}}}";

    /** As {@code analyze --events} writes an event: dotted ECS keys, event data as one object. */
    static final String EVENTS_JSON_4625 = "{\"@timestamp\":\"2026-11-28T01:02:03.456Z\",\"winlog.event_id\":4625,"
            + "\"winlog.record_id\":6011,\"winlog.channel\":\"Security\","
            + "\"winlog.provider_name\":\"Microsoft-Windows-Security-Auditing\",\"host.name\":\"WS01.corp.example.com\","
            + "\"winlog.event_data\":{\"SubjectUserName\":\"-\",\"TargetUserName\":\"alice\","
            + "\"TargetDomainName\":\"CORP\",\"Status\":\"0xc000006d\",\"SubStatus\":\"0xc000006a\","
            + "\"LogonType\":\"3\",\"WorkstationName\":\"WS77\",\"IpAddress\":\"10.1.2.3\",\"IpPort\":\"51515\"}}";

    static final String SNARE_4625 = "MSWinEventLog\t1\tSecurity\t6011\tSat Nov 28 01:02:03 2026\t4625\t"
            + "Microsoft-Windows-Security-Auditing\tN/A\tN/A\tFailure Audit\tWS01.corp.example.com\tLogon\t\t"
            + "An account failed to log on.    Subject:   Security ID:  S-1-0-0   Account Name:  -   Account Domain:  -"
            + "   Logon ID:  0x0    Logon Type:   3    Account For Which Logon Failed:   Security ID:  S-1-0-0   "
            + "Account Name:  alice   Account Domain:  CORP    Failure Information:   Failure Reason:  Unknown user "
            + "name or bad password.   Status:   0xC000006D   Sub Status:  0xC000006A    Process Information:   "
            + "Caller Process ID: 0x0   Caller Process Name: -    Network Information:   Workstation Name: WS77   "
            + "Source Network Address: 10.1.2.3   Source Port:  51515\t42";

    private WindowsEvent one(String message) {
        ParseOutcome<WindowsEvent> r = parsers.parse(message);
        assertThat(r).as(message).isInstanceOf(ParseOutcome.Parsed.class);
        List<WindowsEvent> events = ((ParseOutcome.Parsed<WindowsEvent>) r).events();
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    @Test
    void everyFormGivesTheSameEvent() {
        for (String form : List.of(
                XML_4625,
                EVTX_4625,
                NXLOG_4625,
                WINLOGBEAT_4625,
                EVENTS_JSON_4625,
                SNARE_4625,
                "<13>Nov 28 01:02:03 WS01 MSWinEventLog#0111#011Security"
                        + SNARE_4625.substring(SNARE_4625.indexOf("\t6011")).replace("\t", "#011"))) {
            WindowsEvent e = one(form);
            assertThat(e.eventId()).as(e.form()).isEqualTo(4625);
            assertThat(e.provider()).as(e.form()).isEqualTo("Microsoft-Windows-Security-Auditing");
            assertThat(e.channel()).as(e.form()).isEqualTo("Security");
            assertThat(e.computer()).as(e.form()).isEqualTo("WS01.corp.example.com");
            assertThat(e.field("TargetUserName")).as(e.form()).isEqualTo("alice");
            assertThat(e.field("TargetDomainName")).as(e.form()).isEqualTo("CORP");
            assertThat(e.field("SubjectUserName")).as(e.form()).isNull();
            assertThat(e.number("Status")).as(e.form()).isEqualTo(0xc000006dL);
            assertThat(e.number("SubStatus")).as(e.form()).isEqualTo(0xc000006aL);
            assertThat(e.number("LogonType")).as(e.form()).isEqualTo(3);
            assertThat(e.field("IpAddress")).as(e.form()).isEqualTo("10.1.2.3");
            assertThat(e.field("WorkstationName")).as(e.form()).isEqualTo("WS77");
            assertThat(e.time())
                    .as(e.form())
                    .isBetween(Instant.parse("2026-11-28T01:02:03Z"), Instant.parse("2026-11-28T01:02:04Z"));
        }
    }

    @Test
    void paddedAndUnpaddedHexCompareAsNumbers() {
        assertThat(WindowsEvent.parseNumber("0x00000018")).isEqualTo(0x18);
        assertThat(WindowsEvent.parseNumber("0x18")).isEqualTo(24);
        assertThat(WindowsEvent.parseNumber("0xF")).isEqualTo(15);
        assertThat(WindowsEvent.parseNumber("24")).isEqualTo(24);
        assertThat(WindowsEvent.parseNumber("%%2313")).isEqualTo(-1);
        assertThat(WindowsEvent.parseNumber(null)).isEqualTo(-1);
    }

    @Test
    void manyEventsWithAnEventsWrapperAndUserData() {
        String doc = "<?xml version=\"1.1\" encoding=\"utf-8\" standalone=\"no\" ?>\n<Events>\n" + EVTX_4625 + "\n"
                + "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System>"
                + "<Provider Name=\"Microsoft-Windows-Eventlog\"></Provider><EventID>1102</EventID>"
                + "<TimeCreated SystemTime=\"2026-11-28 02:00:00.000000\"></TimeCreated><Channel>Security</Channel>"
                + "<Computer>DC01.corp.example.com</Computer></System><UserData><LogFileCleared "
                + "xmlns=\"http://manifests.microsoft.com/win/2004/08/windows/eventlog\"><SubjectUserSid>S-1-5-21-1"
                + "</SubjectUserSid><SubjectUserName>mallory</SubjectUserName><SubjectDomainName>CORP"
                + "</SubjectDomainName><SubjectLogonId>0x1</SubjectLogonId></LogFileCleared></UserData></Event>\n"
                + "</Events>";
        ParseOutcome<WindowsEvent> r = parsers.parse(doc);
        assertThat(r).isInstanceOf(ParseOutcome.Parsed.class);
        List<WindowsEvent> events = ((ParseOutcome.Parsed<WindowsEvent>) r).events();
        assertThat(events).extracting(WindowsEvent::eventId).containsExactly(4625, 1102);
        WindowsEvent cleared = events.get(1);
        assertThat(cleared.provider()).isEqualTo("Microsoft-Windows-Eventlog");
        assertThat(cleared.field("SubjectUserName")).isEqualTo("mallory");
        assertThat(cleared.time()).isEqualTo(Instant.parse("2026-11-28T02:00:00Z"));
    }

    @Test
    void escapedTaskContentIsUnescaped() {
        WindowsEvent e = one("<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System>"
                + "<EventID>4698</EventID></System><EventData><Data Name=\"TaskName\">\\Updater</Data>"
                + "<Data Name=\"TaskContent\">&lt;?xml version=\"1.0\" encoding=\"UTF-16\"?&gt;&lt;Task&gt;&lt;Actions&gt;"
                + "&lt;Exec&gt;&lt;Command&gt;C:\\Users\\Public\\a.exe&lt;/Command&gt;&lt;/Exec&gt;&lt;/Actions&gt;"
                + "&lt;/Task&gt;</Data></EventData></Event>");
        assertThat(e.field("TaskContent")).contains("<Command>C:\\Users\\Public\\a.exe</Command>");
    }

    @Test
    void dtdsAndEntityExpansionAreRefused() {
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE Event [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;"
                + "&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><Event><System><EventID>1"
                + "</EventID></System><EventData><Data Name=\"x\">&c;</Data></EventData></Event>";
        assertThat(parsers.parse(laughs)).isInstanceOf(ParseOutcome.Malformed.class);
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE Event [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Event>"
                + "<System><EventID>1</EventID></System><EventData><Data Name=\"x\">&x;</Data></EventData></Event>";
        ParseOutcome<WindowsEvent> r = parsers.parse(xxe);
        assertThat(r).isInstanceOf(ParseOutcome.Malformed.class);
    }

    @Test
    void brokenFormsAreMalformedAndOtherTextIsNotWindows() {
        assertThat(parsers.parse("<Event><System><EventID>4624</EventID></System>"))
                .isInstanceOf(ParseOutcome.Malformed.class);
        assertThat(parsers.parse("{\"EventID\": 4624,")).isInstanceOf(ParseOutcome.Malformed.class);
        assertThat(parsers.parse("MSWinEventLog\t1\tSecurity")).isInstanceOf(ParseOutcome.Malformed.class);
        assertThat(parsers.parse("{\"message\": \"hello\", \"EventIDs\": 1}")).isInstanceOf(ParseOutcome.NotMine.class);
        assertThat(parsers.parse("sshd[1]: Accepted publickey")).isInstanceOf(ParseOutcome.NotMine.class);
    }
}
