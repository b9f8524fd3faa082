package io.keel.lifecycle.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A release: what the payload is and, once signed, the release key's Ed25519 signature over
 * {@link #canonicalBytes()} (every field but the signature, keys sorted, no whitespace, UTF-8).
 *
 * @param version the release version, compared numerically ({@link Version})
 * @param channel the channel it is published on
 * @param sha256 the payload's SHA-256, 64 lower-case hex digits
 * @param size the payload's length in bytes
 * @param payload the payload's file name, next to {@code manifest.json}
 * @param signature base64 of the Ed25519 signature, or null while unsigned
 */
public record Manifest(Version version, Channel channel, String sha256, long size, String payload, String signature) {

    public static final String FILE_NAME = "manifest.json";

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9._+-]{1,255}");

    public Manifest {
        if (version == null || channel == null) {
            throw new UpdateException("manifest needs a version and a channel");
        }
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new UpdateException("manifest sha256 \"" + sha256 + "\" is not 64 lower-case hex digits");
        }
        if (size < 0) {
            throw new UpdateException("manifest size " + size + " is negative");
        }
        if (payload == null || !FILE.matcher(payload).matches() || payload.equals(".") || payload.equals("..")
                || payload.equals(FILE_NAME)) {
            throw new UpdateException("manifest payload \"" + payload
                    + "\" is not a plain file name (letters, digits, . _ + -; not manifest.json)");
        }
    }

    /** An unsigned manifest describing {@code payloadFile}: its name, size and SHA-256. */
    public static Manifest describe(Path payloadFile, Version version, Channel channel) {
        try {
            return new Manifest(version, channel, sha256(payloadFile), Files.size(payloadFile),
                    payloadFile.getFileName().toString(), null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read payload " + payloadFile + ": " + e.getMessage(), e);
        }
    }

    public Manifest withSignature(String signature) {
        return new Manifest(version, channel, sha256, size, payload, signature);
    }

    public boolean isSigned() {
        return signature != null;
    }

    /** The bytes the signature covers. */
    public byte[] canonicalBytes() {
        String json = "{\"channel\":" + quote(channel.id()) + ",\"payload\":" + quote(payload) + ",\"sha256\":"
                + quote(sha256) + ",\"size\":" + size + ",\"version\":" + quote(version.text()) + "}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    public byte[] toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("version", version.text());
        n.put("channel", channel.id());
        n.put("sha256", sha256);
        n.put("size", size);
        n.put("payload", payload);
        if (signature != null) {
            n.put("signature", signature);
        }
        return Json.bytes(n);
    }

    /** Parses a manifest; every error names {@code source} and the bad field. */
    public static Manifest parse(byte[] json, String source) {
        JsonNode n = Json.parse(json, source);
        try {
            return new Manifest(Version.parse(Json.text(n, "version", source)),
                    Channel.parse(Json.text(n, "channel", source)), Json.text(n, "sha256", source),
                    Json.number(n, "size", source), Json.text(n, "payload", source), Json.optionalText(n, "signature"));
        } catch (UpdateException e) {
            throw e.getMessage().startsWith(source) ? e : new UpdateException(source + ": " + e.getMessage());
        }
    }

    public static Manifest read(Path file) {
        try {
            return parse(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read manifest " + file + ": " + e.getMessage(), e);
        }
    }

    public void write(Path file) {
        Json.writeAtomically(file, toJson());
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = newDigest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String quote(String s) {
        try {
            return Json.MAPPER.writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
