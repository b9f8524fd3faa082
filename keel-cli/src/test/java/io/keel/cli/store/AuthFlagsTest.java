package io.keel.cli.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.cli.KeelInProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** etcd's {@code --auth-token} and {@code --auth-token-ttl}: bad values refused before anything starts. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AuthFlagsTest {
  @TempDir Path dir;

  @Test
  void jwtTokensAreRefusedNamingTheFlag() {
    var result = KeelInProcess.store(dir.resolve("data"), "--auth-token",
        "jwt,pub-key=app.rsa.pub,priv-key=app.rsa,sign-method=RS256");

    assertThat(result.exit()).isNotZero();
    assertThat(result.stderr()).contains("--auth-token 'jwt,pub-key=app.rsa.pub")
        .contains("only simple tokens are supported");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void aTokenTtlBelowOneSecondIsRefused() {
    var result = KeelInProcess.store(dir.resolve("data"), "--auth-token-ttl", "0");

    assertThat(result.exit()).isNotZero();
    assertThat(result.stderr()).contains("--auth-token-ttl must be at least 1 second, not 0");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void aTokenTtlThatIsNotANumberIsRefusedNamingTheFlag() {
    var result = KeelInProcess.store(dir.resolve("data"), "--auth-token-ttl", "5m");

    assertThat(result.exit()).isNotZero();
    assertThat(result.stderr()).contains("--auth-token-ttl").contains("'5m'");
    assertThat(dir.resolve("data")).doesNotExist();
  }
}
