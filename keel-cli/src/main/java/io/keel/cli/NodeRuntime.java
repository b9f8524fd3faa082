package io.keel.cli;

import io.etcd.jetcd.Client;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.keel.api.ApiServer;
import io.keel.api.Schema;
import io.keel.cluster.engine.Engine;
import io.keel.cluster.node.MachineId;
import io.keel.cluster.node.MachinePresence;
import io.keel.cluster.node.MachineSpec;
import io.keel.cluster.registry.MachineRecord;
import io.keel.cluster.registry.Registry;
import io.keel.cluster.registry.StoreEndpoints;
import io.keel.agent.journal.Journal;
import io.keel.agent.local.Agent;
import io.keel.agent.local.UnitRuntimes;
import io.keel.agent.runtime.docker.DockerContainers;
import io.keel.agent.runtime.exec.ExecLauncher;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One machine of the cluster, wired: its presence (machine record on a lease), an engine
 * candidate, the agent that runs the machine's units, and the API server, all on one store client.
 */
final class NodeRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeRuntime.class);
  /** gRPC logs through java.util.logging; held so the level sticks (JUL keeps loggers weakly). */
  private static final java.util.logging.Logger GRPC_LOG = java.util.logging.Logger.getLogger("io.grpc");

  private final Client client;
  private final Registry registry;
  private final MachinePresence presence;
  private final Engine engine;
  private final Agent agent;
  private final ApiServer api;
  private final List<AutoCloseable> started;
  private final PrometheusMeterRegistry metrics;

  private NodeRuntime(Client client, Registry registry, MachinePresence presence, Engine engine, Agent agent,
      ApiServer api, List<AutoCloseable> started) {
    this.client = client;
    this.registry = registry;
    this.presence = presence;
    this.engine = engine;
    this.agent = agent;
    this.api = api;
    this.started = started;
    this.metrics = metrics(presence, engine, agent);
  }

  /**
   * Connects to the store, checks it answers, then starts the API, presence, engine and agent.
   * Fails with a one-line message if the store cannot be reached or the API address cannot be bound.
   */
  static NodeRuntime start(StoreEndpoints endpoints, NodeOptions options, Path dataDir, String version)
      throws IOException {
    String machineId = options.machineId != null ? MachineId.validate(options.machineId)
        : MachineId.loadOrCreate(dataDir);
    var engineConfig = options.engineConfig();
    var apiAddress = options.apiAddress();

    GRPC_LOG.setLevel(java.util.logging.Level.WARNING);
    Client client = endpoints.connect();
    Registry registry = new Registry(client, endpoints.toString());
    List<AutoCloseable> started = new ArrayList<>();
    try {
      Registry.await(registry.ensureLayout());
      AtomicReference<NodeRuntime> self = new AtomicReference<>();
      ApiServer api = ApiServer.start(apiAddress, registry, () -> started(self).status(version),
          () -> started(self).metrics.scrape(), machineId, new AgentPages(self::get), version);
      started.add(api);
      api.mount("/v1/", io.keel.lifecycle.locksmith.FleetLockHandler.on(registry));
      MachineRecord machine = new MachineRecord(machineId,
          options.publicIp != null ? options.publicIp : MachineSpec.detectPublicIp(),
          MachineSpec.parseMetadata(options.metadata), MachineSpec.parseCapacity(options.capacity), version)
          .withApiUrl(api.url());
      ScheduledExecutorService presenceExecutor = executor("keel-presence", started);
      ScheduledExecutorService engineExecutor = executor("keel-engine", started);
      ScheduledExecutorService agentExecutor = executor("keel-agent", started);
      MachinePresence presence = new MachinePresence(registry, machine, options.agentTtl, presenceExecutor,
          Clock.systemUTC());
      started.add(presence);
      presence.start();
      Engine engine = new Engine(registry, machineId, engineConfig, engineExecutor, Clock.systemUTC());
      started.add(engine);
      engine.start();
      Agent agent = null;
      if (options.agent) {
        UnitRuntimes runtimes = new UnitRuntimes(
            new ExecLauncher().withMachineEnvironment(Map.of("DOCKER_HOST", options.dockerHost())),
            () -> DockerContainers.connect(options.dockerHost(), machineId));
        agent = new Agent(registry, presence, runtimes, new Journal(dataDir.resolve("journal"), machineId, Clock.systemUTC()),
            Clock.systemUTC(), agentExecutor);
        agent.start();
      }
      NodeRuntime node = new NodeRuntime(client, registry, presence, engine, agent, api, List.copyOf(started));
      self.set(node);
      LOG.info("node {}: serving the API on {}", machineId, api.url());
      return node;
    } catch (RuntimeException | IOException e) {
      closeAll(started);
      client.close();
      throw e;
    }
  }

  private static NodeRuntime started(AtomicReference<NodeRuntime> self) {
    NodeRuntime node = self.get();
    if (node == null) {
      throw new io.keel.api.ApiException(503, "the node is starting");
    }
    return node;
  }

  private static ScheduledExecutorService executor(String name, List<AutoCloseable> started) {
    ScheduledExecutorService executor = daemonExecutor(name);
    started.add(executor::shutdownNow);
    return executor;
  }

  /** A single-threaded scheduled executor on a daemon thread named {@code name}. */
  static ScheduledExecutorService daemonExecutor(String name) {
    return Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  private static void closeAll(List<AutoCloseable> started) {
    for (AutoCloseable c : started.reversed()) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("while stopping: {}", e.toString());
      }
    }
  }

  MachineRecord machine() {
    return presence.machine();
  }

  String apiUrl() {
    return api.url();
  }

  Registry registry() {
    return registry;
  }

  boolean registered() {
    return presence.state() == MachinePresence.State.REGISTERED;
  }

  /**
   * Hands the machine's work over before a restart: the engine steps down, the agent starts
   * draining, then the machine leaves the cluster (its lease is revoked, so the engine places its
   * units elsewhere) and the agent stops each unit once it runs elsewhere. Waits up to {@code
   * timeout}.
   */
  void drain(java.time.Duration timeout) {
    engine.close();
    // draining before leaving: a unit the engine moves at once must not be stopped here as an
    // ordinary reschedule before its new machine runs it
    CompletableFuture<Void> drained = agent == null ? null : agent.drain();
    presence.close();
    if (drained != null) {
      try {
        drained.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        LOG.info("node {}: drained", presence.machine().id());
      } catch (Exception e) {
        LOG.warn("node {}: units still here after {}; stopping them", presence.machine().id(), timeout);
      }
    }
  }

  /** The agent of this node, if it runs one. */
  Optional<Agent> agent() {
    return Optional.ofNullable(agent);
  }

  /** The node status answers at once even while the store does not: the leader is then unknown. */
  private static final java.time.Duration STATUS_LEADER_TIMEOUT = java.time.Duration.ofMillis(200);

  private Schema.NodeStatus status(String version) {
    String leader;
    try {
      leader = registry.leader().get(STATUS_LEADER_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
          .map(v -> v.value()).orElse(null);
    } catch (Exception e) {
      leader = null;
    }
    return new Schema.NodeStatus(presence.machine().id(), presence.state().name().toLowerCase(),
        engine.state().name().toLowerCase(), leader, registry.store(), version);
  }

  /** The node's metrics: presence, engine role and reconcile counters, JVM memory. */
  private static PrometheusMeterRegistry metrics(MachinePresence presence, Engine engine, Agent agent) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Gauge.builder("keel.node.registered", presence,
        p -> p.state() == MachinePresence.State.REGISTERED ? 1 : 0).register(registry);
    Gauge.builder("keel.engine.leader", engine, en -> en.isLeader() ? 1 : 0).register(registry);
    FunctionCounter.builder("keel.engine.reconciles", engine, en -> en.stats().reconciles()).register(registry);
    FunctionCounter.builder("keel.engine.decisions.applied", engine, en -> en.stats().decisionsApplied())
        .register(registry);
    FunctionCounter.builder("keel.engine.decisions.stale", engine, en -> en.stats().decisionsStale())
        .register(registry);
    FunctionCounter.builder("keel.engine.transactions", engine, en -> en.stats().transactions()).register(registry);
    if (agent != null) {
      for (String state : List.of("active", "failed", "activating", "inactive")) {
        Gauge.builder("keel.agent.units", agent, a -> a.units().values().stream()
            .filter(u -> u.activeState().equals(state)).count()).tag("state", state).register(registry);
      }
    }
    new JvmMemoryMetrics().bindTo(registry);
    return registry;
  }

  /**
   * Stops the units (as systemd does at shutdown), stops serving, steps down as engine and leaves
   * the cluster (the machine's lease is revoked).
   */
  @Override
  public void close() {
    if (agent != null) {
      agent.close();
    }
    closeAll(started);
    client.close();
    LOG.info("node {}: stopped", presence.machine().id());
  }
}
