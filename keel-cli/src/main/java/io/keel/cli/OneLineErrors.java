package io.keel.cli;

import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Errors as one line on stderr and a non-zero exit, never a stack trace. An error that names a
 * flag set outside the command line also says where it was set ({@link StoreArguments}).
 */
final class OneLineErrors
    implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
  private final Map<String, String> sources;

  OneLineErrors() {
    this(Map.of());
  }

  /** @param sources where flags not given on the command line came from, by flag */
  OneLineErrors(Map<String, String> sources) {
    this.sources = Map.copyOf(sources);
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd,
      CommandLine.ParseResult parseResult) {
    cmd.getErr().println("keel: " + withSource(describe(e)));
    return 1;
  }

  @Override
  public int handleParseException(CommandLine.ParameterException e, String[] args) {
    e.getCommandLine().getErr().println("keel: " + withSource(e.getMessage()));
    e.getCommandLine().getErr().println("Try 'keel "
        + e.getCommandLine().getCommandName().replace("keel", "").trim() + " --help'.");
    return 2;
  }

  /** The message, followed by where the first flag it names was set, if not on the command line. */
  String withSource(String message) {
    var flag = Pattern.compile("--[a-z0-9][a-z0-9-]*").matcher(message);
    while (flag.find()) {
      String source = sources.get(flag.group());
      if (source != null) {
        return message + " (" + flag.group() + " was set by " + source + ")";
      }
    }
    return message;
  }

  /**
   * The message that names the problem: Keel's own outermost message if there is one (it names
   * the file or flag), else the most specific message in the cause chain.
   */
  static String describe(Throwable e) {
    String deepest = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() == null || t.getMessage().isBlank()) {
        continue;
      }
      if (t.getClass().getName().startsWith("io.keel.")
          || t.getStackTrace().length > 0 && t.getStackTrace()[0].getClassName().startsWith("io.keel.")) {
        return t.getMessage();
      }
      deepest = t.getMessage();
    }
    return deepest == null ? e.getClass().getSimpleName() : deepest;
  }
}
