package io.keel.cli.update;

import io.keel.lifecycle.update.ReleaseKeys;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keel release keygen --out DIR}: a new Ed25519 release key pair. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
    description = "Generate an Ed25519 release key pair: DIR/release.key (secret) and DIR/release.pub.")
public final class ReleaseKeygenCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the key files.")
  Path out;

  @Override
  public Integer call() {
    ReleaseKeys.save(ReleaseKeys.generate(), out);
    spec.commandLine().getOut().println("wrote " + out.resolve(ReleaseKeys.PRIVATE_KEY_FILE) + " (keep it secret) and "
        + out.resolve(ReleaseKeys.PUBLIC_KEY_FILE) + " (give it to machines)");
    spec.commandLine().getOut().flush();
    return 0;
  }
}
