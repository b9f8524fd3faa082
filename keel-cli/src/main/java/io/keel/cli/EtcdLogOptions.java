package io.keel.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * etcd's logging flags and its {@code --enable-v2}, for {@code keel store}. The level and output
 * are set before the first log line ({@link #configure}), since the logger reads them once; the
 * format stays Keel's whichever {@code --logger} is named.
 */
final class EtcdLogOptions {
  static final String LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";
  static final String FILE_PROPERTY = "org.slf4j.simpleLogger.logFile";

  /** etcd's levels, and the level Keel's logger takes for each. */
  private static final Map<String, String> LEVELS = Map.of("debug", "debug", "info", "info",
      "warn", "warn", "error", "error", "dpanic", "error", "panic", "error", "fatal", "error");

  @Option(names = "--logger", defaultValue = "capnslog",
      description = "etcd's logger, 'zap' or 'capnslog'; either way Keel writes its own log lines"
          + " (default: ${DEFAULT-VALUE}).")
  String logger;

  @Option(names = "--log-level", defaultValue = "info",
      description = "The least severe level logged: debug, info, warn, error, panic or fatal"
          + " (default: ${DEFAULT-VALUE}).")
  String logLevel;

  @Option(names = "--debug", arity = "0..1",
      description = "Log at the debug level, as --log-level debug (etcd's older flag).")
  boolean debug;

  @Option(names = "--log-outputs", defaultValue = "default",
      description = "Where the log goes: 'default' or 'stderr', 'stdout', or one file's path"
          + " (default: ${DEFAULT-VALUE}).")
  String logOutputs;

  @Option(names = "--enable-v2", arity = "0..1",
      description = "etcd's v2 API. Keel serves the v3 API only, so only false is accepted.")
  boolean enableV2;

  /**
   * Sets the log level and output named by {@code args} (the arguments after {@code store}) as
   * system properties, unless they are set already; a value that is not valid is left for {@link
   * #check} to refuse.
   */
  static void configure(List<String> args) {
    boolean debug = StoreArguments.value(args, "--debug").map(v -> !v.equals("false"))
        .orElse(args.contains("--debug"));
    Optional<String> level = debug ? Optional.of("debug")
        : StoreArguments.value(args, "--log-level").map(l -> LEVELS.get(l.toLowerCase(Locale.ROOT)));
    level.ifPresent(l -> setUnlessSet(LEVEL_PROPERTY, l));
    StoreArguments.value(args, "--log-outputs").flatMap(EtcdLogOptions::logFile)
        .ifPresent(file -> setUnlessSet(FILE_PROPERTY, file));
  }

  private static void setUnlessSet(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }

  /** The logger's file setting for an etcd log output, if it is one Keel can write to. */
  static Optional<String> logFile(String outputs) {
    if (outputs.contains(",")) {
      return Optional.empty();
    }
    return Optional.of(switch (outputs) {
      case "default", "stderr" -> "System.err";
      case "stdout" -> "System.out";
      default -> outputs;
    }).filter(file -> !file.isBlank());
  }

  /** Refuses values etcd would refuse, and those Keel cannot honour. */
  void check() {
    if (!logger.equals("zap") && !logger.equals("capnslog")) {
      throw new IllegalArgumentException("unknown --logger '" + logger + "' (zap or capnslog)");
    }
    if (!LEVELS.containsKey(logLevel.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("unknown --log-level '" + logLevel
          + "' (debug, info, warn, error, panic or fatal)");
    }
    if (logFile(logOutputs).isEmpty()) {
      throw new IllegalArgumentException("--log-outputs '" + logOutputs + "': Keel writes its log"
          + " to one output: default, stderr, stdout or a file's path");
    }
    if (enableV2) {
      throw new IllegalArgumentException("--enable-v2: Keel serves etcd's v3 API only; the v2 API"
          + " (removed from etcd in 3.6) is not available");
    }
  }
}
