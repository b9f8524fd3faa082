package io.keel.cli.update;

import io.keel.lifecycle.update.UpdateException;
import io.keel.lifecycle.update.UpdateServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keel update-server --dir D --listen HOST:PORT}: serve releases until stopped. */
@Command(name = "update-server", mixinStandardHelpOptions = true,
    description = "Serve a release directory (DIR/CHANNEL/manifest.json and payloads) read-only over HTTP.")
public final class UpdateServerCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The directory to serve.")
  Path dir;

  @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8480",
      description = "Address to listen on (default ${DEFAULT-VALUE}; port 0 picks one).")
  String listen;

  @Override
  public Integer call() {
    InetSocketAddress address = parseListen(listen);
    try (UpdateServer server = UpdateServer.start(address, dir)) {
      spec.commandLine().getOut().println("serving " + dir + " on " + server.uri());
      spec.commandLine().getOut().flush();
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  static InetSocketAddress parseListen(String listen) {
    int colon = listen.lastIndexOf(':');
    if (colon <= 0 || colon == listen.length() - 1) {
      throw new UpdateException("--listen " + listen + " is not HOST:PORT, like 127.0.0.1:8480");
    }
    String host = listen.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(listen.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw new UpdateException("--listen " + listen + ": port must be a number from 0 to 65535");
    }
    return new InetSocketAddress(host, port);
  }
}
