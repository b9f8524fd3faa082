package io.keel.store.server;

/**
 * etcd's request limits and the backend quota.
 *
 * @param maxRequestBytes largest request accepted (etcd: 1.5 MiB)
 * @param maxTxnOps most operations in one txn (etcd: 128)
 * @param quotaBackendBytes backend size at which NOSPACE is raised (etcd: 2 GiB)
 */
public record StoreLimits(int maxRequestBytes, int maxTxnOps, long quotaBackendBytes) {
  public static final int MAX_REQUEST_BYTES_DEFAULT = 1536 * 1024;
  public static final int MAX_TXN_OPS_DEFAULT = 128;
  public static final long QUOTA_BACKEND_BYTES_DEFAULT = 2L * 1024 * 1024 * 1024;
  /** gRPC framing allowance above the request limit, as etcd's grpcOverheadBytes. */
  public static final int GRPC_OVERHEAD_BYTES = 512 * 1024;
}
