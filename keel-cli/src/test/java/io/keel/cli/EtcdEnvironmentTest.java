package io.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EtcdEnvironmentTest {
  private static final Set<String> FLAGS = Set.of("--name", "--data-dir", "--initial-cluster-state",
      "--client-cert-auth", "--snapshot-count");

  @Test
  void eachVariableBecomesItsFlagBeforeTheCommandLine() {
    var applied = EtcdEnvironment.apply(List.of("--snapshot-count", "5"), Map.of(
        "ETCD_NAME", "infra1", "ETCD_DATA_DIR", "/var/lib/etcd",
        "ETCD_INITIAL_CLUSTER_STATE", "existing", "ETCD_CLIENT_CERT_AUTH", "true"), FLAGS);

    assertThat(applied.args()).containsExactly("--client-cert-auth=true", "--data-dir=/var/lib/etcd",
        "--initial-cluster-state=existing", "--name=infra1", "--snapshot-count", "5");
    assertThat(applied.used()).containsExactly("ETCD_CLIENT_CERT_AUTH=true",
        "ETCD_DATA_DIR=/var/lib/etcd", "ETCD_INITIAL_CLUSTER_STATE=existing", "ETCD_NAME=infra1");
    assertThat(applied.fromVariables()).containsEntry("--data-dir", "ETCD_DATA_DIR")
        .doesNotContainKey("--snapshot-count");
    assertThat(applied.warnings()).isEmpty();
  }

  @Test
  void aVariableWhoseFlagIsOnTheCommandLineIsRefusedInEtcdsWords() {
    for (var given : List.of(List.of("--name", "x"), List.of("--name=x"))) {
      assertThatThrownBy(() -> EtcdEnvironment.apply(given, Map.of("ETCD_NAME", "y"), FLAGS))
          .hasMessage("conflicting environment variable \"ETCD_NAME\" is shadowed by corresponding"
              + " command-line flag (either unset environment variable or disable flag)");
    }
  }

  @Test
  void aVariableThatNamesNoFlagIsReportedAndIgnored() {
    var applied = EtcdEnvironment.apply(List.of(), Map.of("ETCD_NAMES", "x"), FLAGS);

    assertThat(applied.args()).isEmpty();
    assertThat(applied.warnings()).containsExactly("unrecognized environment variable ETCD_NAMES=x");
  }

  @Test
  void otherVariablesAreNotEtcds() {
    var applied = EtcdEnvironment.apply(List.of("--name", "n"),
        Map.of("ETCDCTL_API", "3", "PATH", "/bin", "etcd_name", "lower"), FLAGS);

    assertThat(applied.args()).containsExactly("--name", "n");
    assertThat(applied.warnings()).isEmpty();
  }

  @Test
  void aFlagAfterTheEndOfOptionsIsNotGiven() {
    assertThat(EtcdEnvironment.given(List.of("--", "--name"), "--name")).isFalse();
    assertThat(EtcdEnvironment.given(List.of("--named"), "--name")).isFalse();
  }

  @Test
  void variableAndFlagNamesMapBothWays() {
    assertThat(EtcdEnvironment.variableOf("--initial-advertise-peer-urls"))
        .isEqualTo("ETCD_INITIAL_ADVERTISE_PEER_URLS");
    assertThat(EtcdEnvironment.flagOf("ETCD_INITIAL_ADVERTISE_PEER_URLS"))
        .isEqualTo("--initial-advertise-peer-urls");
  }
}
