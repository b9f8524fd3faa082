package io.keel.store.apply;

import io.keel.store.mvcc.StoreError;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The cluster's members as etcd lists them: replicated state, changed only by applied commands.
 * A member added but not yet started has no name and no client URLs, as in etcd.
 */
public final class Members {
  /** One member. */
  public record Member(long id, String name, List<String> peerUrls, List<String> clientUrls,
      boolean learner) {
    public Member {
      peerUrls = List.copyOf(peerUrls);
      clientUrls = List.copyOf(clientUrls);
    }

    /** The member as etcd's API carries it. */
    public io.etcd.jetcd.api.Member toWire() {
      return io.etcd.jetcd.api.Member.newBuilder().setID(id).setName(name)
          .addAllPeerURLs(peerUrls).addAllClientURLs(clientUrls).setIsLearner(learner).build();
    }

    /** A member read from etcd's API. */
    public static Member fromWire(io.etcd.jetcd.api.Member m) {
      return new Member(m.getID(), m.getName(), m.getPeerURLsList(), m.getClientURLsList(),
          m.getIsLearner());
    }
  }

  private final ConcurrentSkipListMap<Long, Member> members =
      new ConcurrentSkipListMap<>(Long::compareUnsigned);

  public List<Member> all() {
    return List.copyOf(members.values());
  }

  public Optional<Member> get(long id) {
    return Optional.ofNullable(members.get(id));
  }

  public boolean isEmpty() {
    return members.isEmpty();
  }

  /**
   * Adds a member that will start later; refuses a taken peer URL (as etcd names it), then a taken
   * id.
   */
  public Member add(long id, List<String> peerUrls, boolean learner) {
    checkPeerUrlsFree(0, peerUrls);
    if (members.containsKey(id)) {
      throw StoreError.MEMBER_EXISTS.exception();
    }
    Member m = new Member(id, "", peerUrls, List.of(), learner);
    members.put(id, m);
    return m;
  }

  /**
   * What a started member publishes about itself. A member that is not in the list (it was
   * removed) cannot put itself back.
   */
  public Member publish(long id, String name, List<String> clientUrls) {
    Member old = members.get(id);
    if (old == null) {
      throw StoreError.MEMBER_NOT_FOUND.exception();
    }
    Member m = new Member(id, name, old.peerUrls(), clientUrls, old.learner());
    members.put(id, m);
    return m;
  }

  public Member remove(long id) {
    Member m = members.remove(id);
    if (m == null) {
      throw StoreError.MEMBER_NOT_FOUND.exception();
    }
    return m;
  }

  public Member updatePeerUrls(long id, List<String> peerUrls) {
    Member old = members.get(id);
    if (old == null) {
      throw StoreError.MEMBER_NOT_FOUND.exception();
    }
    checkPeerUrlsFree(id, peerUrls);
    Member m = new Member(id, old.name(), peerUrls, old.clientUrls(), old.learner());
    members.put(id, m);
    return m;
  }

  public Member promote(long id) {
    Member old = members.get(id);
    if (old == null) {
      throw StoreError.MEMBER_NOT_FOUND.exception();
    }
    if (!old.learner()) {
      throw StoreError.MEMBER_NOT_LEARNER.exception();
    }
    Member m = new Member(id, old.name(), old.peerUrls(), old.clientUrls(), false);
    members.put(id, m);
    return m;
  }

  /** Refuses peer URLs a member other than {@code id} (0: any member) already has. */
  private void checkPeerUrlsFree(long id, List<String> peerUrls) {
    for (Member other : members.values()) {
      if (other.id() != id && other.peerUrls().stream().anyMatch(peerUrls::contains)) {
        throw StoreError.PEER_URL_EXISTS.exception();
      }
    }
  }

  public void restore(List<Member> all) {
    members.clear();
    all.forEach(m -> members.put(m.id(), m));
  }
}
