package io.keel.cli.config;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link Provisioner}: changes nothing on the machine (Keel does not manage OS users), only
 * logs and records what a real provisioner would be asked to do. Thread-safe.
 */
public final class LoggingProvisioner implements Provisioner {
  private static final Logger LOG = LoggerFactory.getLogger(LoggingProvisioner.class);
  private final List<String> actions = new ArrayList<>();

  @Override
  public synchronized void provision(List<MachineConfig.User> users) {
    for (MachineConfig.User user : users) {
      String action = "user " + user.name()
          + (user.groups().isEmpty() ? "" : " groups " + String.join(",", user.groups()))
          + ": " + user.sshAuthorizedKeys().size() + " ssh key(s) (not applied: no provisioner configured)";
      actions.add(action);
      LOG.info(action);
    }
  }

  /** What was asked so far, one line per user. */
  public synchronized List<String> actions() {
    return List.copyOf(actions);
  }
}
