package io.keel.cli;

import io.keel.lifecycle.locksmith.RebootWindow;
import io.keel.lifecycle.locksmith.Strategy;
import io.keel.lifecycle.update.Channel;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** How a node reboots and updates itself (locksmith's and update_engine's settings). */
final class LifecycleOptions {
  @Option(names = "--reboot-strategy", defaultValue = "etcd-lock",
      description = "etcd-lock (reboot only holding the cluster's reboot lock), reboot (any time in the window), off (default: ${DEFAULT-VALUE}).")
  String strategy;

  @Option(names = "--reboot-window-start", description = "Start of the reboot window, locksmith's format: 'Thu 04:00' or '04:00' (daily).")
  String windowStart;

  @Option(names = "--reboot-window-length", description = "Length of the reboot window, e.g. 1h30m.")
  String windowLength;

  @Option(names = "--reboot-group", description = "The locksmith group whose lock this machine takes (default: the global lock).")
  String group;

  @Option(names = "--update-server", description = "Base URL of the release server (<url>/<channel>/manifest.json); none: no automatic updates.")
  URI updateServer;

  @Option(names = "--update-channel", defaultValue = "stable", description = "alpha, beta or stable (default: ${DEFAULT-VALUE}).")
  String channel;

  @Option(names = "--update-public-key", description = "The release signing public key (Ed25519, PEM).")
  Path publicKey;

  @Option(names = "--update-check-interval", defaultValue = "1h", converter = DurationConverter.class,
      description = "How often to check the channel (default: ${DEFAULT-VALUE}).")
  Duration checkInterval;

  @Option(names = "--health-timeout", defaultValue = "2m", converter = DurationConverter.class,
      description = "How long a newly booted release has to become healthy before the machine rolls back (default: ${DEFAULT-VALUE}).")
  Duration healthTimeout;

  @Option(names = "--drain-timeout", defaultValue = "2m", converter = DurationConverter.class,
      description = "How long a machine about to reboot waits for its units to run elsewhere (default: ${DEFAULT-VALUE}).")
  Duration drainTimeout;

  Strategy strategy() {
    return Strategy.parse(strategy);
  }

  Optional<RebootWindow> window() {
    if (windowStart == null && windowLength == null) {
      return Optional.empty();
    }
    if (windowStart == null || windowLength == null) {
      throw new IllegalArgumentException("--reboot-window-start and --reboot-window-length go together");
    }
    return Optional.of(RebootWindow.parse(windowStart, windowLength));
  }

  Channel channel() {
    return Channel.parse(channel);
  }

  /** Checks the combination before anything starts. */
  void validate() {
    strategy();
    window();
    channel();
    if (updateServer != null && publicKey == null) {
      throw new IllegalArgumentException("--update-server needs --update-public-key to verify releases");
    }
  }
}
