package io.keel.cli;

import io.keel.store.server.StoreVersion;
import picocli.CommandLine;

final class KeelVersion implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Keel.class.getPackage().getImplementationVersion();
    return new String[] {"keel " + (v == null ? "dev" : v), "etcd API " + StoreVersion.ETCD_API};
  }
}
