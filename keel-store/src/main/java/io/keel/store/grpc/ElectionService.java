package io.keel.store.grpc;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.CampaignRequest;
import io.etcd.jetcd.api.CampaignResponse;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.ElectionGrpc;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.LeaderKey;
import io.etcd.jetcd.api.LeaderRequest;
import io.etcd.jetcd.api.LeaderResponse;
import io.etcd.jetcd.api.ProclaimRequest;
import io.etcd.jetcd.api.ProclaimResponse;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.ResignRequest;
import io.etcd.jetcd.api.ResignResponse;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;

/**
 * etcd's {@code v3electionpb.Election} service (jetcd's {@code Election} client): its election
 * recipe on the member's own API. A candidate's key is {@code name/<lease in hex>}; the key
 * created first is the leader, whose value is what it proclaims.
 */
final class ElectionService extends ElectionGrpc.ElectionImplBase {
  static final String NOT_LEADER = "election: not leader";
  static final String NO_LEADER = "election: no leader";
  static final String MISSING_LEADER_KEY = "\"leader\" field must be provided";

  private final LocalClient client;

  ElectionService(LocalClient client) {
    this.client = client;
  }

  @Override
  public void campaign(CampaignRequest request, StreamObserver<CampaignResponse> observer) {
    BlockingCalls.answer(observer, () -> campaign(request));
  }

  private CampaignResponse campaign(CampaignRequest request) {
    long lease = client.sessionLease(request.getLease());
    ByteString prefix = LocalClient.prefixOf(request.getName());
    ByteString key = LocalClient.sessionKey(prefix, lease);
    TxnResponse entered = client.txn(TxnRequest.newBuilder()
        .addCompare(LocalClient.createdAt(key, 0))
        .addSuccess(LocalClient.put(key, request.getValue(), lease))
        .addFailure(LocalClient.get(key)).build());
    long revision = entered.getHeader().getRevision();
    if (!entered.getSucceeded()) {
      KeyValue mine = entered.getResponses(0).getResponseRange().getKvs(0);
      revision = mine.getCreateRevision();
      if (!mine.getValue().equals(request.getValue())) {
        try {
          proclaim(key, revision, lease, request.getValue());
        } catch (RuntimeException e) {
          resign(key, revision);
          throw e;
        }
      }
    }
    try {
      client.waitDeletes(prefix, revision - 1);
    } catch (RuntimeException e) {
      if (Context.current().isCancelled()) {
        long entry = revision;
        BlockingCalls.detached(() -> resign(key, entry));
      }
      throw e;
    }
    return CampaignResponse.newBuilder().setHeader(entered.getHeader())
        .setLeader(LeaderKey.newBuilder().setName(request.getName()).setKey(key)
            .setRev(revision).setLease(lease)).build();
  }

  @Override
  public void proclaim(ProclaimRequest request, StreamObserver<ProclaimResponse> observer) {
    BlockingCalls.answer(observer, () -> {
      LeaderKey leader = leader(request.hasLeader(), request.getLeader());
      long lease = client.sessionLease(leader.getLease());
      return ProclaimResponse.newBuilder()
          .setHeader(proclaim(leader.getKey(), leader.getRev(), lease, request.getValue())).build();
    });
  }

  private ResponseHeader proclaim(ByteString key, long revision, long lease, ByteString value) {
    TxnResponse put = client.txn(TxnRequest.newBuilder()
        .addCompare(LocalClient.createdAt(key, revision))
        .addSuccess(LocalClient.put(key, value, lease)).build());
    if (!put.getSucceeded()) {
      throw new IllegalStateException(NOT_LEADER);
    }
    return put.getHeader();
  }

  @Override
  public void resign(ResignRequest request, StreamObserver<ResignResponse> observer) {
    BlockingCalls.answer(observer, () -> {
      LeaderKey leader = leader(request.hasLeader(), request.getLeader());
      client.sessionLease(leader.getLease());
      return ResignResponse.newBuilder().setHeader(resign(leader.getKey(), leader.getRev())).build();
    });
  }

  private ResponseHeader resign(ByteString key, long revision) {
    return client.txn(TxnRequest.newBuilder().addCompare(LocalClient.createdAt(key, revision))
        .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(
            DeleteRangeRequest.newBuilder().setKey(key))).build()).getHeader();
  }

  private static LeaderKey leader(boolean given, LeaderKey leader) {
    if (!given) {
      throw new IllegalArgumentException(MISSING_LEADER_KEY);
    }
    return leader;
  }

  @Override
  public void leader(LeaderRequest request, StreamObserver<LeaderResponse> observer) {
    BlockingCalls.answer(observer, () -> {
      RangeResponse first = client.range(LocalClient.firstCreated(
          LocalClient.prefixOf(request.getName())));
      if (first.getKvsCount() == 0) {
        throw new IllegalStateException(NO_LEADER);
      }
      return LeaderResponse.newBuilder().setHeader(first.getHeader()).setKv(first.getKvs(0)).build();
    });
  }

  /**
   * Sends the leader, then each new value it proclaims, then the next leader once it resigns or
   * its lease ends; while there is none, waits for the first candidate.
   */
  @Override
  public void observe(LeaderRequest request, StreamObserver<LeaderResponse> observer) {
    BlockingCalls.stream(observer, responses -> {
      ByteString prefix = LocalClient.prefixOf(request.getName());
      while (!Context.current().isCancelled()) {
        RangeResponse first = client.range(LocalClient.firstCreated(prefix));
        LeaderResponse leader = first.getKvsCount() > 0
            ? LeaderResponse.newBuilder().setHeader(first.getHeader()).setKv(first.getKvs(0)).build()
            : firstCandidate(prefix, first.getHeader().getRevision());
        responses.onNext(leader);
        followUntilDeleted(leader, responses);
      }
    });
  }

  /** Waits for a key to be put under {@code prefix}; its put is the answer. */
  private LeaderResponse firstCandidate(ByteString prefix, long fromRevision) {
    try (var watch = client.watch(prefix, LocalClient.prefixEnd(prefix), fromRevision)) {
      while (true) {
        var response = watch.next();
        for (Event event : response.getEventsList()) {
          if (event.getType() == Event.EventType.PUT) {
            return LeaderResponse.newBuilder()
                .setHeader(response.getHeader().toBuilder()
                    .setRevision(event.getKv().getModRevision()))
                .setKv(event.getKv()).build();
          }
        }
      }
    }
  }

  private void followUntilDeleted(LeaderResponse leader, StreamObserver<LeaderResponse> responses) {
    try (var watch = client.watch(leader.getKv().getKey(), ByteString.EMPTY,
        leader.getHeader().getRevision() + 1)) {
      while (true) {
        var response = watch.next();
        for (Event event : response.getEventsList()) {
          if (event.getType() == Event.EventType.DELETE) {
            return;
          }
          responses.onNext(LeaderResponse.newBuilder().setHeader(response.getHeader())
              .setKv(event.getKv()).build());
        }
      }
    }
  }
}
