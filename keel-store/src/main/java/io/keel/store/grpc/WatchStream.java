package io.keel.store.grpc;

import io.etcd.jetcd.api.WatchCancelRequest;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.keel.store.apply.Protos;
import io.keel.store.apply.WireExtras;
import io.etcd.jetcd.api.Permission;
import io.keel.store.auth.Caller;
import io.keel.store.mvcc.Bytes;
import io.keel.store.mvcc.Event;
import io.keel.store.mvcc.KeyRange;
import io.keel.store.mvcc.MvccException;
import io.keel.store.mvcc.MvccStore;
import io.keel.store.mvcc.StoreError;
import io.keel.store.server.LocalMember;
import io.keel.store.watch.SerialExecutor;
import io.keel.store.watch.WatchHub;
import io.keel.store.watch.Watcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client watch stream. Watchers pull their events from the store's history: the apply path
 * only wakes the stream, so a slow client never blocks apply, and a watcher that falls behind
 * catches up from history in order, without gaps or duplicates. All work for the stream runs on
 * one serial executor, which also serializes writes to the gRPC observer.
 */
final class WatchStream implements StreamObserver<WatchRequest>, WatchHub.Listener {
  private static final int MAX_REVISIONS_PER_PASS = 256;
  private static final int SOFT_RESPONSE_BYTES = 1 << 20;
  private static final String DUPLICATE_ID = "mvcc: duplicate watch ID provided on the WatchStream";
  private static final String EMPTY_RANGE = "mvcc: watcher range is empty";
  /** etcd's cancel reason: the gRPC error's text, as Go prints it. */
  private static final String PERMISSION_DENIED =
      "rpc error: code = PermissionDenied desc = " + StoreError.PERMISSION_DENIED.message();

  private final LocalMember member;
  private final String token;
  private final WatchHub hub;
  private final SerialExecutor serial;
  private final ServerCallStreamObserver<WatchResponse> out;
  private final Map<Long, Watcher> watchers = new LinkedHashMap<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private long nextAutoId;
  private boolean closed;

  WatchStream(LocalMember member, WatchHub hub, Executor executor,
      ServerCallStreamObserver<WatchResponse> out) {
    this.member = member;
    this.token = AuthInterceptor.currentToken();
    this.hub = hub;
    this.serial = new SerialExecutor(executor);
    this.out = out;
  }

  void open() {
    out.setOnReadyHandler(this::onNewRevision);
    out.setOnCancelHandler(() -> serial.execute(this::close));
    hub.register(this);
  }

  @Override
  public void onNext(WatchRequest request) {
    serial.execute(() -> handle(request));
  }

  @Override
  public void onError(Throwable t) {
    serial.execute(this::close);
  }

  @Override
  public void onCompleted() {
    serial.execute(() -> {
      close();
      try {
        out.onCompleted();
      } catch (RuntimeException ignored) {
        // the call is already gone
      }
    });
  }

  @Override
  public void onNewRevision() {
    if (drainScheduled.compareAndSet(false, true)) {
      serial.execute(this::drain);
    }
  }

  @Override
  public void onProgressTick() {
    serial.execute(this::progressTick);
  }

  private void close() {
    closed = true;
    watchers.clear();
    hub.unregister(this);
  }

  private void handle(WatchRequest request) {
    if (closed) {
      return;
    }
    switch (request.getRequestUnionCase()) {
      case CREATE_REQUEST -> create(request.getCreateRequest());
      case CANCEL_REQUEST -> cancel(request.getCancelRequest());
      case PROGRESS_REQUEST -> send(WatchResponse.newBuilder()
          .setHeader(member.header()).setWatchId(-1).build());
      default -> { }
    }
  }

  /** etcd's isWatchPermitted: read permission on the watched keys; an unknown token has none. */
  private boolean permitted(WatchCreateRequest r) {
    try {
      Caller caller = AuthInterceptor.caller(member.auth(), token);
      member.auth().checkKeys(caller, Permission.Type.READ, r.getKey(), r.getRangeEnd());
      return true;
    } catch (MvccException e) {
      return false;
    }
  }

  private void create(WatchCreateRequest r) {
    Bytes key = r.getKey().isEmpty() ? Bytes.ZERO : Protos.bytes(r.getKey());
    KeyRange range = new KeyRange(key, Protos.bytes(r.getRangeEnd()));
    long requestedId = WireExtras.requestedWatchId(r);
    long id = requestedId != 0 ? requestedId : autoId();
    String refusal = null;
    if (!range.isSingleKey() && !range.isOpenEnded() && range.end().compareTo(key) <= 0) {
      refusal = EMPTY_RANGE;
    } else if (watchers.containsKey(id)) {
      refusal = DUPLICATE_ID;
    } else if (!permitted(r)) {
      refusal = PERMISSION_DENIED;
    }
    var created = WatchResponse.newBuilder().setHeader(member.header()).setCreated(true);
    if (refusal != null) {
      send(created.setWatchId(requestedId != 0 ? id : -1).setCanceled(true)
          .setCancelReason(refusal).build());
      return;
    }
    boolean noPut = false;
    boolean noDelete = false;
    for (WatchCreateRequest.FilterType f : r.getFiltersList()) {
      noPut |= f == WatchCreateRequest.FilterType.NOPUT;
      noDelete |= f == WatchCreateRequest.FilterType.NODELETE;
    }
    long start = r.getStartRevision() > 0
        ? r.getStartRevision() : member.store().currentRevision() + 1;
    watchers.put(id, new Watcher(id, range, start, noPut, noDelete, r.getPrevKv(),
        r.getProgressNotify(), WireExtras.fragment(r)));
    send(created.setWatchId(id).build());
    onNewRevision();
  }

