package io.keel.cli;

import io.keel.api.client.FleetClient;
import io.keel.cli.config.CloudConfigParser;
import io.keel.cli.config.ConfigError;
import io.keel.cli.config.ConfigException;
import io.keel.cli.config.FileWriter;
import io.keel.cli.config.LoggingProvisioner;
import io.keel.cli.config.MachineConfig;
import io.keel.cluster.unit.JobState;
import io.keel.store.server.StoreConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code keel node --config machine.yaml}: the whole file is validated before anything happens (a
 * file with errors starts nothing); then its files are written and its users handed to the
 * provisioner, its {@code keel:} settings become the node's flags (flags given on the command line
 * after {@code --config} win), and once the node serves its API its units are submitted, loaded or
 * started.
 */
final class MachineFile {
  private static final Logger LOG = LoggerFactory.getLogger(MachineFile.class);

  private final MachineConfig config;

  private MachineFile(MachineConfig config) {
    this.config = config;
  }

  /**
   * Reads and checks {@code file}, including its {@code store:} section as {@code keel store} would.
   *
   * @throws ConfigException listing every problem
   */
  static MachineFile read(Path file) throws IOException {
    MachineFile machineFile = new MachineFile(CloudConfigParser.parse(file));
    if (!machineFile.config.storeArgs().isEmpty()) {
      try {
        StoreFlags flags = machineFile.storeFlags();
        StoreMember.check(flags.options, flags.discovery, Path.of("keel-node"));
      } catch (IllegalArgumentException | ParameterException e) {
        throw new ConfigException(file.toString(), List.of(new ConfigError(0, "store", e.getMessage())));
      }
    }
    return machineFile;
  }

  /**
   * The config of the store member of the file's {@code store:} section, its data under
   * {@code nodeDataDir}/store unless the section names a data-dir; empty without that section. With
   * discovery, waits until the cluster is found.
   */
  Optional<StoreConfig> storeMember(Path nodeDataDir) throws InterruptedException {
    if (config.storeArgs().isEmpty()) {
      return Optional.empty();
    }
    StoreFlags flags = storeFlags();
    return Optional.of(StoreMember.config(flags.options, flags.discovery, nodeDataDir.resolve("store")));
  }

  private StoreFlags storeFlags() {
    StoreFlags flags = new StoreFlags();
    new CommandLine(flags).parseArgs(config.storeArgs().toArray(String[]::new));
    return flags;
  }

  /** The flags a {@code store:} section may set. */
  @Command(name = "store")
  static final class StoreFlags {
    @Mixin
    StoreOptions options = new StoreOptions();

    @Mixin
    DiscoveryOptions discovery = new DiscoveryOptions();
  }

  /**
   * Runs {@code command} again with the file's flags (from {@code fileArgs}) followed by the flags of
   * the original command line without {@code --config FILE}, so that flags given on the command line
   * win; {@code command} gets this file to apply its units once it is up. Writes the file's files and
   * provisions its users first.
   */
  int rerun(CommandSpec original, Function<MachineConfig, List<String>> fileArgs, Object command)
      throws IOException {
    List<String> given = original.commandLine().getParseResult().originalArgs();
    String name = original.name();
    List<String> args = withCommandLine(fileArgs.apply(config),
        !given.isEmpty() && given.get(0).equals(name) ? given.subList(1, given.size()) : given);
    applyToMachine();
    OneLineErrors errors = new OneLineErrors();
    return new CommandLine(command).setOverwrittenOptionsAllowed(true)
        .setExecutionExceptionHandler(errors).setParameterExceptionHandler(errors)
        .execute(args.toArray(String[]::new));
  }

  /** {@code fileArgs} followed by {@code commandLine} without {@code --config FILE}. */
  static List<String> withCommandLine(List<String> fileArgs, List<String> commandLine) {
    List<String> args = new ArrayList<>(fileArgs);
    for (int i = 0; i < commandLine.size(); i++) {
      String a = commandLine.get(i);
      if (a.equals("--config")) {
        i++;
      } else if (!a.startsWith("--config=")) {
        args.add(a);
      }
    }
    return args;
  }

  /** Writes the files and provisions the users. */
  private void applyToMachine() throws IOException {
    for (Path written : FileWriter.system().writeAll(config.writeFiles())) {
      LOG.info("wrote {}", written);
    }
    new LoggingProvisioner().provision(config.users());
  }

  /** Submits, loads or starts the file's units through the node's API; does not wait for them. */
  void applyUnits(String api) {
    FleetClient fleet = new FleetClient(api, Duration.ofSeconds(10));
    for (MachineConfig.Unit unit : config.units()) {
      String name = unit.name().value();
      String desired = switch (unit.command()) {
        case START -> JobState.LAUNCHED.wireName();
        case LOAD -> JobState.LOADED.wireName();
        default -> null;
      };
      if (unit.content().isPresent()) {
        if (fleet.unit(name).isPresent()) {
          if (desired != null) {
            fleet.setDesiredState(name, desired);
          }
        } else {
          fleet.createUnit(name, unit.content().get().options(), desired);
        }
      } else if (desired != null) {
        fleet.setDesiredState(name, desired);
      }
      LOG.info("unit {}: {}", name, unit.command().text());
    }
  }
}
