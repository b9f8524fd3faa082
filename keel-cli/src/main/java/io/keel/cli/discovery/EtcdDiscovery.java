package io.keel.cli.discovery;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd v3 discovery on any etcd v3 endpoint (a Keel store or etcd) through jetcd: check the size,
 * register this member with a create-only transaction, then watch the members prefix until
 * {@code size} members are registered. What the registrations mean is {@link RegisteredMembers}'s.
 */
public final class EtcdDiscovery implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EtcdDiscovery.class);

  private final DiscoveryConfig config;
  private final Client client;
  private final Duration callTimeout;

  private EtcdDiscovery(DiscoveryConfig config) {
    this.config = config;
    this.callTimeout = config.dialTimeout().plus(config.requestTimeout());
    this.client = Client.builder()
        .endpoints(config.endpoints().uris())
        .connectTimeout(config.dialTimeout())
        .waitForReady(false)
        .build();
  }

  /**
   * Registers the member {@code memberId} as {@code self} ({@code name=peer-url,...}) and
   * returns the initial cluster once {@code size} members registered, as {@code --initial-cluster}
   * takes it. Waits for the other members as long as it takes, as etcd does; a discovery service
   * that does not answer a request within the dial and request timeouts is an error.
   *
   * @throws DiscoveryException when the size key is missing or bad, the cluster is full, or the
   *     discovery service cannot be reached
   */
  public static String join(DiscoveryConfig config, long memberId, String self)
      throws InterruptedException {
    try (EtcdDiscovery discovery = new EtcdDiscovery(config)) {
      return discovery.join(DiscoveryKeys.memberKey(config.token(), memberId), self);
    }
  }

  private String join(String selfKey, String self) throws InterruptedException {
    String token = config.token();
    int size = readSize();
    readMembers().members().requireRoom(selfKey, size);
    register(selfKey, self);
    while (true) {
      size = readSize();
      Snapshot now = readMembers();
      now.members().requireRoom(selfKey, size);
      if (!now.members().isComplete(size)) {
        LOG.info("discovery: {} of {} members registered under token '{}'; waiting for the rest",
            now.members().count(), size, token);
        if (!awaitMembers(now, size)) {
          continue;
        }
        now.members().requireRoom(selfKey, size);
      }
      String cluster = now.members().initialCluster(size);
      LOG.info("discovery: token '{}' complete with {} members; initial cluster {}", token, size,
          cluster);
      return cluster;
    }
  }

  private record Snapshot(RegisteredMembers members, long revision) {}

  private int readSize() throws InterruptedException {
    String key = DiscoveryKeys.sizeKey(config.token());
    GetResponse r = call("read " + key, client.getKVClient().get(bytes(key)));
    String value = r.getKvs().isEmpty() ? null : string(r.getKvs().get(0).getValue());
    return DiscoveryKeys.parseSize(config.token(), value);
  }

  private Snapshot readMembers() throws InterruptedException {
    String prefix = DiscoveryKeys.membersPrefix(config.token());
    GetResponse r = call("read " + prefix, client.getKVClient().get(bytes(prefix),
        GetOption.builder().isPrefix(true).build()));
    RegisteredMembers members = new RegisteredMembers(config.token());
    for (KeyValue kv : r.getKvs()) {
      add(members, kv);
    }
    return new Snapshot(members, r.getHeader().getRevision());
  }

  /** Create-only: a member restarted before its cluster formed finds its own registration. */
  private void register(String selfKey, String self) throws InterruptedException {
    ByteSequence key = bytes(selfKey);
    TxnResponse r = call("register " + selfKey, client.getKVClient().txn()
        .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
        .Then(Op.put(key, bytes(self), PutOption.DEFAULT))
        .Else(Op.get(key, GetOption.DEFAULT))
        .commit());
    if (r.isSucceeded()) {
      LOG.info("discovery: registered {} as {}", selfKey, self);
      return;
    }
    String existing = r.getGetResponses().isEmpty() || r.getGetResponses().get(0).getKvs().isEmpty()
        ? "" : string(r.getGetResponses().get(0).getKvs().get(0).getValue());
    if (!existing.strip().equals(self)) {
      throw new DiscoveryException("discovery: " + selfKey + " is already registered as '"
          + existing + "', not '" + self + "' (another member with these peer URLs?)");
    }
    LOG.info("discovery: {} was already registered as {}", selfKey, self);
  }

  /**
   * Watches the members prefix after {@code from}'s revision until {@code size} members are
   * registered. Returns false if the watch failed (for instance its revision was compacted), so
   * the caller reads the members again.
   */
  private boolean awaitMembers(Snapshot from, int size) throws InterruptedException {
    BlockingQueue<Object> updates = new LinkedBlockingQueue<>();
    WatchOption option = WatchOption.builder().isPrefix(true)
        .withRevision(from.revision() + 1).build();
    try (Watch.Watcher watcher = client.getWatchClient().watch(
        bytes(DiscoveryKeys.membersPrefix(config.token())), option,
        Watch.listener(updates::add, updates::add, () -> updates.add(new Exception("closed"))))) {
      while (!from.members().isComplete(size)) {
        Object update = updates.take();
        if (update instanceof Throwable t) {
          LOG.warn("discovery: watch on the members failed ({}); reading them again",
              t.toString());
          return false;
        }
        for (WatchEvent e : ((WatchResponse) update).getEvents()) {
          if (e.getEventType() == WatchEvent.EventType.PUT) {
            add(from.members(), e.getKeyValue());
          }
        }
      }
      return true;
    }
  }

  private static void add(RegisteredMembers members, KeyValue kv) {
    String key = string(kv.getKey());
    String value = string(kv.getValue());
    String ignored = members.add(key, value, kv.getCreateRevision());
    if (ignored != null) {
      LOG.warn("discovery: ignoring {}", ignored);
    } else {
      LOG.info("discovery: found peer {} = {}", key, value);
    }
  }

  private <T> T call(String what, CompletableFuture<T> future) throws InterruptedException {
    try {
      return future.get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw unreachable(what, "no answer within " + callTimeout.toMillis() + " ms", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw unreachable(what, String.valueOf(cause.getMessage()), cause);
    }
  }

  private DiscoveryException unreachable(String what, String why, Throwable cause) {
    return new DiscoveryException("discovery: cannot " + what + " on the discovery service at "
        + config.endpoints() + ": " + why, cause);
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  private static String string(ByteSequence b) {
    return b.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    client.close();
  }
}
