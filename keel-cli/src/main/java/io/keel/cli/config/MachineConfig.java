package io.keel.cli.config;

import io.keel.cluster.unit.UnitFile;
import io.keel.cluster.unit.UnitName;
import io.keel.lifecycle.locksmith.RebootWindow;
import io.keel.lifecycle.locksmith.Strategy;
import io.keel.lifecycle.update.Channel;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated {@code #cloud-config} machine file (see docs/cloud-config.md). Built only by
 * {@link CloudConfigParser}, so every value here has been checked; absent settings are empty and
 * leave {@code keel node}'s defaults alone.
 */
public record MachineConfig(NodeSettings node, List<String> store, List<Unit> units, List<WriteFile> writeFiles, List<User> users) {

  public MachineConfig {
    store = List.copyOf(store);
    units = List.copyOf(units);
    writeFiles = List.copyOf(writeFiles);
    users = List.copyOf(users);
  }

  /** A file that says nothing: {@code keel node}'s defaults, nothing to submit, write or provision. */
  public static MachineConfig empty() {
    return new MachineConfig(NodeSettings.NONE, List.of(), List.of(), List.of(), List.of());
  }

  /**
   * The {@code keel node} flags this file stands for, in {@code --flag=value} form; settings the file
   * leaves out are not passed, so the command's defaults apply.
   */
  public List<String> nodeArgs() {
    return NodeArgs.forNode(node);
  }

  /**
   * The {@code keel up} flags this file stands for (machine settings only: {@code keel up} runs its
   * own store and does not update or reboot).
   *
   * @throws IllegalStateException if the file sets endpoints, data-dir, update or reboot
   */
  public List<String> upArgs() {
    return NodeArgs.forUp(node);
  }

  /**
   * The {@code keel store} flags of the {@code store:} section, for the store member this machine
   * runs; empty when the file has no such section.
   */
  public List<String> storeArgs() {
    return store;
  }

  /** The {@code keel:} section: how this machine joins the cluster, updates and reboots. */
  public record NodeSettings(List<String> endpoints, Optional<String> dataDir,
      Optional<String> machineId, Map<String, String> metadata, Optional<Capacity> capacity,
      Optional<String> publicIp, Optional<String> apiListen, Optional<Duration> agentTtl,
      Optional<Duration> reconcileInterval, Optional<Boolean> agent, Optional<String> dockerHost,
      Optional<Update> update, Optional<Reboot> reboot) {

    static final NodeSettings NONE = new NodeSettings(List.of(), Optional.empty(),
        Optional.empty(), Map.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    public NodeSettings {
      endpoints = List.copyOf(endpoints);
      metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }
  }

  /** What units may request here; each part as written ({@code cpu: "2"}, {@code memory: 4G}). */
  public record Capacity(Optional<String> cpu, Optional<String> memory) {}

  /** update_engine's settings. */
  public record Update(Optional<URI> server, Optional<Channel> channel, Optional<Path> publicKey,
      Optional<Duration> checkInterval, Optional<Duration> healthTimeout) {}

  /** locksmith's settings; the window is present only with both its start and its length. */
  public record Reboot(Optional<Strategy> strategy, Optional<RebootWindow> window, Optional<String> group,
      Optional<Duration> drainTimeout) {}

  /** What to do with a unit once the node is up. */
  public enum UnitCommand {
    /** Submit the unit file to the cluster, not scheduled. */
    SUBMIT,
    /** Submit and schedule it to a machine, not started. */
    LOAD,
    /** Submit, schedule and start it. */
    START;

    public String text() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * A unit to hand to the cluster. Without content it names a unit already submitted (only for
   * {@code load} and {@code start}).
   */
  public record Unit(UnitName name, UnitCommand command, Optional<UnitFile> content) {}

  /**
   * A file to write before the node starts: an absolute, normalized path; its content (already
   * decoded); a mode 0-07777; an optional {@code user[:group]} owner.
   */
  public record WriteFile(Path path, byte[] content, int mode, Optional<String> owner) {
    public WriteFile {
      content = content.clone();
    }

    @Override
    public byte[] content() {
      return content.clone();
    }

    /** The mode as four octal digits, e.g. {@code 0644}. */
    public String permissions() {
      return String.format("%04o", mode);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof WriteFile w && path.equals(w.path) && java.util.Arrays.equals(content, w.content)
          && mode == w.mode && owner.equals(w.owner);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(path, java.util.Arrays.hashCode(content), mode, owner);
    }

    @Override
    public String toString() {
      return "WriteFile[" + path + ", " + content.length + " bytes, " + permissions() + owner.map(o -> ", " + o).orElse("") + "]";
    }
  }

  /** An OS user for the {@link Provisioner}: its name, extra groups and SSH keys. */
  public record User(String name, List<String> groups, List<String> sshAuthorizedKeys) {
    public User {
      groups = List.copyOf(groups);
      sshAuthorizedKeys = List.copyOf(sshAuthorizedKeys);
    }
  }
}
