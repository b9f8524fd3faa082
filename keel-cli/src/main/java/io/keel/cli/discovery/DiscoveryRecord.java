package io.keel.cli.discovery;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Properties;

/**
 * The cluster a member discovered, kept in its data dir before it first starts, so that a
 * restart uses the same initial cluster without asking the discovery service again (etcd keeps
 * it in its WAL). A restart must never bootstrap a cluster of one: the Raft group it formats
 * takes its peers from here.
 */
public record DiscoveryRecord(String token, String initialCluster) {
  public static final String FILE = "keel-discovery.properties";

  public static Optional<DiscoveryRecord> read(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    String token = p.getProperty("token");
    String cluster = p.getProperty("initial-cluster");
    if (token == null || cluster == null) {
      throw new IllegalStateException(file + " lacks token or initial-cluster; it is damaged");
    }
    return Optional.of(new DiscoveryRecord(token, cluster));
  }

  /** Writes the record atomically and durably (temporary file, fsync, rename). */
  public void write(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    Path tmp = dataDir.resolve(FILE + ".tmp");
    Properties p = new Properties();
    p.setProperty("token", token);
    p.setProperty("initial-cluster", initialCluster);
    try {
      Files.createDirectories(dataDir);
      try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        p.store(out, "keel store: the cluster discovered with --discovery-token");
      }
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
