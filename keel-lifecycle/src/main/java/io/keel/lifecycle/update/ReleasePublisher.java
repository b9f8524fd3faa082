package io.keel.lifecycle.update;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Publishes a signed release directory ({@code manifest.json} and its payload) into a server tree
 * as {@code <serverDir>/<channel>/}: payload first, then the manifest, each replaced atomically,
 * so a client never sees a manifest whose payload is not there yet.
 */
public final class ReleasePublisher {

    private ReleasePublisher() {}

    /**
     * Refuses a release for another channel, an unsigned one, one that does not verify with
     * {@code verifier} (if given), and a payload not matching its manifest.
     *
     * @return the published manifest
     */
    public static Manifest publish(Path releaseDir, Path serverDir, Channel channel, ReleaseVerifier verifier) {
        Path manifestFile = releaseDir.resolve(Manifest.FILE_NAME);
        if (!Files.isRegularFile(manifestFile)) {
            throw new UpdateException(releaseDir + " is not a release: no " + Manifest.FILE_NAME);
        }
        Manifest m = Manifest.read(manifestFile);
        if (m.channel() != channel) {
            throw new UpdateException("release " + m.version() + " in " + releaseDir + " is signed for channel "
                    + m.channel() + ", not " + channel);
        }
        if (!m.isSigned()) {
            throw new UpdateException("release " + m.version() + " in " + releaseDir + " is not signed");
        }
        if (verifier != null) {
            verifier.verifyManifest(m);
        }
        Path payload = releaseDir.resolve(m.payload());
        if (!Files.isRegularFile(payload)) {
            throw new UpdateException("release " + m.version() + " in " + releaseDir + " has no payload " + m.payload());
        }
        ReleaseVerifier.verifyPayload(m, payload);
        Path target = serverDir.resolve(channel.id());
        try {
            Files.createDirectories(target);
            Path tmp = target.resolve("." + m.payload() + ".tmp");
            Files.copy(payload, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target.resolve(m.payload()), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish into " + target + ": " + e.getMessage(), e);
        }
        m.write(target.resolve(Manifest.FILE_NAME));
        return m;
    }
}
