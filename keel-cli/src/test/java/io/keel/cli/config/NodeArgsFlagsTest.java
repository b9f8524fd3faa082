package io.keel.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The flags a machine file maps to are ones {@code keel node} and {@code keel up} actually accept. */
class NodeArgsFlagsTest {

  static CommandLine.ParseResult parseWith(String commandClass, List<String> args) throws Exception {
    Constructor<?> constructor = Class.forName(commandClass).getDeclaredConstructor();
    constructor.setAccessible(true);
    return new CommandLine(constructor.newInstance()).parseArgs(args.toArray(String[]::new));
  }

  @Test
  void keelNodeAcceptsEveryFlagOfAFullFile() throws Exception {
    MachineConfig c = CloudConfigParser.parse("machine.yaml", CloudConfigParserTest.FULL);
    CommandLine.ParseResult r = parseWith("io.keel.cli.NodeCommand", c.nodeArgs());
    assertThat(r.unmatched()).isEmpty();
    assertThat((Object) r.matchedOptionValue("--reboot-window-start", null)).isEqualTo("Thu 04:00");
    assertThat((Boolean) r.matchedOptionValue("--agent", true)).isFalse();
  }

  @Test
  void keelNodeAcceptsTheRemainingKeys() throws Exception {
    MachineConfig c = CloudConfigParser.parse("machine.yaml", """
        keel:
          data-dir: /var/lib/keel
          public-ip: 10.0.0.5
          engine-reconcile-interval: 500ms
          docker-host: unix:///run/docker.sock
          update: {channel: beta, check-interval: 2h, health-timeout: 90s}
          reboot: {window-start: "04:00", window-length: 45m, drain-timeout: 1m}
        """);
    assertThat(c.nodeArgs()).contains("--engine-reconcile-interval=500ms", "--health-timeout=1m30s",
        "--reboot-window-start=04:00", "--reboot-window-length=45m");
    assertThat(parseWith("io.keel.cli.NodeCommand", c.nodeArgs()).unmatched()).isEmpty();
  }

  @Test
  void keelUpAcceptsTheMachineFlags() throws Exception {
    MachineConfig c = CloudConfigParser.parse("machine.yaml",
        "keel: {machine-id: m1, metadata: {rack: a}, capacity: {memory: 2G}, agent: true, agent-ttl: 10s}\n");
    assertThat(parseWith("io.keel.cli.UpCommand", c.upArgs()).unmatched()).isEmpty();
  }

  @Test
  void keelStoreAndKeelUpAcceptEveryStoreKey() throws Exception {
    MachineConfig c = CloudConfigParser.parse("machine.yaml", """
        store:
          name: s1
          data-dir: /var/lib/keel/store
          listen-client-urls: http://127.0.0.1:2379
          advertise-client-urls: http://127.0.0.1:2379
          listen-peer-urls: http://127.0.0.1:2380
          initial-advertise-peer-urls: http://127.0.0.1:2380
          initial-cluster: [s1=http://127.0.0.1:2380, s2=http://127.0.0.2:2380]
          initial-cluster-state: new
          initial-cluster-token: t1
          snapshot-count: 1000
          quota-backend-bytes: 0
          max-request-bytes: 2048
          max-txn-ops: 64
        """);
    assertThat(c.storeArgs()).hasSize(13);
    assertThat(parseWith("io.keel.cli.StoreCommand", c.storeArgs()).unmatched()).isEmpty();
    assertThat(parseWith("io.keel.cli.UpCommand", c.storeArgs()).unmatched()).isEmpty();
    MachineConfig discovery = CloudConfigParser.parse("machine.yaml",
        "store: {discovery-token: t1, discovery-endpoints: 127.0.0.1:4001}\n");
    assertThat(parseWith("io.keel.cli.StoreCommand", discovery.storeArgs()).unmatched()).isEmpty();
  }
}
