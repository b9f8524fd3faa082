package io.keel.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class EtcdConfigFileTest {
  private static final Set<String> FLAGS = Set.of("--name", "--data-dir", "--listen-client-urls",
      "--snapshot-count", "--cert-file", "--client-cert-auth", "--peer-cert-file",
      "--peer-client-cert-auth", "--initial-cluster-state");

  private static EtcdConfigFile.Read read(String text) {
    return EtcdConfigFile.read("etcd.yml", text, FLAGS);
  }

  @Test
  void eachKeyIsTheFlagOfTheSameNameAndTlsSectionsAreTheirFlags() {
    var read = read("""
        name: infra1
        data-dir: /var/lib/etcd
        listen-client-urls: http://127.0.0.1:2379,http://127.0.0.1:22379
        snapshot-count: 10000
        initial-cluster-state: 'new'
        client-transport-security:
          cert-file: /etc/ssl/etcd.pem
          client-cert-auth: yes
        peer-transport-security:
          cert-file: /etc/ssl/peer.pem
          client-cert-auth: false
        """);

    assertThat(read.args()).containsExactly("--name=infra1", "--data-dir=/var/lib/etcd",
        "--listen-client-urls=http://127.0.0.1:2379,http://127.0.0.1:22379",
        "--snapshot-count=10000", "--initial-cluster-state=new",
        "--cert-file=/etc/ssl/etcd.pem", "--client-cert-auth=true",
        "--peer-cert-file=/etc/ssl/peer.pem", "--peer-client-cert-auth=false");
    assertThat(read.sources()).containsEntry("--snapshot-count", "etcd.yml:4: snapshot-count")
        .containsEntry("--peer-cert-file", "etcd.yml:10: peer-transport-security.cert-file");
    assertThat(read.warnings()).isEmpty();
  }

  @Test
  void aListIsJoinedAsTheFlagTakesIt() {
    var read = read("""
        listen-client-urls:
          - http://127.0.0.1:2379
          - http://127.0.0.1:22379
        """);

    assertThat(read.args())
        .containsExactly("--listen-client-urls=http://127.0.0.1:2379,http://127.0.0.1:22379");
  }

  @Test
  void keysThatAreNotFlagsAreReportedWithTheirLineAndIgnored() {
    var read = read("""
        name: infra1
        snapshot-cont: 5
        enable-v2: false
        """);

    assertThat(read.args()).containsExactly("--name=infra1");
    assertThat(read.warnings()).containsExactly(
        "etcd.yml:2: 'snapshot-cont' is not a setting of keel store; ignored (did you mean 'snapshot-count'?)",
        "etcd.yml:3: 'enable-v2' is not a setting of keel store; ignored");
  }

  @Test
  void anEmptyFileOrAnEmptyValueSetsNothing() {
    assertThat(read("").args()).isEmpty();
    assertThat(read("# nothing\n").args()).isEmpty();
    assertThat(read("name:\nclient-transport-security:\n").args()).isEmpty();
  }

  @Test
  void aValueThatIsAMappingIsAnErrorNamingItsLine() {
    assertThatThrownBy(() -> read("name: a\ndata-dir:\n  path: /x\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("etcd.yml:3: data-dir: must be a single value or a list of values");
    assertThatThrownBy(() -> read("client-transport-security: yes\n"))
        .hasMessage("etcd.yml:1: client-transport-security: must be a mapping such as 'cert-file: FILE'");
  }

  @Test
  void aFileThatIsNotAMappingOrNotYamlIsAnError() {
    assertThatThrownBy(() -> read("- name: a\n"))
        .hasMessage("etcd.yml:1: must be a mapping of etcd settings, such as 'name: infra1'");
    assertThatThrownBy(() -> read("name: [a\n"))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("etcd.yml:2: not valid YAML");
    assertThatThrownBy(() -> read("name: a\nname: b\n"))
        .isInstanceOf(ConfigException.class).hasMessage("etcd.yml:2: name: given twice (first on line 1)");
  }
}
