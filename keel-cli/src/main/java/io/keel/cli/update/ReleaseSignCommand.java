package io.keel.cli.update;

import io.keel.lifecycle.update.Channel;
import io.keel.lifecycle.update.Manifest;
import io.keel.lifecycle.update.ReleaseKeys;
import io.keel.lifecycle.update.ReleaseSigner;
import io.keel.lifecycle.update.UpdateException;
import io.keel.lifecycle.update.Version;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel release sign --key K --version V --channel C PAYLOAD --out DIR}. */
@Command(name = "sign",
    description = "Sign a payload as a release: writes DIR/manifest.json and a copy of the payload.")
public final class ReleaseSignCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Option(names = "--key", required = true, paramLabel = "FILE", description = "The release private key.")
  Path key;

  @Option(names = "--version", required = true, paramLabel = "VERSION", description = "Release version, like 1.4.2.")
  String version;

  @Option(names = "--channel", required = true, paramLabel = "CHANNEL", converter = ChannelConverter.class,
      description = "alpha, beta or stable.")
  Channel channel;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Release directory to write.")
  Path out;

  @Parameters(paramLabel = "PAYLOAD", description = "The Keel distribution (a .zip of the jar and lib/).")
  Path payload;

  @Override
  public Integer call() {
    if (!Files.isRegularFile(payload)) {
      throw new UpdateException("payload " + payload + " does not exist or is not a file");
    }
    if (!Files.isRegularFile(key)) {
      throw new UpdateException("release key " + key + " does not exist");
    }
    Version v = Version.parse(version);
    ReleaseSigner signer = new ReleaseSigner(ReleaseKeys.loadPrivate(key));
    Path copy = out.resolve(payload.getFileName());
    try {
      Files.createDirectories(out);
      if (!Files.exists(copy) || !Files.isSameFile(copy, payload)) {
        Files.copy(payload, copy, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write release to " + out + ": " + e.getMessage(), e);
    }
    Manifest m = signer.sign(Manifest.describe(copy, v, channel));
    m.write(out.resolve(Manifest.FILE_NAME));
    spec.commandLine().getOut().println("signed " + v + " for " + channel + ": " + out.resolve(Manifest.FILE_NAME)
        + " (" + m.payload() + ", " + m.size() + " bytes, sha256 " + m.sha256() + ")");
    spec.commandLine().getOut().flush();
    return 0;
  }
}
