package io.keel.cli.config;

import io.keel.cli.config.MachineConfig.WriteFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Writes a machine file's {@code write_files}, each atomically: the content goes to a temporary file
 * in the same directory, is flushed to disk, gets its owner and mode, and is then renamed over the
 * target, so a reader sees the old file or the new one, never a part. Missing parent directories are
 * created (mode 0755).
 *
 * <p>Owners are applied only when {@code applyOwners} is set ({@link #system()} sets it when running
 * as root, since only root can give a file away); otherwise they are skipped and the file keeps the
 * writing user. The setuid, setgid and sticky bits need the {@code unix} attribute view (Linux).
 */
public final class FileWriter {
  private final Path root;
  private final boolean applyOwners;

  /** Writes each file's absolute path under {@code root} (use {@code /} for the machine itself). */
  public FileWriter(Path root, boolean applyOwners) {
    this.root = root;
    this.applyOwners = applyOwners;
  }

  /** Writes under {@code /}, applying owners if this process runs as root. */
  public static FileWriter system() {
    return new FileWriter(Path.of("/"), isRoot());
  }

  /** Writes all files in order; stops at the first that fails. Returns the paths written. */
  public List<Path> writeAll(List<WriteFile> files) throws IOException {
    List<Path> written = new ArrayList<>();
    for (WriteFile f : files) {
      written.add(write(f));
    }
    return written;
  }

  /** Writes one file; returns where it was written. */
  public Path write(WriteFile file) throws IOException {
    Path target = root.resolve(root.getFileSystem().getPath("/").relativize(file.path()));
    Path dir = target.getParent();
    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".keel-tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(java.nio.ByteBuffer.wrap(file.content()));
        ch.force(true);
      }
      if (applyOwners && file.owner().isPresent()) {
        chown(tmp, file.owner().get());
      }
      Files.setPosixFilePermissions(tmp, permissions(file.mode()));
      if ((file.mode() & 07000) != 0) {
        Files.setAttribute(tmp, "unix:mode", file.mode());
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot replace " + target + " atomically: " + e.getMessage(), e);
      }
      return target;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The rwx bits of {@code mode} (setuid, setgid and sticky are not permissions). */
  static Set<PosixFilePermission> permissions(int mode) {
    StringBuilder s = new StringBuilder();
    String rwx = "rwx";
    for (int bit = 8; bit >= 0; bit--) {
      s.append((mode & (1 << bit)) != 0 ? rwx.charAt(2 - bit % 3) : '-');
    }
    return PosixFilePermissions.fromString(s.toString());
  }

  private static void chown(Path file, String owner) throws IOException {
    String[] parts = owner.split(":", 2);
    UserPrincipalLookupService lookup = file.getFileSystem().getUserPrincipalLookupService();
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    view.setOwner(lookup.lookupPrincipalByName(parts[0]));
    if (parts.length == 2) {
      GroupPrincipal group = lookup.lookupPrincipalByGroupName(parts[1]);
      view.setGroup(group);
    }
  }

  static boolean isRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }
}
