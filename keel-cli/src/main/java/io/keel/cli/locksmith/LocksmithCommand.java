package io.keel.cli.locksmith;

import io.etcd.jetcd.Client;
import io.keel.cluster.node.MachineId;
import io.keel.cluster.registry.Registry;
import io.keel.cluster.registry.StoreEndpoints;
import io.keel.lifecycle.locksmith.CommandRebootAction;
import io.keel.lifecycle.locksmith.LockKeys;
import io.keel.lifecycle.locksmith.LockService;
import io.keel.lifecycle.locksmith.NeedReboot;
import io.keel.lifecycle.locksmith.RebootLock;
import io.keel.lifecycle.locksmith.Semaphore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code keel locksmith}: locksmithctl's verbs on the cluster's reboot lock, straight on the store
 * (etcd v3 API). Errors are thrown with the one line {@code keel} prints before exiting 1.
 */
@Command(name = "locksmith", mixinStandardHelpOptions = true,
    description = "Manage the cluster's reboot lock (locksmithctl).",
    subcommands = {LocksmithCommand.Status.class, LocksmithCommand.SetMax.class, LocksmithCommand.Lock.class,
        LocksmithCommand.Unlock.class, LocksmithCommand.Reboot.class, LocksmithCommand.SendNeedReboot.class})
public final class LocksmithCommand implements Runnable {
  @Option(names = "--endpoints", defaultValue = "http://127.0.0.1:2379", scope = CommandLine.ScopeType.INHERIT,
      description = "Store endpoints, host:port or http://host:port, comma-separated (default: ${DEFAULT-VALUE}).")
  String endpoints;

  @Option(names = "--group", defaultValue = "", scope = CommandLine.ScopeType.INHERIT,
      description = "The locksmith group whose lock to use (default: the global lock).")
  String group;

  @Option(names = "--machine-id", scope = CommandLine.ScopeType.INHERIT,
      description = "This machine's id (default: the one in DATA_DIR/machine-id).")
  String machineId;

  @Option(names = "--data-dir", defaultValue = "keel-node", scope = CommandLine.ScopeType.INHERIT,
      description = "The node's data directory, holding its machine id (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "missing command: status, set-max, lock, unlock, reboot or send-need-reboot");
  }

  /** Runs {@code body} with the reboot lock of the chosen group, closing the store client after. */
  <T> T withLock(Function<Store, T> body) {
    String key = LockKeys.forGroup(group);
    StoreEndpoints store = StoreEndpoints.parse(endpoints);
    try (Client client = store.connect()) {
      Registry registry = new Registry(client, store.toString());
      return body.apply(new Store(registry, RebootLock.on(registry, key)));
    }
  }

  /** The store and the chosen lock, for one invocation. */
  record Store(Registry registry, RebootLock lock) {}

  /** The id argument, else {@code --machine-id}, else this machine's id from its data directory. */
  String id(String given) {
    if (given != null) {
      return MachineId.validate(given);
    }
    if (machineId != null) {
      return MachineId.validate(machineId);
    }
    Path file = dataDir.resolve(MachineId.FILE_NAME);
    if (!java.nio.file.Files.exists(file)) {
      throw new IllegalArgumentException("no machine id given and " + file
          + " does not exist: pass an id, --machine-id or --data-dir of a node");
    }
    return MachineId.loadOrCreate(dataDir);
  }

  abstract static class Verb implements Callable<Integer> {
    @ParentCommand
    LocksmithCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    static String statusText(Semaphore s) {
      StringBuilder b = new StringBuilder();
      b.append("Available: ").append(s.semaphore()).append('\n');
      b.append("Max: ").append(s.max()).append('\n');
      if (!s.holders().isEmpty()) {
        b.append('\n').append("MACHINE ID").append('\n');
        s.holders().forEach(h -> b.append(h).append('\n'));
      }
      return b.toString();
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Print the number of free slots, the maximum and the holders of the reboot lock.")
  static final class Status extends Verb {
    @Override
    public Integer call() {
      Semaphore s = parent.withLock(st -> st.lock().status());
      out().print(statusText(s));
      out().flush();
      return 0;
    }
  }

  @Command(name = "set-max", mixinStandardHelpOptions = true,
      description = "Set the number of machines that may hold the reboot lock at once.")
  static final class SetMax extends Verb {
    @Parameters(index = "0", paramLabel = "N", description = "The new maximum (0 or more).")
    int max;

    @Option(names = "--reset", description = "Replace the stored value, even one that is not a semaphore, "
        + "with an empty semaphore (drops all holders).")
    boolean reset;

    @Override
    public Integer call() {
      if (max < 0) {
        throw new IllegalArgumentException("set-max: N must be 0 or more, not " + max);
      }
      if (reset) {
        Semaphore after = parent.withLock(st -> st.lock().reset(max));
        out().println("New: " + after.max());
      } else {
        RebootLock.Change change = parent.withLock(st -> st.lock().setMax(max));
        out().println("Old: " + change.before().max());
        out().println("New: " + change.after().max());
      }
      out().flush();
      return 0;
    }
  }

  @Command(name = "lock", mixinStandardHelpOptions = true,
      description = "Take a slot of the reboot lock for a machine (default: this machine).")
  static final class Lock extends Verb {
    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "The holder's id.")
    String id;

    @Override
    public Integer call() {
      String holder = parent.id(id);
      LockService.Locked locked = parent.withLock(st -> st.lock().lock(holder));
      if (locked == LockService.Locked.ALREADY_HELD) {
        out().println("lock already held by " + holder);
        out().flush();
      }
      return 0;
    }
  }

  @Command(name = "unlock", mixinStandardHelpOptions = true,
      description = "Release a machine's slot of the reboot lock (default: this machine).")
  static final class Unlock extends Verb {
    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "The holder's id.")
    String id;

    @Override
    public Integer call() {
      String holder = parent.id(id);
      parent.withLock(st -> {
        if (st.lock().unlock(holder) == LockService.Unlocked.NOT_HELD) {
          throw new IllegalStateException("lock not held by " + holder + " (held by "
              + st.lock().status().holdersText() + ")");
        }
        return null;
      });
      return 0;
    }
  }

  @Command(name = "reboot", mixinStandardHelpOptions = true,
      description = "On this machine: take the reboot lock, then reboot. The lock is released by the node once the "
          + "machine is back; if the reboot command fails, it is released at once.")
  static final class Reboot extends Verb {
    @Option(names = "--reboot-command", split = " ", defaultValue = "systemctl reboot",
        description = "The command that reboots this machine (default: ${DEFAULT-VALUE}).")
    List<String> command;

    @Override
    public Integer call() throws Exception {
      String holder = parent.id(null);
      CommandRebootAction action = new CommandRebootAction(command);
      return parent.withLock(st -> {
        st.lock().lock(holder);
        try {
          action.reboot();
        } catch (Exception e) {
          st.lock().unlock(holder);
          throw new IllegalStateException(e.getMessage() + "; reboot lock released", e);
        }
        return 0;
      });
    }
  }

  @Command(name = "send-need-reboot", mixinStandardHelpOptions = true,
      description = "Ask a machine's node (default: this machine) to reboot under its strategy, window and lock.")
  static final class SendNeedReboot extends Verb {
    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "The machine's id.")
    String id;

    @Override
    public Integer call() {
      String machine = parent.id(id);
      parent.withLock(st -> {
        new NeedReboot(st.registry()).set(machine, Clock.systemUTC().instant());
        return null;
      });
      return 0;
    }
  }
}
