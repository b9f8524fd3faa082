package io.keel.cluster.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GlobTest {

    @ParameterizedTest
    @CsvSource({
        "web@*.service, web@1.service, true",
        "web@*.service, web@.service, true",
        "web@*.service, api@1.service, false",
        "*, anything.service, true",
        "monitor*, monitor-a.service, true",
        "web@?.service, web@1.service, true",
        "web@?.service, web@12.service, false",
        "web@[0-4].service, web@3.service, true",
        "web@[0-4].service, web@5.service, false",
        "web@[^0-4].service, web@5.service, true",
        "web@[^0-4].service, web@3.service, false",
        "web@[ab].service, web@b.service, true",
        "a.service, a.service, true",
        "a.service, ab.service, false",
        "a\\*.service, a*.service, true",
        "a\\*.service, ab.service, false",
        "a.service, aXservice, false",
    })
    void matchesLikeGoPathMatch(String pattern, String name, boolean expected) {
        assertThat(Glob.compile(pattern).matches(name)).isEqualTo(expected);
    }

    @Test
    void knowsItsLiteralPrefix() {
        assertThat(Glob.compile("web@*.service").literalPrefix()).isEqualTo("web@");
        assertThat(Glob.compile("web@*.service").isLiteral()).isFalse();
        assertThat(Glob.compile("a.service").literalPrefix()).isEqualTo("a.service");
        assertThat(Glob.compile("a.service").isLiteral()).isTrue();
        assertThat(Glob.compile("a\\*b").literalPrefix()).isEqualTo("a*b");
        assertThat(Glob.compile("*").literalPrefix()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"web@[.service", "web@[].service", "trailing\\", "a[b-a]", "a[-]"})
    void rejectsMalformedPatterns(String pattern) {
        assertThatThrownBy(() -> Glob.compile(pattern))
                .isInstanceOf(UnitFileException.class)
                .hasMessageContaining(pattern);
    }
}
