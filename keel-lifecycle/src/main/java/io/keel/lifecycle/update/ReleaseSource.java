package io.keel.lifecycle.update;

import java.io.IOException;
import java.nio.file.Path;

/** Where releases come from. Implementations need not verify anything: the engine does. */
public interface ReleaseSource {

    /** The latest manifest published on {@code channel}. */
    Manifest latest(Channel channel) throws IOException;

    /**
     * Downloads {@code manifest}'s payload into {@code target}. May stop early, with an error, once
     * more than {@code manifest.size()} bytes arrive.
     */
    void download(Channel channel, Manifest manifest, Path target) throws IOException;
}
