package io.keel.lifecycle.locksmith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SemaphoreTest {

    private static final String KEY = LockKeys.GLOBAL;

    private static Semaphore parse(String json) {
        return Semaphore.parse(KEY, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writesLocksmithsJsonExactly() {
        assertThat(new String(Semaphore.initial().toJson(), StandardCharsets.UTF_8))
                .isEqualTo("{\"semaphore\":1,\"max\":1,\"holders\":[]}");
        assertThat(new String(new Semaphore(0, 2, List.of("a", "b")).toJson(), StandardCharsets.UTF_8))
                .isEqualTo("{\"semaphore\":0,\"max\":2,\"holders\":[\"a\",\"b\"]}");
    }

    @Test
    void readsLocksmithsJsonIncludingNullHoldersAndUnknownFields() {
        assertThat(parse("{\"semaphore\":1,\"max\":1,\"holders\":null}")).isEqualTo(Semaphore.initial());
        assertThat(parse("{\"semaphore\":0,\"max\":1,\"holders\":[\"m1\"],\"extra\":true}").holders())
                .containsExactly("m1");
    }

    @Test
    void garbageIsRefusedNamingTheKeyAndTheProblem() {
        assertThatThrownBy(() -> parse("garbage")).isInstanceOf(BadSemaphoreException.class)
                .hasMessageContaining(KEY).hasMessageContaining("garbage");
        assertThatThrownBy(() -> parse("{\"semaphore\":1,\"max\":1,\"holders\":[\"a\"]}"))
                .isInstanceOf(BadSemaphoreException.class).hasMessageContaining("semaphore is 1 but max 1");
        assertThatThrownBy(() -> parse("{\"semaphore\":0,\"max\":2,\"holders\":[\"a\",\"a\"]}"))
                .hasMessageContaining("holder a appears twice");
        assertThatThrownBy(() -> parse("{\"semaphore\":-1,\"max\":-1,\"holders\":[]}"))
                .hasMessageContaining("max is -1");
        assertThatThrownBy(() -> parse("{\"max\":1,\"holders\":[]}")).isInstanceOf(BadSemaphoreException.class)
                .hasMessageContaining("semaphore");
        assertThatThrownBy(() -> parse("null")).isInstanceOf(BadSemaphoreException.class);
    }

    @Test
    void lockTakesSlotsUntilFullThenNamesTheHolders() {
        Semaphore s = Semaphore.ofMax(2).lock("a").lock("b");
        assertThat(s).isEqualTo(new Semaphore(0, 2, List.of("a", "b")));
        assertThatThrownBy(() -> s.lock("c")).isInstanceOf(LockHeldException.class)
                .hasMessage("semaphore is at 0 (max 2): lock held by a, b");
        assertThat(s.lock("a")).isSameAs(s);
    }

    @Test
    void unlockByANonHolderIsRefused() {
        Semaphore s = Semaphore.initial().lock("a");
        assertThat(s.unlock("a")).isEqualTo(Semaphore.initial());
        assertThatThrownBy(() -> s.unlock("b")).isInstanceOf(NotHolderException.class)
                .hasMessage("lock not held by b (held by a)");
    }

    @Test
    void setMaxMovesTheFreeCountLikeLocksmith() {
        Semaphore s = Semaphore.ofMax(3).lock("a").lock("b");
        assertThat(s.withMax(1)).isEqualTo(new Semaphore(-1, 1, List.of("a", "b")));
        assertThat(s.withMax(5).semaphore()).isEqualTo(3);
        assertThatThrownBy(() -> s.withMax(-1)).hasMessageContaining("max must be 0 or more");
        assertThatThrownBy(() -> s.withMax(1).lock("c")).isInstanceOf(LockHeldException.class);
        assertThat(s.without(Set.of("a", "zz"))).isEqualTo(new Semaphore(2, 3, List.of("b")));
    }
}
