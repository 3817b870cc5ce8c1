package dev.mamori.detectors.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.detectors.registry.Rules;
import dev.mamori.detectors.rule.RuleSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MessageCatalogTest {

    @ParameterizedTest
    @EnumSource(Language.class)
    void everyRuleHasNameMessageAndRecommendationInEveryLanguage(Language language) {
        MessageCatalog catalog = MessageCatalog.load(language);
        for (RuleSpec<?> rule : Rules.ALL) {
            for (String part : new String[] {"name", "message", "recommendation"}) {
                assertThat(catalog.defines(rule.id() + "." + part))
                        .as("%s: %s.%s", language, rule.id(), part)
                        .isTrue();
            }
        }
    }

    @Test
    void japaneseCatalogIsReadAsUtf8() {
        MessageCatalog ja = MessageCatalog.load(Language.JA);
        assertThat(ja.name("ad.log_cleared")).isEqualTo("イベントログの削除");
        assertThat(ja.recommendation("ad.forged_ticket")).contains("krbtgt");
    }

    @Test
    void placeholdersAreFilledPlainlyWithoutGroupingOrQuoteRules() {
        assertThat(MessageCatalog.format("{0} to {1}:{2} ({3} attempts)", "10.0.0.5", "192.0.2.1", 8080, 12345))
                .isEqualTo("10.0.0.5 to 192.0.2.1:8080 (12345 attempts)");
        assertThat(MessageCatalog.format("it's {0}", "here")).isEqualTo("it's here");
        assertThat(MessageCatalog.format("{1} then {0}", "a", "b")).isEqualTo("b then a");
    }

    @Test
    void missingArgumentsAndNonPlaceholderBracesAreLeftHarmless() {
        assertThat(MessageCatalog.format("{0} and {1}", "only")).isEqualTo("only and ");
        assertThat(MessageCatalog.format("{x} {} {123}", "a")).isEqualTo("{x} {} {123}");
    }

    @Test
    void backslashInAccountNamesSurvivesTheProperties() {
        MessageCatalog en = MessageCatalog.load(Language.EN);
        assertThat(en.message("ad.unexpected_privilege", "CORP", "alice", "dc01"))
                .isEqualTo("Account CORP\\alice received special privileges on dc01");
    }
}
