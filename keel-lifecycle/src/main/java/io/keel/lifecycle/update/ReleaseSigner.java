package io.keel.lifecycle.update;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;

/** Signs manifests with the release private key. */
public final class ReleaseSigner {

    private final PrivateKey key;

    public ReleaseSigner(PrivateKey key) {
        this.key = key;
    }

    /** {@code manifest} with the Ed25519 signature over its canonical bytes. */
    public Manifest sign(Manifest manifest) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(manifest.canonicalBytes());
            return manifest.withSignature(Base64.getEncoder().encodeToString(s.sign()));
        } catch (GeneralSecurityException e) {
            throw new UpdateException("cannot sign with this key: " + e.getMessage(), e);
        }
    }
}
