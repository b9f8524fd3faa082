package io.keel.bench;

import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrantResponse;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.LeaseRevokeResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Lease churn (after etcd's {@code benchmark lease-keepalive}): each measured request is one
 * lease's life: grant (TTL {@code --ttl}), {@code --keepalives} keep-alives on the client's
 * LeaseKeepAlive stream, revoke. Reports cycles/s and the latency of each step.
 */
@Command(name = "lease", aliases = "lease-keepalive", mixinStandardHelpOptions = true,
    description = "Lease churn: grant, keep-alive, revoke (etcd benchmark 'lease-keepalive').")
public final class LeaseCmd extends Workload {
  @Option(names = "--ttl", defaultValue = "60", description = "Lease TTL in seconds (default: ${DEFAULT-VALUE}).")
  long ttl;

  @Option(names = "--keepalives", defaultValue = "1",
      description = "Keep-alives per lease (default: ${DEFAULT-VALUE}).")
  int keepalives;

  private final LatencyStats grant = new LatencyStats();
  private final LatencyStats keepalive = new LatencyStats();
  private final LatencyStats revoke = new LatencyStats();
  private AtomicReferenceArray<KeepAliveStream> streams;

  @Override
  protected String name() {
    return "lease";
  }

  @Override
  protected String unit() {
    return "cycle";
  }

  @Override
  protected void describe(JsonLine json) {
    json.put("ttl", ttl).put("keepalives", keepalives);
  }

  /** One client's LeaseKeepAlive stream; the client has at most one keep-alive in flight. */
  private static final class KeepAliveStream implements StreamObserver<LeaseKeepAliveResponse> {
    final StreamObserver<LeaseKeepAliveRequest> requests;
    volatile Consumer<LeaseKeepAliveResponse> onResponse;
    volatile Consumer<Throwable> onFailure;
    volatile boolean dead;

    KeepAliveStream(LeaseGrpc.LeaseStub stub) {
      this.requests = stub.leaseKeepAlive(this);
    }

    void send(long id, Consumer<LeaseKeepAliveResponse> ok, Consumer<Throwable> failed) {
      onResponse = ok;
      onFailure = failed;
      requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(id).build());
    }

    @Override
    public void onNext(LeaseKeepAliveResponse r) {
      Consumer<LeaseKeepAliveResponse> c = onResponse;
      onResponse = null;
      onFailure = null;
      if (c != null) {
        c.accept(r);
      }
    }

    @Override
    public void onError(Throwable t) {
      dead = true;
      Consumer<Throwable> f = onFailure;
      onResponse = null;
      onFailure = null;
      if (f != null) {
        f.accept(t);
      }
    }

    @Override
    public void onCompleted() {
      onError(Status.UNAVAILABLE.withDescription("keep-alive stream closed by server")
          .asException());
    }
  }

  @Override
  protected ClosedLoop.Op op() {
    if (keepalives < 0) {
      throw new IllegalArgumentException("--keepalives must be >= 0");
    }
    if (streams != null) {
      for (int i = 0; i < streams.length(); i++) {
        KeepAliveStream s = streams.get(i);
        if (s != null) {
          s.requests.onCompleted();
        }
      }
    }
    streams = new AtomicReferenceArray<>(common.clients);
    grant.reset();
    keepalive.reset();
    revoke.reset();
    return (seq, client, done) -> {
      LeaseGrpc.LeaseStub stub = LeaseGrpc.newStub(conns.forClient(client));
      long t0 = System.nanoTime();
      withDeadline(stub).leaseGrant(LeaseGrantRequest.newBuilder().setTTL(ttl).build(),
          new Unary<LeaseGrantResponse>(done) {
            @Override
            void ok(LeaseGrantResponse r) {
              long t1 = System.nanoTime();
              grant.recordNanos(t1 - t0);
              if (!r.getError().isEmpty() || r.getID() == 0) {
                done.done(Status.INTERNAL.withDescription("lease grant: " + r.getError())
                    .asException());
                return;
              }
              keepAlive(stub, client, r.getID(), keepalives, done);
            }
          });
    };
  }

  private void keepAlive(LeaseGrpc.LeaseStub stub, int client, long id, int left,
      ClosedLoop.Done done) {
    if (left == 0) {
      long t0 = System.nanoTime();
      withDeadline(stub).leaseRevoke(LeaseRevokeRequest.newBuilder().setID(id).build(),
          new Unary<LeaseRevokeResponse>(done) {
            @Override
            void ok(LeaseRevokeResponse r) {
              revoke.recordNanos(System.nanoTime() - t0);
              done.done(null);
            }
          });
      return;
    }
    KeepAliveStream s = streams.get(client);
    if (s == null || s.dead) {
      s = new KeepAliveStream(stub);
      streams.set(client, s);
    }
    long t0 = System.nanoTime();
    s.send(id,
        r -> {
          keepalive.recordNanos(System.nanoTime() - t0);
          if (r.getID() != id || r.getTTL() <= 0) {
            done.done(Status.INTERNAL.withDescription(
                "keep-alive of lease " + id + " answered id " + r.getID() + " ttl " + r.getTTL())
                .asException());
            return;
          }
          keepAlive(stub, client, id, left - 1, done);
        },
        done::done);
  }

  @Override
  protected void after(ClosedLoop.Outcome outcome, JsonLine json, StringBuilder human) {
    for (int i = 0; i < streams.length(); i++) {
      KeepAliveStream s = streams.get(i);
      if (s != null && !s.dead) {
        s.requests.onCompleted();
      }
    }
    json.put("ops_per_s", outcome.perSecond() * (2 + keepalives));
    grant.writeTo(json, "grant_");
    keepalive.writeTo(json, "keepalive_");
    revoke.writeTo(json, "revoke_");
    human.append("  grant     ").append(grant.summary()).append('\n');
    human.append("  keepalive ").append(keepalive.summary()).append('\n');
    human.append("  revoke    ").append(revoke.summary()).append('\n');
  }

  /** A unary call's observer: hands the response to {@link #ok}, errors to {@code done}. */
  private abstract static class Unary<T> implements StreamObserver<T> {
    private final ClosedLoop.Done done;
    private T value;

    Unary(ClosedLoop.Done done) {
      this.done = done;
    }

    abstract void ok(T value);

    @Override
    public void onNext(T v) {
      value = v;
    }

    @Override
    public void onError(Throwable t) {
      done.done(t);
    }

    @Override
    public void onCompleted() {
      if (value == null) {
        done.done(Status.INTERNAL.withDescription("no response").asException());
      } else {
        ok(value);
      }
    }
  }
}
