package io.keel.cli;

import picocli.CommandLine;

/** Errors as one line on stderr and a non-zero exit, never a stack trace. */
final class OneLineErrors
    implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd,
      CommandLine.ParseResult parseResult) {
    cmd.getErr().println("keel: " + describe(e));
    return 1;
  }

  @Override
  public int handleParseException(CommandLine.ParameterException e, String[] args) {
    e.getCommandLine().getErr().println("keel: " + e.getMessage());
    e.getCommandLine().getErr().println("Try 'keel "
        + e.getCommandLine().getCommandName().replace("keel", "").trim() + " --help'.");
    return 2;
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
