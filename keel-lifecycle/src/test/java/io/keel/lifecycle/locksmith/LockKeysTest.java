package io.keel.lifecycle.locksmith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LockKeysTest {

    @Test
    void locksmithsKeys() {
        assertThat(LockKeys.forGroup("")).isEqualTo("coreos.com/updateengine/rebootlock/semaphore");
        assertThat(LockKeys.forGroup(null)).isEqualTo(LockKeys.GLOBAL);
        assertThat(LockKeys.forGroup("web-1.a_b"))
                .isEqualTo("coreos.com/updateengine/rebootlock/groups/web-1.a_b/semaphore");
        assertThat(LockKeys.forFleetLockGroup("default")).isEqualTo(LockKeys.GLOBAL);
        assertThat(LockKeys.forFleetLockGroup("workers")).isEqualTo(LockKeys.forGroup("workers"));
    }

    @Test
    void badGroupsAreRefused() {
        assertThatThrownBy(() -> LockKeys.forGroup("a/b")).hasMessageContaining("group 'a/b' is invalid");
        assertThatThrownBy(() -> LockKeys.forGroup("..")).hasMessageContaining("group '..' is invalid");
        assertThatThrownBy(() -> LockKeys.forFleetLockGroup("")).hasMessageContaining("group is missing");
        assertThatThrownBy(() -> LockKeys.forGroup("x".repeat(64))).hasMessageContaining("is invalid");
    }

    @Test
    void recognisesSemaphoreKeys() {
        assertThat(LockKeys.isSemaphoreKey(LockKeys.GLOBAL)).isTrue();
        assertThat(LockKeys.isSemaphoreKey(LockKeys.forGroup("g"))).isTrue();
        assertThat(LockKeys.isSemaphoreKey(LockKeys.GROUPS + "g/other")).isFalse();
        assertThat(LockKeys.isSemaphoreKey(LockKeys.GROUPS + "a/b/semaphore")).isFalse();
    }
}
