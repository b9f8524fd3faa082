package io.keel.cli.update;

import io.keel.lifecycle.update.Channel;
import io.keel.lifecycle.update.HttpReleaseSource;
import io.keel.lifecycle.update.ReleaseKeys;
import io.keel.lifecycle.update.ReleaseVerifier;
import io.keel.lifecycle.update.Slots;
import io.keel.lifecycle.update.UpdateEngine;
import io.keel.lifecycle.update.UpdateException;
import io.keel.lifecycle.update.UpdateState;
import io.keel.lifecycle.update.UpdateStatus;
import io.keel.lifecycle.update.Version;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keel update check --data-dir D}: asks the node running on that data dir to check its
 * channel now (as {@code update_engine_client -check_for_update} asks the local daemon) and prints
 * the outcome; the node installs a newer release and reboots under the lock as after a scheduled
 * check. With {@code --server URL --public-key K}: one check in this process instead, installing
 * into the passive slot, for a machine whose node is not running.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Check the channel now and, if there is a newer release, download and install it into the passive slot.")
public final class UpdateCheckCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "The machine's data directory.")
  Path dataDir;

  @Option(names = "--server", paramLabel = "URL",
      description = "Check against this update server in this process (default: ask the running node).")
  URI server;

  @Option(names = "--public-key", paramLabel = "FILE", description = "The release public key (with --server).")
  Path publicKey;

  @Option(names = "--channel", defaultValue = "stable", paramLabel = "CHANNEL", converter = ChannelConverter.class,
      description = "alpha, beta or stable (default ${DEFAULT-VALUE}).")
  Channel channel;

  @Option(names = "--current-version", paramLabel = "VERSION",
      description = "The running version (default: the active slot's).")
  String currentVersion;

  @Option(names = "--allow-downgrade", description = "Install an older release than the running one.")
  boolean allowDowngrade;

  @Option(names = "--allow-same-version", description = "Reinstall the running version.")
  boolean allowSameVersion;

  @Option(names = "--timeout", defaultValue = "5m", paramLabel = "DURATION",
      converter = io.keel.cli.update.DurationOption.class, description = "Give up after this long (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    if (server == null) {
      return askTheNode();
    }
    if (publicKey == null) {
      throw new UpdateException("--server needs --public-key");
    }
    String scheme = server.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new UpdateException("--server " + server + " is not an http:// or https:// URL");
    }
    ReleaseVerifier verifier = new ReleaseVerifier(ReleaseKeys.loadPublic(publicKey));
    Slots slots = new Slots(dataDir, Clock.systemUTC());
    String running = currentVersion != null ? currentVersion : slots.read().get(slots.read().active()).version();
    if (running == null) {
      throw new UpdateException("the running version is unknown (the active slot holds the base install):"
          + " pass --current-version");
    }
    Version current = Version.parse(running);
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    try {
      UpdateEngine engine = new UpdateEngine(Clock.systemUTC(), executor,
          new HttpReleaseSource(server, client, timeout), verifier, slots, current,
          new UpdateEngine.Config(channel, allowDowngrade, allowSameVersion));
      engine.addListener(s -> s.write(dataDir));
      UpdateStatus s;
      try {
        s = engine.check().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new UpdateException("update check did not finish within " + timeout);
      } catch (ExecutionException e) {
        throw new UpdateException("update check failed: " + e.getCause().getMessage(), e.getCause());
      }
      if (s.lastError() != null) {
        throw new UpdateException(s.lastError());
      }
      if (s.state() == UpdateState.UPDATED_NEED_REBOOT) {
        spec.commandLine().getOut().println(s.state() + ": " + s.newVersion() + " installed into slot "
            + slots.read().passive() + "; restart keel to boot it");
      } else {
        spec.commandLine().getOut().println(s.state() + ": " + current + " is the latest on " + channel);
      }
      spec.commandLine().getOut().flush();
      return 0;
    } finally {
      executor.shutdownNow();
      client.close();
    }
  }

  /** The file a running node polls for; its presence asks for one check. */
  public static Path requestFile(Path dataDir) {
    return UpdateStatus.file(dataDir).resolveSibling("check-requested");
  }

  private int askTheNode() throws Exception {
    java.time.Instant asked = java.time.Instant.now();
    Path request = requestFile(dataDir);
    java.nio.file.Files.createDirectories(request.getParent());
    java.nio.file.Files.writeString(request, asked.toString());
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean pickedUp = false;
    while (System.nanoTime() < deadline) {
      pickedUp |= !java.nio.file.Files.exists(request);
      UpdateStatus s = java.nio.file.Files.exists(UpdateStatus.file(dataDir)) ? UpdateStatus.read(dataDir) : null;
      if (s != null && s.lastCheck() != null && !s.lastCheck().isBefore(asked) && settled(s.state())) {
        if (s.state() == UpdateState.REPORTING_ERROR_EVENT || s.lastError() != null) {
          throw new UpdateException(s.lastError() == null ? "the update check failed" : s.lastError());
        }
        spec.commandLine().getOut().println(s.state() + (s.state() == UpdateState.UPDATED_NEED_REBOOT
            ? ": " + s.newVersion() + " installed; the node reboots into it under the reboot lock"
            : ": " + s.currentVersion() + " is the latest on " + s.channel()));
        spec.commandLine().getOut().flush();
        return 0;
      }
      if (!pickedUp && System.nanoTime() - (deadline - timeout.toNanos()) > TimeUnit.SECONDS.toNanos(10)) {
        java.nio.file.Files.deleteIfExists(request);
        throw new UpdateException("no node on " + dataDir + " picked the request up within 10s (is `keel node"
            + " --data-dir " + dataDir + " --update-server URL` running? or pass --server and --public-key)");
      }
      Thread.sleep(200);
    }
    throw new UpdateException("update check did not finish within " + timeout);
  }

  private static boolean settled(UpdateState state) {
    return state == UpdateState.IDLE || state == UpdateState.UPDATED_NEED_REBOOT
        || state == UpdateState.REPORTING_ERROR_EVENT;
  }
}
