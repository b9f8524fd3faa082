package io.keel.cli.config;

import java.util.List;

/**
 * Applies the {@code users:} of a machine file. Keel does not manage OS users itself: a deployment
 * plugs in what fits its OS (useradd, an image builder, a configuration manager).
 */
public interface Provisioner {
  /**
   * Makes each user exist with its groups and exactly its SSH authorized keys. Called after the file
   * validated and its files were written, before the node starts.
   *
   * @throws Exception if a user cannot be provisioned; the node then does not start
   */
  void provision(List<MachineConfig.User> users) throws Exception;
}
