package dev.mamori.detectors.evtx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mamori.detectors.windows.WindowsEvent;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvtxReaderTest {

    private static final Instant T = Instant.parse("2026-12-01T01:02:03.4567891Z");

    private static EvtxWriter.Event logon(int id, String user, String ip, int second) {
        return new EvtxWriter.Event(id, "Security", "DC01.corp.example.com", T.plusSeconds(second), user, ip);
    }

    private static byte[] twoChunks() {
        return new EvtxWriter()
                .chunk(logon(4624, "alice", "10.1.2.3", 0), logon(4625, "bob", null, 1), logon(4624, "carol", "::1", 2))
                .chunk(logon(4769, "dave", "10.9.9.9", 3))
                .bytes();
    }

    private static List<WindowsEvent> read(byte[] file, EvtxReader.Summary[] summary) throws Exception {
        List<WindowsEvent> out = new ArrayList<>();
        summary[0] = EvtxReader.read(ByteBuffer.wrap(file), out::add);
        return out;
    }

    @Test
    void readsEveryRecordThroughInlineAndReferencedTemplates() throws Exception {
        EvtxReader.Summary[] s = new EvtxReader.Summary[1];
        List<WindowsEvent> events = read(twoChunks(), s);
        assertThat(s[0].damaged()).as(s[0].problems().toString()).isFalse();
        assertThat(s[0].records()).isEqualTo(4);
        assertThat(s[0].chunks()).isEqualTo(2);
        assertThat(events).extracting(WindowsEvent::eventId).containsExactly(4624, 4625, 4624, 4769);
        assertThat(events).extracting(WindowsEvent::recordId).containsExactly(1L, 2L, 3L, 4L);
        WindowsEvent first = events.get(0);
        assertThat(first.channel()).isEqualTo("Security");
        assertThat(first.computer()).isEqualTo("DC01.corp.example.com");
        assertThat(first.provider()).isEqualTo("Microsoft-Windows-Security-Auditing");
        assertThat(first.time())
                .as("to the 100 ns of a FILETIME")
                .isEqualTo(Instant.parse("2026-12-01T01:02:03.4567891Z"));
        assertThat(first.data()).isEqualTo(Map.of("TargetUserName", "alice", "IpAddress", "10.1.2.3"));
        assertThat(first.form()).isEqualTo("evtx");
        assertThat(first.original())
                .startsWith(
                        "<Event><System><Provider Name=\"Microsoft-Windows-Security-Auditing\"/><EventID>4624</EventID>")
                .contains("<TimeCreated SystemTime=\"2026-12-01T01:02:03.4567891Z\"/>")
                .contains("<Data Name=\"TargetUserName\">alice</Data>");
        assertThat(events.get(1).data())
                .as("an optional substitution without a value leaves the element empty")
                .isEqualTo(Map.of("TargetUserName", "bob", "IpAddress", ""));
        assertThat(events.get(3).data()).containsEntry("TargetUserName", "dave");
    }

    @Test
    void aChunkWithADamagedHeaderIsSkippedAndTheRestRead() throws Exception {
        byte[] file = twoChunks();
        file[4096 + 16] ^= 0x01; // the first chunk's last record number: its header CRC no longer matches
        EvtxReader.Summary[] s = new EvtxReader.Summary[1];
        List<WindowsEvent> events = read(file, s);
        assertThat(events).extracting(WindowsEvent::recordId).containsExactly(4L);
        assertThat(s[0].chunksSkipped()).isEqualTo(1);
        assertThat(s[0].problems()).containsExactly("chunk 0: header CRC mismatch");
    }

    @Test
    void aRecordThatCannotBeReadIsSkippedAndCountedTheOthersRead() throws Exception {
        byte[] file = twoChunks();
        ByteBuffer b = ByteBuffer.wrap(file).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int first = 4096 + 512;
        int second = first + b.getInt(first + 4);
        file[second + 24 + 4] = 0x55; // the second record's template instance token: no such token
        EvtxReader.Summary[] s = new EvtxReader.Summary[1];
        List<WindowsEvent> events = read(file, s);
        assertThat(events).extracting(WindowsEvent::recordId).containsExactly(1L, 3L, 4L);
        assertThat(s[0].recordsSkipped()).isEqualTo(1);
        assertThat(s[0].chunksCrcMismatch())
                .as("the record data CRC no longer matches")
                .isEqualTo(1);
        assertThat(s[0].problems()).anyMatch(p -> p.startsWith("chunk 0: record 2: unexpected token 0x55"));
    }

    @Test
    void aRecordWhoseSizeIsWrongEndsItsChunkNotTheFile() throws Exception {
        byte[] file = twoChunks();
        ByteBuffer b = ByteBuffer.wrap(file).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(4096 + 512 + 4, 70_000);
        EvtxReader.Summary[] s = new EvtxReader.Summary[1];
        assertThat(read(file, s)).extracting(WindowsEvent::recordId).containsExactly(4L);
        assertThat(s[0].recordsSkipped()).isEqualTo(1);
    }

    @Test
    void otherFilesAreRefusedAndRecognisedByTheirFirstBytes() {
        assertThat(EvtxReader.isEvtx(twoChunks())).isTrue();
        assertThat(EvtxReader.isEvtx("<Event>".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .isFalse();
        assertThatThrownBy(() -> EvtxReader.read(ByteBuffer.wrap(new byte[5000]), e -> {}))
                .isInstanceOf(EvtxException.class)
                .hasMessageContaining("ElfFile");
        byte[] truncated = java.util.Arrays.copyOf(twoChunks(), 4096 + 30_000);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                        () -> EvtxReader.read(ByteBuffer.wrap(truncated), e -> {})))
                .as("a half chunk at the end is not read, nothing breaks")
                .isNull();
    }
}
