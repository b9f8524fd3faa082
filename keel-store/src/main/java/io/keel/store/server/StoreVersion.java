package io.keel.store.server;

/** The etcd API version the store speaks, reported by Maintenance.Status. */
public final class StoreVersion {
  public static final String ETCD_API = "3.4.0";

  private StoreVersion() {}
}
