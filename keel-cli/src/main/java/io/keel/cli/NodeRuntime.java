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
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One machine of the cluster, wired: its presence (machine record on a lease), an engine
 * candidate, and the API server, all on one store client. The agent that runs units joins here.
 */
final class NodeRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeRuntime.class);
  /** gRPC logs through java.util.logging; held so the level sticks (JUL keeps loggers weakly). */
  private static final java.util.logging.Logger GRPC_LOG = java.util.logging.Logger.getLogger("io.grpc");

  private final Client client;
  private final Registry registry;
  private final MachinePresence presence;
  private final Engine engine;
  private final ApiServer api;
  private final ScheduledExecutorService presenceExecutor;
  private final ScheduledExecutorService engineExecutor;

  private NodeRuntime(Client client, Registry registry, MachinePresence presence, Engine engine, ApiServer api,
      ScheduledExecutorService presenceExecutor, ScheduledExecutorService engineExecutor) {
    this.client = client;
    this.registry = registry;
    this.presence = presence;
    this.engine = engine;
    this.api = api;
    this.presenceExecutor = presenceExecutor;
    this.engineExecutor = engineExecutor;
  }

  /**
   * Connects to the store, checks it answers, then starts presence, engine and API. Fails with a
   * one-line message if the store cannot be reached or the API address cannot be bound.
   */
  static NodeRuntime start(StoreEndpoints endpoints, NodeOptions options, Path dataDir, String version)
      throws IOException {
    String machineId = options.machineId != null ? MachineId.validate(options.machineId)
        : MachineId.loadOrCreate(dataDir);
    MachineRecord machine = new MachineRecord(machineId,
        options.publicIp != null ? options.publicIp : MachineSpec.detectPublicIp(),
        MachineSpec.parseMetadata(options.metadata), MachineSpec.parseCapacity(options.capacity), version);
    var engineConfig = options.engineConfig();
    var apiAddress = options.apiAddress();

    GRPC_LOG.setLevel(java.util.logging.Level.WARNING);
    Client client = endpoints.connect();
    Registry registry = new Registry(client, endpoints.toString());
    ScheduledExecutorService presenceExecutor = null;
    ScheduledExecutorService engineExecutor = null;
    MachinePresence presence = null;
    Engine engine = null;
    try {
      Registry.await(registry.ensureLayout());
      presenceExecutor = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "keel-presence"));
      engineExecutor = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "keel-engine"));
      presence = new MachinePresence(registry, machine, options.agentTtl, presenceExecutor, Clock.systemUTC());
      presence.start();
      engine = new Engine(registry, machineId, engineConfig, engineExecutor, Clock.systemUTC());
      engine.start();
      MachinePresence p = presence;
      Engine e = engine;
      PrometheusMeterRegistry metrics = metrics(p, e);
      ApiServer api = ApiServer.start(apiAddress, registry, () -> status(registry, p, e, version), metrics::scrape,
          version);
      LOG.info("node {}: serving the API on {}", machineId, api.url());
      return new NodeRuntime(client, registry, presence, engine, api, presenceExecutor, engineExecutor);
    } catch (RuntimeException | IOException e) {
      if (engine != null) {
        engine.close();
      }
      if (presence != null) {
        presence.close();
      }
      if (engineExecutor != null) {
        engineExecutor.shutdownNow();
      }
      if (presenceExecutor != null) {
        presenceExecutor.shutdownNow();
      }
      client.close();
      throw e;
    }
  }

  MachineRecord machine() {
    return presence.machine();
  }

  String apiUrl() {
    return api.url();
  }

  private static Schema.NodeStatus status(Registry registry, MachinePresence presence, Engine engine,
      String version) {
    String leader;
    try {
      leader = Registry.await(registry.leader()).map(v -> v.value()).orElse(null);
    } catch (RuntimeException e) {
      leader = null;
    }
    return new Schema.NodeStatus(presence.machine().id(), presence.state().name().toLowerCase(),
        engine.state().name().toLowerCase(), leader, registry.store(), version);
  }

  /** The node's metrics: presence, engine role and reconcile counters, JVM memory. */
  private static PrometheusMeterRegistry metrics(MachinePresence presence, Engine engine) {
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
    new JvmMemoryMetrics().bindTo(registry);
    return registry;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Stops serving, steps down as engine and leaves the cluster (the machine's lease is revoked). */
  @Override
  public void close() {
    api.close();
    engine.close();
    presence.close();
    engineExecutor.shutdownNow();
    presenceExecutor.shutdownNow();
    client.close();
    LOG.info("node {}: stopped", presence.machine().id());
  }
}
