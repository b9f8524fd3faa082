package io.keel.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.cli.config.MachineConfig.UnitCommand;
import io.keel.lifecycle.locksmith.Strategy;
import io.keel.lifecycle.update.Channel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudConfigParserTest {
  static final String FULL = """
      #cloud-config
      keel:
        endpoints: [http://127.0.0.1:2379, 10.0.0.2:2379]
        machine-id: web-1
        metadata: {rack: a, role: web}
        capacity: {cpu: "2", memory: 4G}
        api-listen: 127.0.0.1:7070
        agent-ttl: 30s
        agent: false
        update: {server: "http://updates.example:8080", channel: stable, public-key: /etc/keel/release.pub}
        reboot: {strategy: etcd-lock, window-start: "Thu 04:00", window-length: 1h30m, group: web}
      units:
        - name: web@1.service
          command: start
          content: |
            [Container]
            Image=busybox:latest
        - name: db.service
          command: load
      write_files:
        - path: /etc/app.conf
          permissions: "0600"
          owner: root:root
          content: "a=1\\n"
        - path: /etc/blob
          encoding: base64
          content: aGVsbG8=
      users:
        - name: core
          groups: [docker]
          ssh_authorized_keys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG me@host"]
      """;

  static MachineConfig parse(String yaml) {
    return CloudConfigParser.parse("machine.yaml", yaml);
  }

  static List<String> errors(String yaml) {
    try {
      parse(yaml);
    } catch (ConfigException e) {
      return e.lines();
    }
    throw new AssertionError("expected errors in:\n" + yaml);
  }

  @Test
  void readsEveryKeyOfAFullFile() {
    MachineConfig c = parse(FULL);
    var n = c.node();
    assertThat(n.endpoints()).containsExactly("http://127.0.0.1:2379", "10.0.0.2:2379");
    assertThat(n.machineId()).contains("web-1");
    assertThat(n.metadata()).containsExactly(Map.entry("rack", "a"), Map.entry("role", "web"));
    assertThat(n.capacity().get().cpu()).contains("2");
    assertThat(n.capacity().get().memory()).contains("4G");
    assertThat(n.apiListen()).contains("127.0.0.1:7070");
    assertThat(n.agentTtl()).contains(Duration.ofSeconds(30));
    assertThat(n.agent()).contains(false);
    assertThat(n.update().get().channel()).contains(Channel.STABLE);
    assertThat(n.update().get().publicKey()).contains(Path.of("/etc/keel/release.pub"));
    var reboot = n.reboot().get();
    assertThat(reboot.strategy()).contains(Strategy.ETCD_LOCK);
    assertThat(reboot.window().get().day()).contains(DayOfWeek.THURSDAY);
    assertThat(reboot.window().get().start()).isEqualTo(LocalTime.of(4, 0));
    assertThat(reboot.window().get().length()).isEqualTo(Duration.ofMinutes(90));
    assertThat(reboot.group()).contains("web");

    assertThat(c.units()).hasSize(2);
    assertThat(c.units().get(0).name().value()).isEqualTo("web@1.service");
    assertThat(c.units().get(0).command()).isEqualTo(UnitCommand.START);
    assertThat(c.units().get(0).content().get().value("Container", "Image")).contains("busybox:latest");
    assertThat(c.units().get(1).command()).isEqualTo(UnitCommand.LOAD);
    assertThat(c.units().get(1).content()).isEmpty();

    assertThat(c.writeFiles()).hasSize(2);
    assertThat(c.writeFiles().get(0).path()).isEqualTo(Path.of("/etc/app.conf"));
    assertThat(c.writeFiles().get(0).mode()).isEqualTo(0600);
    assertThat(c.writeFiles().get(0).owner()).contains("root:root");
    assertThat(new String(c.writeFiles().get(0).content(), StandardCharsets.UTF_8)).isEqualTo("a=1\n");
    assertThat(new String(c.writeFiles().get(1).content(), StandardCharsets.UTF_8)).isEqualTo("hello");
    assertThat(c.writeFiles().get(1).permissions()).isEqualTo("0644");

    assertThat(c.users()).singleElement().satisfies(u -> {
      assertThat(u.name()).isEqualTo("core");
      assertThat(u.groups()).containsExactly("docker");
      assertThat(u.sshAuthorizedKeys()).hasSize(1);
    });
  }

  @Test
  void mapsToKeelNodeFlags() {
    assertThat(parse(FULL).nodeArgs()).containsExactly(
        "--endpoints=http://127.0.0.1:2379,10.0.0.2:2379",
        "--machine-id=web-1",
        "--metadata=rack=a,role=web",
        "--capacity=cpu=2,memory=4G",
        "--api-listen=127.0.0.1:7070",
        "--agent-ttl=30s",
        "--no-agent",
        "--update-server=http://updates.example:8080",
        "--update-channel=stable",
        "--update-public-key=/etc/keel/release.pub",
        "--reboot-strategy=etcd-lock",
        "--reboot-window-start=Thu 04:00",
        "--reboot-window-length=1h30m",
        "--reboot-group=web");
  }

  @Test
  void upArgsRefuseWhatKeelUpCannotDo() {
    assertThatThrownBy(() -> parse(FULL).upArgs())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("keel.endpoints, keel.update, keel.reboot");
    assertThat(parse("keel: {machine-id: m1, agent-ttl: 1m}").upArgs())
        .containsExactly("--machine-id=m1", "--agent-ttl=1m");
  }

  @Test
  void theStoreSectionBecomesKeelStoreFlagsInFileOrder() {
    MachineConfig c = parse("""
        store:
          name: s1
          listen-client-urls: [http://127.0.0.1:2379, http://127.0.0.2:2379]
          listen-peer-urls: http://127.0.0.1:2380
          discovery-token: cluster-a
          discovery-endpoints: [127.0.0.1:4001]
          snapshot-count: 50000
          auto-compaction-retention: 1h
        """);
    assertThat(c.storeArgs()).containsExactly("--name=s1",
        "--listen-client-urls=http://127.0.0.1:2379,http://127.0.0.2:2379",
        "--listen-peer-urls=http://127.0.0.1:2380", "--discovery-token=cluster-a",
        "--discovery-endpoints=127.0.0.1:4001", "--snapshot-count=50000",
        "--auto-compaction-retention=1h");
    assertThat(parse("keel: {machine-id: m1}").storeArgs()).isEmpty();
  }

  @Test
  void theStoreSectionIsCheckedLikeTheFlags() {
    assertThat(errors("""
        store:
          initial-cluster-state: maybe
          listen-peer-urls: https://127.0.0.1:2380
          discovery-token: a/b
          snapshot-count: -1
          initial-cluster: s1=http://127.0.0.1:2380
          max-txn-op: 3
          auto-compaction-mode: daily
        """)).containsExactly(
            "machine.yaml:2: store.initial-cluster-state: 'maybe' is not new or existing",
            "machine.yaml:2: store: discovery-token and discovery-endpoints go together",
            "machine.yaml:3: store.listen-peer-urls: 'https://127.0.0.1:2380' must use http:// (TLS needs"
                + " keel store's --cert-file and --key-file, which machine files do not take)",
            "machine.yaml:4: store.discovery-token: 'a/b' may hold only letters, digits and _.-",
            "machine.yaml:5: store.snapshot-count: '-1' is not a whole number of at least 0",
            "machine.yaml:6: store.initial-cluster: give initial-cluster or discovery-token, not both",
            "machine.yaml:7: store.max-txn-op: unknown key (did you mean 'max-txn-ops'?); expected one of"
                + " advertise-client-urls, auto-compaction-mode, auto-compaction-retention, data-dir, discovery-endpoints, discovery-token, election-timeout,"
                + " heartbeat-interval, initial-advertise-peer-urls, initial-cluster, initial-cluster-state,"
                + " initial-cluster-token, listen-client-urls, listen-peer-urls, max-request-bytes, max-txn-ops, name,"
                + " quota-backend-bytes, snapshot-count",
            "machine.yaml:8: store.auto-compaction-mode: 'daily' must be periodic or revision");
  }

  @Test
  void emptyFileAndHeaderOnlyAreEmptyConfigs() {
    assertThat(parse("")).isEqualTo(MachineConfig.empty());
    assertThat(parse("#cloud-config\n")).isEqualTo(MachineConfig.empty());
    assertThat(parse("#cloud-config\n").nodeArgs()).isEmpty();
  }

  @Test
  void unquotedOffIsRefusedAsABoolean() {
    assertThat(errors("""
        #cloud-config
        keel:
          reboot:
            strategy: off
        """)).containsExactly(
            "machine.yaml:4: keel.reboot.strategy: 'off' is read as the boolean false by YAML 1.1: write 'off' in quotes");
    assertThat(parse("keel:\n  reboot:\n    strategy: 'off'\n").node().reboot().get().strategy())
        .contains(Strategy.OFF);
  }

  @Test
  void yesNoOnAreRefusedInAnyStringField() {
    assertThat(errors("keel:\n  metadata:\n    canary: yes\n  machine-id: on\n")).containsExactly(
        "machine.yaml:3: keel.metadata.canary: 'yes' is read as the boolean true by YAML 1.1: write 'yes' in quotes",
        "machine.yaml:4: keel.machine-id: 'on' is read as the boolean true by YAML 1.1: write 'on' in quotes");
  }

  @Test
  void unquotedPermissionsAreRefused() {
    assertThat(errors("""
        write_files:
          - path: /etc/a
            permissions: 0644
          - path: /etc/b
            permissions: 644
        """)).containsExactly(
            "machine.yaml:3: write_files[0].permissions: 0644 is read as a number, not a mode: write permissions as a quoted string, e.g. \"0644\"",
            "machine.yaml:5: write_files[1].permissions: 644 is read as a number, not a mode: write permissions as a quoted string, e.g. \"0644\"");
  }

  @Test
  void permissionStringsMustBeOctal() {
    assertThat(errors("write_files:\n  - path: /etc/a\n    permissions: \"0999\"\n")).containsExactly(
        "machine.yaml:3: write_files[0].permissions: '0999' is not an octal mode (0000 to 7777, e.g. \"0644\")");
    assertThat(errors("write_files:\n  - path: /etc/a\n    permissions: \"17777\"\n")).hasSize(1);
    assertThat(parse("write_files:\n  - path: /usr/bin/x\n    permissions: \"4755\"\n").writeFiles().get(0).mode())
        .isEqualTo(04755);
  }

  @Test
  void baseSixtyTimesAreRefused() {
    assertThat(errors("keel:\n  reboot:\n    window-start: 4:30\n    window-length: 1h\n")).containsExactly(
        "machine.yaml:3: keel.reboot.window-start: '4:30' is read as a base-60 number by YAML 1.1: write \"4:30\" in quotes");
  }

  @Test
  void unknownKeysAreRefusedWithASuggestion() {
    assertThat(errors("""
        keel:
          machine_id: a
          reboot:
            stratgy: reboot
        write-files: []
        coreos: {}
        """)).containsExactly(
            "machine.yaml:2: keel.machine_id: unknown key (did you mean 'machine-id'?); expected one of agent, agent-ttl,"
                + " api-listen, capacity, data-dir, docker-host, endpoints, engine-reconcile-interval,"
                + " machine-id, metadata, public-ip, reboot, update",
            "machine.yaml:4: keel.reboot.stratgy: unknown key (did you mean 'strategy'?); expected one of drain-timeout,"
                + " group, strategy, window-length, window-start",
            "machine.yaml:5: write-files: unknown key (did you mean 'write_files'?); expected one of keel, store, units,"
                + " users, write_files",
            "machine.yaml:6: coreos: unknown key; expected one of keel, store, units, users, write_files");
  }

  @Test
  void wrongTypesAreNamed() {
    assertThat(errors("""
        keel:
          metadata: [a, b]
          agent: "false"
          reboot: etcd-lock
        units: {name: a.service}
        """)).containsExactly(
            "machine.yaml:2: keel.metadata: expected a mapping, got a list",
            "machine.yaml:3: keel.agent: expected true or false, got the string 'false'",
            "machine.yaml:4: keel.reboot: expected a mapping, got the string 'etcd-lock'",
            "machine.yaml:5: units: expected a list, got a mapping");
  }

  @Test
  void missingRequiredFieldsAreNamedAtTheirItem() {
    assertThat(errors("""
        units:
          - command: start
          - name: a.service
            command: submit
        write_files:
          - content: x
        users:
          - ssh_authorized_keys: []
        """)).containsExactly(
            "machine.yaml:2: units[0]: missing required key 'name'",
            "machine.yaml:3: units[1]: missing required key 'content'",
            "machine.yaml:6: write_files[0]: missing required key 'path'",
            "machine.yaml:8: users[0]: missing required key 'name'");
  }

  @Test
  void valuesAreCheckedByTheirOwnParsers() {
    assertThat(errors("""
        keel:
          agent-ttl: 30 seconds
          api-listen: localhost
          capacity: {cpu: lots}
          update: {channel: nightly}
          reboot: {strategy: sometimes, window-start: "Someday 04:00", window-length: 1h, group: "a b"}
        units:
          - name: web
            command: run
        write_files:
          - path: etc/relative
          - path: /etc/../passwd
        users:
          - name: Core
            ssh_authorized_keys: ["not a key"]
        """)).containsExactly(
            "machine.yaml:2: keel.agent-ttl: '30 seconds' is not a duration (examples: 500ms, 10s, 1h30m)",
            "machine.yaml:3: keel.api-listen: 'localhost' is not host:port",
            "machine.yaml:4: keel.capacity.cpu: cpu 'lots' is not a number of cores (2, 0.5, 500m)",
            "machine.yaml:5: keel.update.channel: unknown channel \"nightly\": expected alpha, beta or stable",
            "machine.yaml:6: keel.reboot.window-start: reboot window start 'Someday 04:00' names no day of the week"
                + " ('Someday'; use Mon, Tue, Wed, Thu, Fri, Sat or Sun)",
            "machine.yaml:6: keel.reboot.strategy: reboot strategy 'sometimes' is unknown: use etcd-lock, reboot or off"
                + " (or best-effort)",
            "machine.yaml:6: keel.reboot.group: group 'a b' is invalid: use 1-63 letters, digits and ._-",
            "machine.yaml:8: units[0].name: unit name \"web\" has no known unit type suffix (.service, .socket, .timer, .path, .mount, .target ...)",
            "machine.yaml:9: units[0].command: 'run' is not a unit command: use start, load or submit",
            "machine.yaml:11: write_files[0].path: 'etc/relative' is not an absolute path",
            "machine.yaml:12: write_files[1].path: '/etc/../passwd' is not a normalized file path (no ., .., // or trailing /)",
            "machine.yaml:14: users[0].name: 'Core' is not a user name (lower-case letters, digits, _ and -, at most 32)",
            "machine.yaml:15: users[0].ssh_authorized_keys: 'not a key' is not an SSH public key (type base64 [comment],"
                + " e.g. ssh-ed25519 AAAA... me@host)");
  }

  @Test
  void unitContentErrorsPointAtTheLineInTheFile() {
    assertThat(errors("""
        units:
          - name: a.service
            command: start
            content: |
              [Service]
              ExecStart=/bin/true
              not an option
        """)).containsExactly(
            "machine.yaml:7: units[0].content: expected Key=Value or [Section], found \"not an option\"");
  }

  @Test
  void templatesCannotBeStartedAndDuplicatesAreRefused() {
    assertThat(errors("""
        units:
          - {name: web@.service, command: start}
          - {name: db.service, command: start}
          - {name: db.service, command: load}
        write_files:
          - {path: /etc/a}
          - {path: /etc/a}
        """)).containsExactly(
            "machine.yaml:2: units[0].name: a template unit cannot be started: name an instance such as web@1.service,"
                + " or use command: submit",
            "machine.yaml:4: units[2].name: unit db.service is listed twice (first on line 3)",
            "machine.yaml:7: write_files[1].path: /etc/a is written twice (first on line 6)");
  }

  @Test
  void duplicateKeysAreRefused() {
    assertThat(errors("keel:\n  machine-id: a\n  machine-id: b\n")).containsExactly(
        "machine.yaml:3: keel.machine-id: given twice (first on line 2)");
  }

  @Test
  void collectsAllErrorsInFileOrder() {
    List<String> errors = errors("""
        #cloud-config
        keel:
          reboot:
            strategy: off
          agent-ttl: soon
        write_files:
          - path: /etc/x
            permissions: 0755
        users:
          - name: core
            ssh_authorised_keys: []
        """);
    assertThat(errors).hasSize(4);
    assertThat(errors).extracting(e -> e.substring(0, e.indexOf(": ")))
        .containsExactly("machine.yaml:4", "machine.yaml:5", "machine.yaml:8", "machine.yaml:11");
    assertThat(errors.get(3)).contains("did you mean 'ssh_authorized_keys'?");
  }

  @Test
  void yamlSyntaxErrorsNameTheLine() {
    List<String> errors = errors("keel:\n  machine-id: a\n   bad: [\n");
    assertThat(errors).singleElement().asString().startsWith("machine.yaml:3: not valid YAML: ");
    assertThat(errors("a: 1\n---\nb: 2\n")).singleElement().asString().startsWith("machine.yaml:2: not valid YAML");
  }

  @Test
  void aRootThatIsNotAMappingIsRefused() {
    assertThat(errors("- a\n- b\n")).containsExactly("machine.yaml:1: expected a mapping, got a list");
  }
}
