package io.keel.cli.update;

import io.keel.lifecycle.update.Channel;
import io.keel.lifecycle.update.Manifest;
import io.keel.lifecycle.update.ReleaseKeys;
import io.keel.lifecycle.update.ReleasePublisher;
import io.keel.lifecycle.update.ReleaseVerifier;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel release publish --to SERVERDIR --channel C RELEASEDIR}. */
@Command(name = "publish", mixinStandardHelpOptions = true,
    description = "Publish a signed release as the latest on a channel: SERVERDIR/CHANNEL/manifest.json and payload.")
public final class ReleasePublishCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--to", required = true, paramLabel = "SERVERDIR", description = "The update server's directory.")
  Path to;

  @Option(names = "--channel", required = true, paramLabel = "CHANNEL", converter = ChannelConverter.class,
      description = "alpha, beta or stable; must match the release's manifest.")
  Channel channel;

  @Option(names = "--public-key", paramLabel = "FILE",
      description = "Check the signature with this release public key before publishing.")
  Path publicKey;

  @Parameters(paramLabel = "RELEASEDIR", description = "A directory written by 'keel release sign'.")
  Path release;

  @Override
  public Integer call() {
    ReleaseVerifier verifier = publicKey == null ? null : new ReleaseVerifier(ReleaseKeys.loadPublic(publicKey));
    Manifest m = ReleasePublisher.publish(release, to, channel, verifier);
    spec.commandLine().getOut().println("published " + m.version() + " on " + channel + ": "
        + to.resolve(channel.id()).resolve(Manifest.FILE_NAME));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
