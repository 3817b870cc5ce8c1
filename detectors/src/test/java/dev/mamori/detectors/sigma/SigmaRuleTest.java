package dev.mamori.detectors.sigma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every value modifier and condition form, from the Sigma specification's wording. */
class SigmaRuleTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** A rule on Security events with this detection (YAML, indented under detection:). */
    private static SigmaRule rule(String detection) throws Exception {
        String yaml = "title: t\nid: 00000000-0000-0000-0000-000000000001\nlevel: high\n"
                + "tags: [attack.execution, attack.t1059.001]\n"
                + "logsource: {product: windows, service: security}\ndetection:\n" + detection.indent(4);
        return SigmaRule.compile(YAML.readTree(yaml), Path.of("t.yml"));
    }

    private static SigmaEvent event(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return SigmaEvent.of(m);
    }

    private static boolean matches(String detection, String... kv) throws Exception {
        return rule(detection).matches(event(kv));
    }

    @Test
    void metadata() throws Exception {
        SigmaRule r = rule("sel: {A: x}\ncondition: sel\n");
        assertThat(r.level()).isEqualTo(dev.mamori.detectors.alert.Severity.HIGH);
        assertThat(r.techniques()).containsExactly("T1059.001");
        assertThat(r.logsource().routes()).extracting(Logsource.Route::channel).containsExactly("security");
    }

    @Test
    void plainValuesAreWholeCaseInsensitiveMatchesWithWildcardsAndEscapes() throws Exception {
        assertThat(matches("sel: {Image: 'C:\\Windows\\cmd.exe'}\ncondition: sel", "Image", "c:\\windows\\CMD.EXE"))
                .isTrue();
        assertThat(matches("sel: {Image: 'cmd.exe'}\ncondition: sel", "Image", "C:\\cmd.exe"))
                .isFalse();
        assertThat(matches("sel: {Image: '*\\cmd.exe'}\ncondition: sel", "Image", "C:\\x\\cmd.exe"))
                .isTrue();
        assertThat(matches("sel: {A: 'a?c'}\ncondition: sel", "A", "abc")).isTrue();
        assertThat(matches("sel: {A: 'a?c'}\ncondition: sel", "A", "abbc")).isFalse();
        assertThat(matches("sel: {A: 'a\\*c'}\ncondition: sel", "A", "a*c")).isTrue();
        assertThat(matches("sel: {A: 'a\\*c'}\ncondition: sel", "A", "abc")).isFalse();
        assertThat(matches("sel: {A: 'a\\\\*'}\ncondition: sel", "A", "a\\anything"))
                .isTrue();
        assertThat(matches("sel: {A: [x, y]}\ncondition: sel", "A", "Y")).isTrue();
        assertThat(matches("sel: {A: 4688}\ncondition: sel", "A", "4688")).isTrue();
    }

    @Test
    void containsStartsWithEndsWithAllAndCased() throws Exception {
        assertThat(matches("sel: {C|contains: ' /transfer '}\ncondition: sel", "C", "bits  /TRANSFER x"))
                .isTrue();
        assertThat(matches("sel: {C|contains: ':\\Users\\Public\\'}\ncondition: sel", "C", "C:\\Users\\Public\\a.dll"))
                .as("a value ending in a backslash does not escape the wildcard contains adds")
                .isTrue();
        assertThat(matches("sel: {C|startswith: 'ab'}\ncondition: sel", "C", "ABc"))
                .isTrue();
        assertThat(matches("sel: {C|endswith: 'ab'}\ncondition: sel", "C", "cAB"))
                .isTrue();
        assertThat(matches("sel: {C|endswith: 'ab'}\ncondition: sel", "C", "abc"))
                .isFalse();
        assertThat(matches("sel: {C|contains|all: [a, b]}\ncondition: sel", "C", "xaxbx"))
                .isTrue();
        assertThat(matches("sel: {C|contains|all: [a, b]}\ncondition: sel", "C", "xax"))
                .isFalse();
        assertThat(matches("sel: {C|cased: Abc}\ncondition: sel", "C", "abc")).isFalse();
        assertThat(matches("sel: {C|contains|cased: Abc}\ncondition: sel", "C", "xAbcx"))
                .isTrue();
    }

    @Test
    void regularExpressionsWithFlags() throws Exception {
        assertThat(matches("sel: {C|re: 'a.c'}\ncondition: sel", "C", "xabcx")).isTrue();
        assertThat(matches("sel: {C|re: 'ABC'}\ncondition: sel", "C", "abc"))
                .as("re is case-sensitive")
                .isFalse();
        assertThat(matches("sel: {C|re|i: 'ABC'}\ncondition: sel", "C", "abc")).isTrue();
        assertThat(matches("sel: {C|re|s: 'a.b'}\ncondition: sel", "C", "a\nb")).isTrue();
        assertThat(matches("sel: {C|re|m: '^b$'}\ncondition: sel", "C", "a\nb")).isTrue();
        assertThatThrownBy(() -> rule("sel: {C|re: '('}\ncondition: sel"))
                .isInstanceOf(SigmaException.class)
                .hasMessageStartingWith("re: ");
    }

    @Test
    void base64OffsetsAndWideEncodings() throws Exception {
        String whole = Base64.getEncoder().encodeToString("xxhello worldyy".getBytes(StandardCharsets.UTF_8));
        assertThat(matches("sel: {C|base64offset|contains: 'hello world'}\ncondition: sel", "C", whole))
                .isTrue();
        String plain = Base64.getEncoder().encodeToString("ping".getBytes(StandardCharsets.UTF_8));
        assertThat(matches("sel: {C|base64: 'ping'}\ncondition: sel", "C", plain))
                .isTrue();
        String wide = Base64.getEncoder().encodeToString("Invoke".getBytes(StandardCharsets.UTF_16LE));
        assertThat(matches("sel: {C|wide|base64: 'Invoke'}\ncondition: sel", "C", wide))
                .isTrue();
        assertThat(matches("sel: {C|utf16le|base64: 'Invoke'}\ncondition: sel", "C", wide))
                .isTrue();
        assertThatThrownBy(() -> rule("sel: {C|wide: 'x'}\ncondition: sel")).hasMessageContaining("without base64");
    }

    @Test
    void windashCidrNumbersExistsFieldrefAndNull() throws Exception {
        String windash = "sel: {C|windash|contains: ' -enc '}\ncondition: sel";
        assertThat(matches(windash, "C", "powershell /enc AA")).isTrue();
        assertThat(matches(windash, "C", "powershell \u2013enc AA")).isTrue();
        assertThat(matches(windash, "C", "powershell -enc AA")).isTrue();
        assertThat(matches("sel: {Ip|cidr: 10.0.0.0/8}\ncondition: sel", "Ip", "10.2.3.4"))
                .isTrue();
        assertThat(matches("sel: {Ip|cidr: 10.0.0.0/8}\ncondition: sel", "Ip", "11.2.3.4"))
                .isFalse();
        assertThat(matches("sel: {N|gt: 10}\ncondition: sel", "N", "11")).isTrue();
        assertThat(matches("sel: {N|lte: 10}\ncondition: sel", "N", "11")).isFalse();
        assertThat(matches("sel: {N|gte: 10}\ncondition: sel", "N", "x")).isFalse();
        assertThat(matches("sel: {A|exists: true}\ncondition: sel", "A", "")).isTrue();
        assertThat(matches("sel: {A|exists: false}\ncondition: sel", "B", "1")).isTrue();
        assertThat(matches("sel: {A|fieldref: B}\ncondition: sel", "A", "x", "B", "x"))
                .isTrue();
        assertThat(matches("sel: {A|fieldref: B}\ncondition: sel", "A", "x", "B", "y"))
                .isFalse();
        assertThat(matches("sel: {A: null}\ncondition: sel", "B", "1")).isTrue();
        assertThat(matches("sel: {A: null}\ncondition: sel", "A", "1")).isFalse();
    }

    @Test
    void conditionsAndKeywords() throws Exception {
        String d = """
                sel_a: {A: 1}
                sel_b: {B: 2}
                filter: {C: 3}
                kw: [mimikatz, 'sekurlsa::*']
                condition: (1 of sel_* and not filter) or kw
                """;
        assertThat(matches(d, "A", "1")).isTrue();
        assertThat(matches(d, "A", "1", "C", "3")).isFalse();
        assertThat(matches(d, "X", "run Mimikatz now")).isTrue();
        assertThat(matches(d, "X", "sekurlsa::logonpasswords")).isTrue();
        String all = "sel_a: {A: 1}\nsel_b: {B: 2}\ncondition: all of sel_*";
        assertThat(matches(all, "A", "1")).isFalse();
        assertThat(matches(all, "A", "1", "B", "2")).isTrue();
        assertThat(matches("s1: {A: 1}\ns2: {B: 2}\ncondition: 1 of them", "B", "2"))
                .isTrue();
        assertThat(matches("s1: {A: 1}\ns2: {B: 2}\ncondition: all of them", "B", "2"))
                .isFalse();
        assertThat(matches("s: [{A: 1}, {B: 2}]\ncondition: s", "B", "2"))
                .as("a list of maps is any")
                .isTrue();
        assertThat(matches("s: {A: 1}\ncondition: [s, not s]", "A", "9"))
                .as("a list of conditions is any")
                .isTrue();
        assertThat(matches("a: {A: 1}\nb: {B: 2}\nc: {C: 3}\ncondition: a or b and c", "A", "1"))
                .as("and binds tighter than or")
                .isTrue();
    }

    @Test
    void theEventIdsADetectionDemandsRouteTheRule() throws Exception {
        assertThat(rule("sel: {EventID: 4624, LogonType: 3}\nfilter: {A: x}\ncondition: sel and not filter")
                        .eventIds())
                .containsExactly(4624);
        assertThat(rule("sel: {EventID: [4624, 4625]}\ncondition: sel").eventIds())
                .containsExactlyInAnyOrder(4624, 4625);
        assertThat(rule("sel: {EventID: 4624}\nother: {A: x}\ncondition: sel or other")
                        .eventIds())
                .as("an or leaves the id open")
                .isEmpty();
        assertThat(rule("sel: {EventID: 4624}\ncondition: not sel").eventIds()).isEmpty();
        assertThat(rule("sel: {EventID|gt: 4000}\ncondition: sel").eventIds()).isEmpty();
    }

    @Test
    void whatCannotBeCompiledIsRefusedWithItsReason() {
        assertThatThrownBy(() -> rule("s: {A|foo: 1}\ncondition: s")).hasMessage("unknown value modifier 'foo'");
        assertThatThrownBy(() -> rule("s: {A|expand: '%x%'}\ncondition: s")).hasMessageContaining("expand");
        assertThatThrownBy(() -> rule("s: {A: 1}\ncondition: s | count() > 5"))
                .hasMessageContaining("correlation rule");
        assertThatThrownBy(() -> rule("s: {A: 1}\ncondition: t")).hasMessageContaining("unknown search identifier 't'");
        assertThatThrownBy(() -> rule("s: {A: 1}\ncondition: (s")).hasMessageContaining("missing ')'");
        assertThatThrownBy(() -> rule("s: {A: 1}\ncondition: 1 of x*"))
                .hasMessageContaining("names no search identifier");
        assertThatThrownBy(() -> SigmaRule.compile(
                        YAML.readTree(
                                "title: t\nid: x\nlogsource: {product: linux}\ndetection: {s: {A: 1}, condition: s}"),
                        Path.of("t.yml")))
                .hasMessageContaining("not a source Mamori reads");
    }

    @Test
    void processCreationReadsSysmonOneAndSecurity4688UnderOneSetOfNames() throws Exception {
        SigmaRule r = SigmaRule.compile(
                YAML.readTree("title: t\nid: x\nlogsource: {product: windows, category: process_creation}\n"
                        + "detection: {s: {Image|endswith: '\\whoami.exe'}, condition: s}"),
                Path.of("t.yml"));
        assertThat(r.logsource().routes())
                .extracting(Logsource.Route::channel, Logsource.Route::eventIds)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Logsource.SYSMON, java.util.Set.of(1)),
                        org.assertj.core.groups.Tuple.tuple("security", java.util.Set.of(4688)));
        dev.mamori.detectors.windows.WindowsEvent e4688 = new dev.mamori.detectors.windows.WindowsEvent(
                4688,
                "Microsoft-Windows-Security-Auditing",
                "Security",
                "PC1",
                java.time.Instant.EPOCH,
                1,
                Map.of("NewProcessName", "C:\\Windows\\System32\\whoami.exe"),
                "xml",
                "<Event/>");
        java.util.List<String> fired = new java.util.ArrayList<>();
        SigmaTesting.engine(r)
                .windows(
                        e4688,
                        a -> fired.add(a.ruleId() + " " + a.field(dev.mamori.detectors.alert.AlertField.HOST_NAME)));
        assertThat(fired).containsExactly("sigma:x PC1");
    }
}
