package io.keel.testkit;

import java.nio.file.Path;

/**
 * A store server (etcd or Keel) running as a separate OS process on loopback ports.
 *
 * <p>The ports and the data directory are fixed for the lifetime of the fixture, so
 * {@link #start()} after {@link #stop()} or {@link #kill9()} restarts the same member on the
 * same data. All output of the process is appended to {@link #logFile()}.
 */
public interface StoreProcess extends AutoCloseable {

    /** The client URL, e.g. {@code http://127.0.0.1:23791}. */
    String endpoint();

    Path dataDir();

    /** Sends SIGKILL and waits for the process to exit. */
    void kill9();

    /** Sends SIGTERM and waits for the process to exit; fails if it does not exit in time. */
    void stop();

    /** Starts the process again on the same data dir and ports and waits until it is healthy. */
    void start();

    boolean isAlive();

    Path logFile();

    /** The OS process id of the current (or last) incarnation. */
    long pid();

    /** Kills the process and waits for it to exit. Does not delete the data dir. */
    @Override
    void close();
}
