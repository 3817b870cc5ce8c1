package dev.mamori.detectors.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void csvStopsAfterTheFieldsAskedFor() {
        assertThat(LogText.csv("x a,\"b,\"\"c\",d,e", 2, 2)).containsExactly("a", "b,\"c");
        assertThat(LogText.csv("a,b", 0, 5)).containsExactly("a", "b");
        assertThat(LogText.csv("a,b,", 0, 3)).containsExactly("a", "b", "");
        assertThat(LogText.csv("a,b,", 0, 2)).containsExactly("a", "b");
        assertThat(LogText.csv("", 0, 2)).containsExactly("");
    }
}
