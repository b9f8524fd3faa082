package io.keel.store.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.List;

/**
 * Member and cluster ids, derived as etcd derives them: a member's id hashes its peer URLs and
 * the cluster token; the cluster id hashes the member ids. Every member computes the same ids.
 */
public final class MemberIdentity {
  public record Member(long id, String name, List<String> peerUrls, List<String> clientUrls) {}

  private final long memberId;
  private final long clusterId;
  private final List<Member> members;

  public MemberIdentity(String selfName, List<Member> members) {
    this.members = members.stream().sorted(Comparator.comparingLong(Member::id)).toList();
    this.memberId = members.stream().filter(m -> m.name().equals(selfName)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no member named " + selfName))
        .id();
    StringBuilder all = new StringBuilder();
    this.members.forEach(m -> all.append(Long.toUnsignedString(m.id())).append(','));
    this.clusterId = hash(all.toString());
  }

  public static long memberId(List<String> peerUrls, String clusterToken) {
    return hash(String.join(",", peerUrls.stream().sorted().toList()) + "|" + clusterToken);
  }

  private static long hash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8));
      long id = ByteBuffer.wrap(d).getLong();
      return id == 0 ? 1 : id;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public long memberId() {
    return memberId;
  }

  public long clusterId() {
    return clusterId;
  }

  public List<Member> members() {
    return members;
  }
}
