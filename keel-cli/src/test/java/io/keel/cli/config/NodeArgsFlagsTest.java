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
}
