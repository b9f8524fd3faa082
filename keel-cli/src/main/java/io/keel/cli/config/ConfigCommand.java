package io.keel.cli.config;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code keel config validate FILE...}: checks cloud-config machine files without applying them. */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = "Machine files (#cloud-config) for keel node --config.",
    subcommands = {ConfigCommand.Validate.class})
public final class ConfigCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command: validate");
  }

  /**
   * Prints {@code FILE: ok} on stdout for each valid file and one {@code FILE:LINE: key: problem} line
   * on stderr per problem; exits 1 if any file has a problem or cannot be read.
   */
  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = "Check machine files without applying anything: prints FILE: ok, or each problem with its line.")
  static final class Validate implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "The machine files to check.")
    List<Path> files;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      boolean failed = false;
      for (Path file : files) {
        try {
          CloudConfigParser.parse(file);
          out.println(file + ": ok");
        } catch (ConfigException e) {
          e.lines().forEach(err::println);
          failed = true;
        } catch (NoSuchFileException e) {
          err.println(file + ": no such file");
          failed = true;
        } catch (IOException e) {
          err.println(file + ": cannot read: " + e.getMessage());
          failed = true;
        }
      }
      out.flush();
      err.flush();
      return failed ? 1 : 0;
    }
  }
}
