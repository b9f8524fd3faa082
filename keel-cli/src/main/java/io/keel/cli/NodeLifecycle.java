package io.keel.cli;

import io.keel.agent.local.LocalUnit;
import io.keel.cluster.registry.Keys;
import io.keel.cluster.registry.Registry;
import io.keel.lifecycle.locksmith.Backoff;
import io.keel.lifecycle.locksmith.LockKeys;
import io.keel.lifecycle.locksmith.NeedReboot;
import io.keel.lifecycle.locksmith.RebootCoordinator;
import io.keel.lifecycle.locksmith.RebootLock;
import io.keel.lifecycle.locksmith.StaleHolderReaper;
import io.keel.lifecycle.locksmith.StaleHolders;
import io.keel.lifecycle.update.HttpReleaseSource;
import io.keel.lifecycle.update.ReleaseKeys;
import io.keel.lifecycle.update.ReleaseVerifier;
import io.keel.lifecycle.update.SlotSelector;
import io.keel.lifecycle.update.Slots;
import io.keel.lifecycle.update.UpdateEngine;
import io.keel.lifecycle.update.UpdateState;
import io.keel.lifecycle.update.Version;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's lifecycle, wired: the A/B slot it booted, the update engine that installs new releases
 * into the passive slot, the reboot coordinator that restarts the node only under the cluster's
 * reboot lock (locksmith), and the health check that marks a new release good, or rolls back.
 *
 * <p>A reboot here drains the machine (the engine steps down, the machine leaves the cluster so
 * its units are placed elsewhere, each unit keeps running here until it runs there), then exits
 * with {@link #RESTART_EXIT_CODE}; {@code bin/keel} (or whatever supervises the node) starts it
 * again, and the next start boots the slot the flags select. A release that does not become
 * healthy within {@code --health-timeout} is marked failed and the node restarts into the old
 * slot; the rollback is reported at {@code /keel/lifecycle/bad-release/<version>}, and nodes that
 * have downloaded that version withdraw it instead of rebooting into it, so the rollout stops.
 */
final class NodeLifecycle implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeLifecycle.class);
  /** The exit code that asks the node's supervisor to start it again (EX_TEMPFAIL). */
  static final int RESTART_EXIT_CODE = 75;
  static final String BAD_RELEASES = "/keel/lifecycle/bad-release/";
  private static final Duration HEALTH_EVERY = Duration.ofSeconds(1);
  private static final Duration NEED_REBOOT_EVERY = Duration.ofSeconds(2);
  private static final Duration HEALTH_SCRIPT_TIMEOUT = Duration.ofSeconds(30);

  /** What this start booted. */
  record Boot(Slots slots, SlotSelector.Selection selection, String version) {
    Path slotDir() {
      return slots.dir(selection.slot());
    }
  }

  private final NodeRuntime node;
  private final Path dataDir;
  private final Boot boot;
  private final LifecycleOptions options;
  private final Clock clock = Clock.systemUTC();
  private final ScheduledExecutorService executor;
  private final ScheduledExecutorService updates;
  private final RebootCoordinator coordinator;
  private final StaleHolderReaper reaper;
  private final NeedReboot needReboot;
  private final UpdateEngine engine;
  private final Instant started = Instant.now();
  private volatile boolean healthDecided;

  /**
   * The slot this start runs: the one {@code bin/keel} already selected (environment
   * {@code KEEL_BOOTED_SLOT}, its directory), or one boot attempt made here. The version is the
   * slot's, or the build's for a fresh machine.
   */
  static Boot boot(Path dataDir, String buildVersion) {
    Slots slots = new Slots(dataDir, Clock.systemUTC());
    String booted = System.getenv("KEEL_BOOTED_SLOT");
    SlotSelector.Selection selection = booted == null || booted.isBlank() ? slots.boot() : selected(slots, Path.of(booted));
    String version = selection.table().get(selection.slot()).version();
    if (selection.rolledBack()) {
      LOG.warn("rolled back: {}", selection.table().rollback().describe());
    }
    return new Boot(slots, selection, version != null ? version : baseVersion(buildVersion));
  }

  private static SlotSelector.Selection selected(Slots slots, Path dir) {
    var table = slots.read();
    for (var name : io.keel.lifecycle.update.SlotName.values()) {
      if (slots.dir(name).toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize())) {
        boolean rolledBack = table.rollback() != null && table.rollback().to() == name;
        return new SlotSelector.Selection(name, table, rolledBack);
      }
    }
    throw new IllegalArgumentException("KEEL_BOOTED_SLOT " + dir + " is not a slot of " + slots.root());
  }

  private static String baseVersion(String build) {
    try {
      Version.parse(build);
      return build;
    } catch (RuntimeException e) {
      return "0.0.0";
    }
  }

  private NodeLifecycle(NodeRuntime node, Boot boot, LifecycleOptions options, Path dataDir) {
    this.node = node;
    this.dataDir = dataDir;
    this.boot = boot;
    this.options = options;
    this.executor = NodeRuntime.daemonExecutor("keel-lifecycle");
    this.updates = NodeRuntime.daemonExecutor("keel-update");
    Registry registry = node.registry();
    String machineId = node.machine().id();
    this.needReboot = new NeedReboot(registry);
    this.coordinator = new RebootCoordinator(new RebootCoordinator.Config(machineId, options.strategy(),
        options.window(), ZoneOffset.UTC, Backoff.DEFAULT),
        RebootLock.on(registry, LockKeys.forGroup(options.group)), this::reboot, clock, executor);
    this.reaper = new StaleHolderReaper(registry, StaleHolders.TIMEOUT_DEFAULT, clock);
    this.engine = options.updateServer == null ? null : new UpdateEngine(clock, updates,
        new HttpReleaseSource(options.updateServer, HttpClient.newHttpClient(), Duration.ofMinutes(5)),
        new ReleaseVerifier(ReleaseKeys.loadPublic(options.publicKey)), boot.slots(), Version.parse(boot.version()),
        new UpdateEngine.Config(options.channel(), false, false));
  }

  static NodeLifecycle start(NodeRuntime node, Boot boot, LifecycleOptions options, Path dataDir) {
    NodeLifecycle lifecycle = new NodeLifecycle(node, boot, options, dataDir);
    lifecycle.reaper.start(lifecycle.executor, StaleHolderReaper.INTERVAL_DEFAULT);
    if (boot.selection().rolledBack()) {
      lifecycle.reportBad(boot.selection().table().rollback().fromVersion(),
          "rolled back: " + boot.selection().table().rollback().describe());
    }
    lifecycle.executor.scheduleWithFixedDelay(lifecycle::checkHealth, HEALTH_EVERY.toMillis(), HEALTH_EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
    lifecycle.executor.scheduleWithFixedDelay(lifecycle::checkNeedReboot, NEED_REBOOT_EVERY.toMillis(),
        NEED_REBOOT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    if (lifecycle.engine != null) {
      lifecycle.engine.addListener(status -> {
        status.write(dataDir);
        if (status.state() == UpdateState.UPDATED_NEED_REBOOT) {
          lifecycle.updateInstalled(status.newVersion());
        }
      });
      lifecycle.engine.start(Duration.ofSeconds(1), options.checkInterval);
    }
    LOG.info("node {}: running version {} from slot {}", node.machine().id(), boot.version(), boot.selection().slot());
    return lifecycle;
  }

  String version() {
    return boot.version();
  }

  private void updateInstalled(String version) {
    executor.execute(() -> {
      Optional<String> bad = badReport(version);
      if (bad.isPresent()) {
        boot.slots().discardPassive();
        LOG.warn("node {}: not rebooting into {}: {}", node.machine().id(), version, bad.get());
        return;
      }
      LOG.info("node {}: version {} installed in the passive slot; a reboot is needed", node.machine().id(), version);
      coordinator.rebootNeeded();
    });
  }

  private void checkNeedReboot() {
    Path request = io.keel.cli.update.UpdateCheckCommand.requestFile(dataDir);
    try {
      if (Files.deleteIfExists(request)) {
        if (engine == null) {
          LOG.warn("node {}: `keel update check` asked for a check, but this node has no --update-server",
              node.machine().id());
        } else {
          engine.check();
        }
      }
    } catch (java.io.IOException e) {
      LOG.debug("cannot read {}: {}", request, e.getMessage());
    }
    try {
      if (needReboot.get(node.machine().id()).isPresent()) {
        coordinator.rebootNeeded();
      }
    } catch (RuntimeException e) {
      LOG.debug("cannot read the need-reboot flag: {}", e.getMessage());
    }
  }

  /**
   * Healthy: registered, every unit here active, and the release's own health check passes: a
   * {@code dist/healthcheck} shell script in its slot (as greenboot's checks on Fedora CoreOS),
   * exit status 0 within 30 s.
   */
  private void checkHealth() {
    if (healthDecided) {
      return;
    }
    try {
      if (healthy()) {
        healthDecided = true;
        boot.slots().markSuccessful();
        LOG.info("node {}: healthy on version {}", node.machine().id(), boot.version());
        coordinator.machineHealthy();
        needReboot.clear(node.machine().id());
      } else if (Duration.between(started, Instant.now()).compareTo(options.healthTimeout) > 0) {
        healthDecided = true;
        boolean newRelease = !boot.selection().table().get(boot.selection().slot()).successful();
        if (newRelease) {
          LOG.error("node {}: version {} did not become healthy within {}; rolling back",
              node.machine().id(), boot.version(), options.healthTimeout);
          boot.slots().markFailed();
          reportBad(boot.version(), "not healthy within " + options.healthTimeout + " on " + node.machine().id());
          restart();
        } else {
          LOG.warn("node {}: not healthy within {}", node.machine().id(), options.healthTimeout);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("node {}: health check failed: {}", node.machine().id(), e.toString());
    }
  }

  private boolean healthy() {
    if (!node.registered()) {
      return false;
    }
    if (node.agent().isPresent()) {
      for (LocalUnit unit : node.agent().get().units().values()) {
        if (!unit.activeState().equals("active") && !unit.activeState().equals("inactive")) {
          return false;
        }
      }
    }
    return healthScriptPasses();
  }

  private boolean healthScriptPasses() {
    Path script = boot.slotDir().resolve(Slots.DIST_DIR).resolve("healthcheck");
    if (!Files.isRegularFile(script)) {
      return true;
    }
    try {
      Process p = new ProcessBuilder("/bin/sh", script.toString()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(HEALTH_SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The reboot action, run by the coordinator once it holds the lock (or the strategy allows). */
  private void reboot() {
    String pending = boot.slots().read().get(boot.slots().read().passive()).version();
    if (pending != null) {
      Optional<String> bad = badReport(pending);
      if (bad.isPresent()) {
        boot.slots().discardPassive();
        LOG.warn("node {}: not rebooting into {}: {}", node.machine().id(), pending, bad.get());
        executor.execute(coordinator::machineHealthy);
        return;
      }
    }
    restart();
  }

  private void restart() {
    LOG.info("node {}: restarting (drain, then exit {} for the supervisor to start the next slot)",
        node.machine().id(), RESTART_EXIT_CODE);
    node.drain(options.drainTimeout);
    Thread exit = new Thread(() -> System.exit(RESTART_EXIT_CODE), "keel-restart");
    exit.start();
  }

  private Optional<String> badReport(String version) {
    return Registry.await(node.registry().value(BAD_RELEASES + version))
        .map(why -> "release " + version + " was rolled back: " + why);
  }

  private void reportBad(String version, String why) {
    if (version == null) {
      return;
    }
    try {
      node.registry().client().getKVClient().put(Keys.bytes(BAD_RELEASES + version), Keys.bytes(why))
          .get(10, TimeUnit.SECONDS);
      LOG.warn("node {}: reported release {} bad: {}", node.machine().id(), version, why);
    } catch (Exception e) {
      LOG.warn("node {}: cannot report release {} bad yet: {}", node.machine().id(), version, e.toString());
    }
  }

  @Override
  public void close() {
    if (engine != null) {
      engine.close();
    }
    coordinator.close();
    reaper.close();
    executor.shutdownNow();
    updates.shutdownNow();
  }
}
