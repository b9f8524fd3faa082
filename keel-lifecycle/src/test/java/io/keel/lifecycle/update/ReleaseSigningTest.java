package io.keel.lifecycle.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseSigningTest {

    @TempDir
    Path dir;

    private final KeyPair keys = ReleaseKeys.generate();

    private Manifest signedRelease(Path payload, String version) throws Exception {
        Files.writeString(payload, "keel distribution " + version);
        return new ReleaseSigner(keys.getPrivate()).sign(Manifest.describe(payload, Version.parse(version), Channel.STABLE));
    }

    @Test
    void signedManifestAndPayloadVerify() throws Exception {
        Path payload = dir.resolve("keel.zip");
        Manifest m = signedRelease(payload, "1.2.0");
        ReleaseVerifier v = new ReleaseVerifier(keys.getPublic());

        v.verifyManifest(m);
        ReleaseVerifier.verifyPayload(m, payload);
        assertThat(m.size()).isEqualTo(Files.size(payload));
        assertThat(new String(m.canonicalBytes(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"channel\":\"stable\",\"payload\":\"keel.zip\",\"sha256\":\"" + m.sha256()
                        + "\",\"size\":" + m.size() + ",\"version\":\"1.2.0\"}");
    }

    @Test
    void manifestSurvivesJsonRoundTripAndStillVerifies() throws Exception {
        Manifest m = signedRelease(dir.resolve("keel.zip"), "1.2.0");
        Manifest back = Manifest.parse(m.toJson(), "test");
        assertThat(back).isEqualTo(m);
        new ReleaseVerifier(keys.getPublic()).verifyManifest(back);
    }

    @Test
    void tamperedManifestIsRefused() throws Exception {
        Manifest m = signedRelease(dir.resolve("keel.zip"), "1.2.0");
        Manifest tampered = new Manifest(Version.parse("9.9.9"), m.channel(), m.sha256(), m.size(), m.payload(),
                m.signature());
        assertThatThrownBy(() -> new ReleaseVerifier(keys.getPublic()).verifyManifest(tampered))
                .isInstanceOf(UpdateException.class)
                .hasMessageContaining("manifest for 9.9.9 (stable) has a bad signature");
    }

    @Test
    void tamperedPayloadIsRefused() throws Exception {
        Path payload = dir.resolve("keel.zip");
        Manifest m = signedRelease(payload, "1.2.0");
        byte[] bytes = Files.readAllBytes(payload);
        bytes[0] ^= 1;
        Files.write(payload, bytes);
        assertThatThrownBy(() -> ReleaseVerifier.verifyPayload(m, payload))
                .hasMessageContaining("payload keel.zip has sha256").hasMessageContaining("manifest says " + m.sha256());

        Files.writeString(payload, "short");
        assertThatThrownBy(() -> ReleaseVerifier.verifyPayload(m, payload))
                .hasMessage("payload keel.zip is 5 bytes, manifest says " + m.size());
    }

    @Test
    void manifestSignedWithAnotherKeyIsRefused() throws Exception {
        Manifest m = signedRelease(dir.resolve("keel.zip"), "1.2.0");
        ReleaseVerifier other = new ReleaseVerifier(ReleaseKeys.generate().getPublic());
        assertThatThrownBy(() -> other.verifyManifest(m)).hasMessageContaining("bad signature");
    }

    @Test
    void unsignedAndGarbledSignaturesAreRefused() throws Exception {
        Manifest m = signedRelease(dir.resolve("keel.zip"), "1.2.0");
        ReleaseVerifier v = new ReleaseVerifier(keys.getPublic());
        assertThatThrownBy(() -> v.verifyManifest(m.withSignature(null))).hasMessageContaining("is not signed");
        assertThatThrownBy(() -> v.verifyManifest(m.withSignature("!!!"))).hasMessageContaining("not base64");
        assertThatThrownBy(() -> v.verifyManifest(m.withSignature(Base64.getEncoder().encodeToString(new byte[64]))))
                .hasMessageContaining("bad signature");
    }

    @Test
    void keysRoundTripThroughPemAndRawBase64() throws Exception {
        ReleaseKeys.save(keys, dir);
        assertThat(Files.readString(dir.resolve("release.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(dir.resolve("release.pub"))).startsWith("-----BEGIN PUBLIC KEY-----");
        Manifest m = new ReleaseSigner(ReleaseKeys.loadPrivate(dir.resolve("release.key")))
                .sign(new Manifest(Version.parse("1.0"), Channel.BETA, "a".repeat(64), 1, "p", null));
        new ReleaseVerifier(ReleaseKeys.loadPublic(dir.resolve("release.pub"))).verifyManifest(m);

        byte[] der = keys.getPublic().getEncoded();
        byte[] raw = java.util.Arrays.copyOfRange(der, der.length - 32, der.length);
        Files.writeString(dir.resolve("raw.pub"), Base64.getEncoder().encodeToString(raw) + "\n");
        new ReleaseVerifier(ReleaseKeys.loadPublic(dir.resolve("raw.pub"))).verifyManifest(m);
        Files.writeString(dir.resolve("der.pub"), Base64.getEncoder().encodeToString(der));
        new ReleaseVerifier(ReleaseKeys.loadPublic(dir.resolve("der.pub"))).verifyManifest(m);
    }

    @Test
    void badKeyFilesAreNamed() throws Exception {
        Files.writeString(dir.resolve("junk.pub"), "not a key at all");
        assertThatThrownBy(() -> ReleaseKeys.loadPublic(dir.resolve("junk.pub")))
                .hasMessageContaining("junk.pub");
        ReleaseKeys.save(keys, dir);
        assertThatThrownBy(() -> ReleaseKeys.loadPublic(dir.resolve("release.key")))
                .hasMessageContaining("release.key is not a PEM PUBLIC KEY file");
        assertThatThrownBy(() -> ReleaseKeys.save(keys, dir)).hasMessageContaining("refusing to overwrite");
    }

    @Test
    void badManifestsNameTheField() {
        String ok = "\"version\":\"1.0.0\",\"channel\":\"stable\",\"size\":3,\"payload\":\"p.zip\"";
        assertThatThrownBy(() -> parse("{" + ok + ",\"sha256\":\"xyz\"}"))
                .hasMessage("m.json: manifest sha256 \"xyz\" is not 64 lower-case hex digits");
        assertThatThrownBy(() -> parse("{" + ok + "}"))
                .hasMessage("m.json: field \"sha256\" must be a non-empty string");
        assertThatThrownBy(() -> parse("{\"version\":\"one\",\"channel\":\"stable\",\"size\":3,\"payload\":\"p\","
                + "\"sha256\":\"" + "0".repeat(64) + "\"}")).hasMessageStartingWith("m.json: \"one\" is not a version");
        assertThatThrownBy(() -> parse("{\"version\":\"1\",\"channel\":\"nightly\",\"size\":3,\"payload\":\"p\","
                + "\"sha256\":\"" + "0".repeat(64) + "\"}"))
                .hasMessage("m.json: unknown channel \"nightly\": expected alpha, beta or stable");
        assertThatThrownBy(() -> parse("{\"version\":\"1\",\"channel\":\"beta\",\"size\":3,\"payload\":\"../etc/x\","
                + "\"sha256\":\"" + "0".repeat(64) + "\"}")).hasMessageContaining("is not a plain file name");
        assertThatThrownBy(() -> parse("[1]")).hasMessage("m.json: expected a JSON object");
        assertThatThrownBy(() -> parse("{")).hasMessageStartingWith("m.json: not valid JSON");
    }

    private static Manifest parse(String json) {
        return Manifest.parse(json.getBytes(StandardCharsets.UTF_8), "m.json");
    }
}
