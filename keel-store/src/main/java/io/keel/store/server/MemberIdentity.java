package io.keel.store.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;

/**
 * This member's id and the cluster's. An initial member's id hashes its peer URLs and the cluster
 * token, so every initial member computes the same ids from {@code --initial-cluster}; a member
 * that {@code member add} adds gets the hash of its peer URLs, the token and the time of the add,
 * as etcd's does, so a member removed and added back gets a new id. The cluster id hashes the
 * token. The Raft peer id is the member id in hex.
 */
public record MemberIdentity(long memberId, long clusterId) {

  /** The id of an initial member (named in {@code --initial-cluster}). */
  public static long memberId(List<String> peerUrls, String clusterToken) {
    return hash(urls(peerUrls) + "|" + clusterToken);
  }

  /** The id {@code member add} gives a member at {@code addedAt}. */
  public static long addedMemberId(List<String> peerUrls, String clusterToken, Instant addedAt) {
    return hash(urls(peerUrls) + "|" + clusterToken + "|" + addedAt.toEpochMilli());
  }

  private static String urls(List<String> peerUrls) {
    return String.join(",", peerUrls.stream().sorted().toList());
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
