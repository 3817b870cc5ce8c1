package dev.mamori.sensor.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void passwordsAndQueryValuesAreHiddenTheRestKept() {
        assertThat(Secrets.redactUrl("https://soc:hunter2@hooks.example:8443/in?token=abc&team=x"))
                .isEqualTo("https://soc:****@hooks.example:8443/in?token=****&team=****");
        assertThat(Secrets.redactUrl("https://hooks.example/in")).isEqualTo("https://hooks.example/in");
        assertThat(Secrets.redactUrl("https://user@hooks.example/in?flag"))
                .isEqualTo("https://user@hooks.example/in?flag");
        assertThat(Secrets.redactUrl("http://a b@c"))
                .as("unparsable: nothing shown")
                .isEqualTo("****");
        assertThat(Secrets.redactUrl(null)).isNull();
    }
}
