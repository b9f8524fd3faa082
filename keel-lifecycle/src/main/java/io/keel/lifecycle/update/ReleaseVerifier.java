package io.keel.lifecycle.update;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/** Checks manifests against the release public key and payloads against their manifest. */
public final class ReleaseVerifier {

    private final PublicKey key;

    public ReleaseVerifier(PublicKey key) {
        this.key = key;
    }

    /** Returns normally if {@code manifest} carries a valid signature by the release key; else throws naming it. */
    public void verifyManifest(Manifest manifest) {
        String what = "manifest for " + manifest.version() + " (" + manifest.channel() + ")";
        if (!manifest.isSigned()) {
            throw new UpdateException(what + " is not signed");
        }
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(manifest.signature());
        } catch (IllegalArgumentException e) {
            throw new UpdateException(what + " has a signature that is not base64");
        }
        boolean ok;
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(manifest.canonicalBytes());
            ok = s.verify(sig);
        } catch (GeneralSecurityException e) {
            ok = false;
        }
        if (!ok) {
            throw new UpdateException(what + " has a bad signature: not signed by the configured release key,"
                    + " or altered after signing");
        }
    }

    /** Returns normally if {@code payload} has the manifest's size and SHA-256; else throws naming the mismatch. */
    public static void verifyPayload(Manifest manifest, Path payload) {
        try {
            long size = Files.size(payload);
            if (size != manifest.size()) {
                throw new UpdateException("payload " + manifest.payload() + " is " + size + " bytes, manifest says "
                        + manifest.size());
            }
            String sha = Manifest.sha256(payload);
            if (!sha.equals(manifest.sha256())) {
                throw new UpdateException("payload " + manifest.payload() + " has sha256 " + sha + ", manifest says "
                        + manifest.sha256());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read payload " + payload + ": " + e.getMessage(), e);
        }
    }
}
