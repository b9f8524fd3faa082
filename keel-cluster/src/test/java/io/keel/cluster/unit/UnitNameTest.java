package io.keel.cluster.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UnitNameTest {

    @Test
    void plainUnit() {
        UnitName name = UnitName.parse("hello.service");
        assertThat(name.isTemplate()).isFalse();
        assertThat(name.isInstance()).isFalse();
        assertThat(name.template()).isEmpty();
        assertThat(name.prefix()).isEqualTo("hello");
        assertThat(name.instance()).isEmpty();
        assertThat(name.nameWithoutSuffix()).isEqualTo("hello");
        assertThat(name.suffix()).isEqualTo("service");
        assertThat(name).hasToString("hello.service");
    }

    @Test
    void template() {
        UnitName name = UnitName.parse("web@.service");
        assertThat(name.isTemplate()).isTrue();
        assertThat(name.isInstance()).isFalse();
        assertThat(name.template()).isEmpty();
        assertThat(name.prefix()).isEqualTo("web");
        assertThat(name.instance()).isEmpty();
        assertThat(name.nameWithoutSuffix()).isEqualTo("web@");
    }

    @Test
    void instanceKnowsItsTemplate() {
        UnitName name = UnitName.parse("web@1.service");
        assertThat(name.isInstance()).isTrue();
        assertThat(name.isTemplate()).isFalse();
        assertThat(name.template()).contains(UnitName.parse("web@.service"));
        assertThat(name.prefix()).isEqualTo("web");
        assertThat(name.instance()).isEqualTo("1");
        assertThat(name.nameWithoutSuffix()).isEqualTo("web@1");
    }

    @Test
    void instanceIsEverythingAfterTheFirstAt() {
        UnitName name = UnitName.parse("foo@bar@baz.socket");
        assertThat(name.prefix()).isEqualTo("foo");
        assertThat(name.instance()).isEqualTo("bar@baz");
        assertThat(name.template()).contains(UnitName.parse("foo@.socket"));
    }

    @Test
    void instanceMayContainDots() {
        UnitName name = UnitName.parse("backup@db.example.com.timer");
        assertThat(name.instance()).isEqualTo("db.example.com");
        assertThat(name.suffix()).isEqualTo("timer");
    }

    @Test
    void unescapedTurnsDashesIntoSlashes() {
        assertThat(UnitName.parse("var-lib-data.mount").unescaped()).isEqualTo("var/lib/data");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.service", "a.socket", "a.timer", "a.path", "a.mount", "a.automount", "a.device",
        "a.target", "a.swap", "a.slice", "a.scope", "A-b_c:d.e@f.service"})
    void acceptsSystemdSuffixesAndFleetCharacters(String value) {
        assertThat(UnitName.parse(value).value()).isEqualTo(value);
    }

    @Test
    void rejectsMissingSuffix() {
        assertThatThrownBy(() -> UnitName.parse("hello"))
                .isInstanceOf(UnitFileException.class)
                .hasMessageContaining("\"hello\"")
                .hasMessageContaining("suffix");
    }

    @Test
    void rejectsUnknownSuffix() {
        assertThatThrownBy(() -> UnitName.parse("hello.unknown"))
                .isInstanceOf(UnitFileException.class).hasMessageContaining("suffix");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello world.service", "a/b.service", "ü.service", "a\\x2d.service", "a$.service"})
    void rejectsCharactersOutsideFleetsSet(String value) {
        assertThatThrownBy(() -> UnitName.parse(value))
                .isInstanceOf(UnitFileException.class).hasMessageContaining("contains");
    }

    @ParameterizedTest
    @ValueSource(strings = {".service", "@.service", "@1.service"})
    void rejectsEmptyPrefix(String value) {
        assertThatThrownBy(() -> UnitName.parse(value))
                .isInstanceOf(UnitFileException.class).hasMessageContaining("empty prefix");
    }

    @Test
    void rejectsEmptyAndOverlongNames() {
        assertThatThrownBy(() -> UnitName.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> UnitName.parse("a".repeat(250) + ".service")).hasMessageContaining("longer than 255");
        assertThat(UnitName.parse("a".repeat(247) + ".service").value()).hasSize(255);
    }

    @Test
    void ordersByValue() {
        assertThat(UnitName.parse("a.service")).isLessThan(UnitName.parse("b.service"));
    }
}