  private long autoId() {
    while (watchers.containsKey(nextAutoId)) {
      nextAutoId++;
    }
    return nextAutoId++;
  }

  private void cancel(WatchCancelRequest r) {
    if (watchers.remove(r.getWatchId()) != null) {
      send(WatchResponse.newBuilder().setHeader(member.header())
          .setWatchId(r.getWatchId()).setCanceled(true).build());
    }
  }

  /**
   * Sends every watcher what it has not seen yet. Watchers at the same next revision (usually
   * all of them) share one read of the history, events are grouped by key once per read so a
   * single-key watcher finds its own directly, and each event is encoded once per pass.
   */
  private void drain() {
    drainScheduled.set(false);
    if (closed) {
      return;
    }
    MvccStore store = member.store();
    boolean behind = false;
    Map<Long, Pass> passes = new HashMap<>();
    for (Watcher w : new ArrayList<>(watchers.values())) {
      if (!out.isReady()) {
        return;
      }
      if (w.nextRevision() > store.currentRevision()) {
        continue;
      }
      Pass pass;
      try {
        pass = passes.computeIfAbsent(w.nextRevision(),
            rev -> new Pass(store.eventsFrom(rev, MAX_REVISIONS_PER_PASS)));
      } catch (MvccException e) {
        if (e.error() != StoreError.COMPACTED) {
          throw e;
        }
        watchers.remove(w.id());
        send(WatchResponse.newBuilder().setHeader(member.header(0)).setWatchId(w.id())
            .setCompactRevision(store.compactRevision()).setCanceled(true).build());
        continue;
      }
      sendEvents(w, pass.eventsFor(w), pass);
      w.advanceTo(pass.batch.throughRevision() + 1);
      behind |= pass.batch.throughRevision() < store.currentRevision();
    }
    if (behind) {
      onNewRevision();
    }
  }

  /** One read of the history, shared by the watchers that start at the same revision. */
  private static final class Pass {
    private final MvccStore.EventBatch batch;
    private Map<Bytes, List<Event>> byKey;
    private final Map<Event, io.etcd.jetcd.api.Event> wire = new IdentityHashMap<>();
    private final Map<Event, io.etcd.jetcd.api.Event> wireWithPrev = new IdentityHashMap<>();

    Pass(MvccStore.EventBatch batch) {
      this.batch = batch;
    }

    List<Event> eventsFor(Watcher w) {
      if (!w.range().isSingleKey()) {
        return batch.events();
      }
      if (byKey == null) {
        byKey = new HashMap<>();
        for (Event e : batch.events()) {
          byKey.computeIfAbsent(e.kv().key(), k -> new ArrayList<>()).add(e);
        }
      }
      return byKey.getOrDefault(w.range().key(), List.of());
    }

    io.etcd.jetcd.api.Event encode(Event e, boolean prevKv) {
      return (prevKv ? wireWithPrev : wire).computeIfAbsent(e, x -> Protos.event(x, prevKv));
    }
  }

  private void sendEvents(Watcher w, List<Event> events, Pass pass) {
    long headerRevision = pass.batch.throughRevision();
    List<io.etcd.jetcd.api.Event> selected = new ArrayList<>();
    long size = 0;
    long lastRevision = -1;
    for (Event e : events) {
      if (!w.selects(e)) {
        continue;
      }
      if (size > SOFT_RESPONSE_BYTES && e.revision() != lastRevision && !w.fragment()) {
        sendBatch(w, selected, headerRevision);
        selected = new ArrayList<>();
        size = 0;
      }
      var wire = pass.encode(e, w.prevKv());
      selected.add(wire);
      size += wire.getSerializedSize();
      lastRevision = e.revision();
    }
    if (!selected.isEmpty()) {
      sendBatch(w, selected, headerRevision);
    }
  }

  private void sendBatch(Watcher w, List<io.etcd.jetcd.api.Event> events, long headerRevision) {
    var header = member.header(Math.max(headerRevision, events.get(events.size() - 1)
        .getKv().getModRevision()));
    w.markSent();
    int limit = member.limits().maxRequestBytes();
    if (!w.fragment()) {
      send(WatchResponse.newBuilder().setHeader(header).setWatchId(w.id())
          .addAllEvents(events).build());
      return;
    }
    List<io.etcd.jetcd.api.Event> piece = new ArrayList<>();
    long size = 0;
    for (int i = 0; i < events.size(); i++) {
      var e = events.get(i);
      if (!piece.isEmpty() && size + e.getSerializedSize() > limit) {
        send(WireExtras.markFragment(WatchResponse.newBuilder().setHeader(header)
            .setWatchId(w.id()).addAllEvents(piece)).build());
        piece = new ArrayList<>();
        size = 0;
      }
      piece.add(e);
      size += e.getSerializedSize();
    }
    send(WatchResponse.newBuilder().setHeader(header).setWatchId(w.id())
        .addAllEvents(piece).build());
  }

  private void progressTick() {
    if (closed) {
      return;
    }
    long current = member.store().currentRevision();
    for (Watcher w : watchers.values()) {
      boolean sent = w.takeSentSinceTick();
      if (w.progressNotify() && !sent && w.nextRevision() > current) {
        send(WatchResponse.newBuilder().setHeader(member.header(current))
            .setWatchId(w.id()).build());
      }
    }
  }

  private void send(WatchResponse response) {
    if (closed) {
      return;
    }
    try {
      out.onNext(response);
    } catch (RuntimeException e) {
      close();
    }
  }
}
