package io.keel.lifecycle.update;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ed25519 release keys. Files are PEM ({@code PRIVATE KEY} PKCS#8, {@code PUBLIC KEY} X.509) or
 * bare base64 of the same DER, or bare base64 of the raw 32-byte key.
 */
public final class ReleaseKeys {

    public static final String PRIVATE_KEY_FILE = "release.key";
    public static final String PUBLIC_KEY_FILE = "release.pub";

    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");

    private ReleaseKeys() {}

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
    }

    /** Writes {@code release.key} (owner-only where the file system allows) and {@code release.pub}. */
    public static void save(KeyPair keys, Path dir) {
        Path priv = dir.resolve(PRIVATE_KEY_FILE);
        Path pub = dir.resolve(PUBLIC_KEY_FILE);
        try {
            Files.createDirectories(dir);
            if (Files.exists(priv)) {
                throw new UpdateException(priv + " already exists; refusing to overwrite a release key");
            }
            Files.writeString(priv, "");
            try {
                Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            Files.writeString(priv, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
            Files.writeString(pub, pem("PUBLIC KEY", keys.getPublic().getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write release keys to " + dir + ": " + e.getMessage(), e);
        }
    }

    public static PrivateKey loadPrivate(Path file) {
        byte[] der = decode(file, "PRIVATE KEY");
        if (der.length == 32) {
            der = concat(PKCS8_PREFIX, der);
        }
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new UpdateException(file + " is not an Ed25519 private key (" + e.getMessage() + ")");
        }
    }

    public static PublicKey loadPublic(Path file) {
        byte[] der = decode(file, "PUBLIC KEY");
        if (der.length == 32) {
            der = concat(X509_PREFIX, der);
        }
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new UpdateException(file + " is not an Ed25519 public key (" + e.getMessage() + ")");
        }
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static byte[] decode(Path file, String type) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read key " + file + ": " + e.getMessage(), e);
        }
        String body = text.strip();
        if (body.startsWith("-----BEGIN ")) {
            String begin = "-----BEGIN " + type + "-----";
            String end = "-----END " + type + "-----";
            int from = body.indexOf(begin);
            int to = body.indexOf(end);
            if (from < 0 || to < from) {
                throw new UpdateException(file + " is not a PEM " + type + " file");
            }
            body = body.substring(from + begin.length(), to);
        }
        try {
            return Base64.getMimeDecoder().decode(body.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new UpdateException(file + " is neither PEM nor base64 (" + e.getMessage() + ")");
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
