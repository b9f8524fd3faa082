package io.keel.store.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * This member's id and the cluster's. A member's id hashes its peer URLs and the cluster token,
 * so every member (and {@code member add}) computes the same id for the same member; the cluster
 * id hashes the token. The Raft peer id is the member id in hex.
 */
public record MemberIdentity(long memberId, long clusterId) {

  public static long memberId(List<String> peerUrls, String clusterToken) {
    return hash(String.join(",", peerUrls.stream().sorted().toList()) + "|" + clusterToken);
  }

  public static long clusterId(String clusterToken) {
    return hash("cluster|" + clusterToken);
  }

  public static String raftId(long memberId) {
    return Long.toHexString(memberId);
  }

  public static long fromRaftId(String raftId) {
    return Long.parseUnsignedLong(raftId, 16);
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
}
