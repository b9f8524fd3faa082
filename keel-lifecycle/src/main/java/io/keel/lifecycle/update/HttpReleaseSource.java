package io.keel.lifecycle.update;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Releases from any HTTP server laid out as {@code <base>/<channel>/manifest.json} with the
 * payload next to it ({@code <base>/<channel>/<payload>}), such as {@link UpdateServer}.
 */
public final class HttpReleaseSource implements ReleaseSource {

    private static final int MAX_MANIFEST_BYTES = 64 * 1024;

    private final URI base;
    private final HttpClient client;
    private final Duration timeout;

    public HttpReleaseSource(URI base, HttpClient client, Duration timeout) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        this.client = client;
        this.timeout = timeout;
    }

    @Override
    public Manifest latest(Channel channel) throws IOException {
        URI uri = base.resolve(channel.id() + "/" + Manifest.FILE_NAME);
        HttpResponse<InputStream> r = get(uri);
        try (InputStream in = r.body()) {
            byte[] body = in.readNBytes(MAX_MANIFEST_BYTES + 1);
            if (body.length > MAX_MANIFEST_BYTES) {
                throw new UpdateException(uri + " is larger than " + MAX_MANIFEST_BYTES + " bytes: not a manifest");
            }
            return Manifest.parse(body, uri.toString());
        }
    }

    @Override
    public void download(Channel channel, Manifest manifest, Path target) throws IOException {
        URI uri = base.resolve(channel.id() + "/" + manifest.payload());
        HttpResponse<InputStream> r = get(uri);
        try (InputStream in = r.body(); OutputStream out = Files.newOutputStream(target)) {
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > manifest.size()) {
                    throw new UpdateException("payload " + uri + " is larger than the manifest's " + manifest.size()
                            + " bytes");
                }
                out.write(buf, 0, n);
            }
        }
    }

    private HttpResponse<InputStream> get(URI uri) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        HttpResponse<InputStream> r;
        try {
            r = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted fetching " + uri, e);
        } catch (IOException e) {
            throw new IOException("cannot fetch " + uri + ": " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()), e);
        }
        if (r.statusCode() != 200) {
            r.body().close();
            throw new UpdateException("GET " + uri + " returned HTTP " + r.statusCode());
        }
        return r;
    }
}
