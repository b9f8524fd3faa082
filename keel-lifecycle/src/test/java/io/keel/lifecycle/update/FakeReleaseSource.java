package io.keel.lifecycle.update;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One release per test, served from memory; can serve other payload bytes than it signed, or fail. */
final class FakeReleaseSource implements ReleaseSource {

    Manifest manifest;
    byte[] payload;
    IOException failure;
    int downloads;

    @Override
    public Manifest latest(Channel channel) throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (manifest == null) {
            throw new IOException("nothing published on " + channel);
        }
        return manifest;
    }

    @Override
    public void download(Channel channel, Manifest m, Path target) throws IOException {
        downloads++;
        Files.write(target, payload);
    }
}
