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

    /**
     * Texts kept after the first lookup say what the catalog says, asked once, again, or past the
     * number kept: a variant the catalog lacks falls back to the plain message, a key it lacks to
     * the rule id (or, for recommendations, to nothing).
     */
    @Test
    void keptTextsStayWhatTheCatalogSays() {
        MessageCatalog ja = MessageCatalog.load(Language.JA);
        for (int twice = 0; twice < 2; twice++) {
            assertThat(ja.variantMessage("ad.off_hours_auth", "remote_interactive", "u", "h", "03:00"))
                    .isEqualTo("アカウント u が業務時間外の 03:00 にリモートデスクトップで h にログオンしました");
            assertThat(ja.variantMessage("ad.off_hours_auth", "no_such_variant", "u", "h", "03:00"))
                    .isEqualTo(ja.message("ad.off_hours_auth", "u", "h", "03:00"))
                    .isEqualTo(ja.variantMessage("ad.off_hours_auth", null, "u", "h", "03:00"))
                    .contains("u")
                    .isNotEqualTo("ad.off_hours_auth");
            assertThat(ja.name("ad.log_cleared")).isEqualTo("イベントログの削除");
            assertThat(ja.text("hours", 2)).isNotBlank().isNotEqualTo("hours");
        }
        for (int i = 0; i < MessageCatalog.MAX_KEPT + 20; i++) {
            String id = "no.such_rule_" + i;
            assertThat(ja.name(id)).isEqualTo(id);
            assertThat(ja.message(id)).isEqualTo(id);
            assertThat(ja.recommendation(id)).isEmpty();
            assertThat(ja.variantMessage("ad.off_hours_auth", "v" + i, "u", "h", "03:00"))
                    .isEqualTo(ja.message("ad.off_hours_auth", "u", "h", "03:00"));
            assertThat(ja.text("no_such_word_" + i)).isEqualTo("no_such_word_" + i);
        }
        assertThat(ja.name("ad.log_cleared")).isEqualTo("イベントログの削除");
        assertThat(ja.text("hours", 2)).isNotEqualTo("hours");
    }
}
