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

  /** The most specific message in the cause chain. */
  static String describe(Throwable e) {
    String message = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    return message == null ? e.getClass().getSimpleName() : message;
  }
}
