package io.keel.store.metrics;

import io.keel.store.server.LocalMember;
import io.keel.store.watch.WatchHub;
import io.keel.store.raft.RaftNode;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The store member's meters, in Prometheus form. */
public final class StoreMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  public StoreMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    ProcessMeters.bindTo(registry);
  }

  public void bind(LocalMember member, WatchHub hub) {
    bindEtcdNames(member);
    Gauge.builder("keel.store.revision", member.store(), s -> s.currentRevision())
        .register(registry);
    Gauge.builder("keel.store.compact.revision", member.store(), s -> s.compactRevision())
        .register(registry);
    Gauge.builder("keel.store.db.size.bytes", member.store(), s -> s.sizeBytes())
        .register(registry);
    Gauge.builder("keel.store.keys", member.store(), s -> s.keyCount()).register(registry);
    Gauge.builder("keel.store.leases", member.lessor(), l -> l.all().size()).register(registry);
    Gauge.builder("keel.store.watch.streams", hub, WatchHub::streams).register(registry);
    Gauge.builder("keel.raft.term", member, m -> m.raft().term()).register(registry);
    Gauge.builder("keel.raft.applied.index", member, m -> m.raft().appliedIndex())
        .register(registry);
    Gauge.builder("keel.raft.is.leader", member, m -> m.raft().isLeader() ? 1 : 0)
        .register(registry);
  }

  /** The meters etcd's usual alerts and dashboards read, under etcd 3.4's names. */
  private void bindEtcdNames(LocalMember member) {
    RaftNode raft = member.raft();
    Gauge.builder("etcd.server.has.leader", raft, r -> r.hasLeader() ? 1 : 0).register(registry);
    Gauge.builder("etcd.server.is.leader", raft, r -> r.isLeader() ? 1 : 0).register(registry);
    FunctionCounter.builder("etcd.server.leader.changes.seen", raft, RaftNode::leaderChangesSeen)
        .register(registry);
    FunctionCounter.builder("etcd.server.proposals.committed", raft, RaftNode::commitIndex)
        .register(registry);
    FunctionCounter.builder("etcd.server.proposals.applied", raft, RaftNode::appliedIndex)
        .register(registry);
    Gauge.builder("etcd.server.quota.backend.bytes", member,
        m -> m.limits().quotaBackendBytes()).register(registry);
    Gauge.builder("etcd.mvcc.db.total.size.in.bytes", member.store(), s -> s.sizeBytes())
        .register(registry);
    Gauge.builder("etcd.mvcc.db.total.size.in.use.in.bytes", member.store(), s -> s.sizeBytes())
        .register(registry);
    Timer walFsync = Timer.builder("etcd.disk.wal.fsync.duration")
        .description("The latency distributions of fsync called by WAL.")
        .serviceLevelObjectives(exponentialBuckets(Duration.ofMillis(1), 14))
        .register(registry);
    raft.onLogSync(nanos -> walFsync.record(nanos, TimeUnit.NANOSECONDS));
    // a counter only so that the name keeps etcd's "_total" (Prometheus forbids it on gauges)
    FunctionCounter.builder("etcd.debugging.mvcc.keys", member.store(), s -> s.keyCount())
        .register(registry);
  }

  /** Meters for what this member's peer probes find; {@code localId} is this member's id. */
  public PeerMeters peerMeters(long localId) {
    return new PeerMeters(registry, localId);
  }

  /** {@code count} bucket bounds from {@code first}, each twice the one before (etcd's). */
  static Duration[] exponentialBuckets(Duration first, int count) {
    Duration[] bounds = new Duration[count];
    for (int i = 0; i < count; i++) {
      bounds[i] = first.multipliedBy(1L << i);
    }
    return bounds;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition, bucket bounds and quantiles written as etcd writes them. */
  public String scrape() {
    return GoFloatLabels.rewrite(registry.scrape());
  }
}
