package io.keel.agent.template;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders templates into place, the confd way: the new content is written to a staged file next
 * to the destination, checked ({@link TemplateSpec#checkCommand()}), and only then moved over the
 * destination atomically with the template's mode. A failing check, a template error or a write
 * error leaves the old destination as it was.
 *
 * <p>Templates are Mustache (mustache.java) without HTML escaping: {@code {{x}}} and
 * {@code {{{x}}}} both write values as they are. Each source is read and compiled once, on first
 * use; partials ({@code {{> name}}}) are looked up next to the source. Rendered content equal to
 * the destination's is not written again ({@link RenderResult.Unchanged}).
 *
 * <p>Thread-safe; rendering blocks for the check command's duration.
 */
public final class Renderer {

    public static final Duration CHECK_TIMEOUT_DEFAULT = Duration.ofSeconds(30);

    private final CommandRunner runner;
    private final Duration checkTimeout;
    private final Map<Path, Mustache> compiled = new ConcurrentHashMap<>();

    public Renderer(CommandRunner runner, Duration checkTimeout) {
        this.runner = runner;
        this.checkTimeout = checkTimeout;
    }

    /** Renders {@code spec} with {@code context} (usually {@link KeyTree#context()}). */
    public RenderResult render(TemplateSpec spec, Map<String, Object> context) {
        Path destination = spec.destination();
        byte[] content;
        try {
            content = text(spec, context).getBytes(StandardCharsets.UTF_8);
        } catch (TemplateException e) {
            return new RenderResult.Failed(destination, e.getMessage());
        }
        try {
            if (Arrays.equals(content, existing(destination))) {
                Files.setPosixFilePermissions(destination, spec.mode());
                return new RenderResult.Unchanged(destination);
            }
            Files.createDirectories(destination.getParent());
            Path staged = Files.createTempFile(destination.getParent(), "." + destination.getFileName() + ".", ".staged");
            try {
                Files.write(staged, content);
                Files.setPosixFilePermissions(staged, spec.mode());
                if (!spec.checkCommand().isEmpty()) {
                    CommandRunner.Outcome outcome = runner.run(spec.checkArgv(staged), checkTimeout);
                    if (!outcome.succeeded()) {
                        return new RenderResult.CheckFailed(destination, outcome);
                    }
                }
                Files.move(staged, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return new RenderResult.Replaced(destination);
            } finally {
                Files.deleteIfExists(staged);
            }
        } catch (IOException | UncheckedIOException e) {
            return new RenderResult.Failed(destination, "cannot write " + destination + ": " + e);
        }
    }

    /** The rendered text, without writing anything. */
    public String text(TemplateSpec spec, Map<String, Object> context) {
        Mustache mustache = compiled.computeIfAbsent(spec.source(), Renderer::compile);
        StringWriter out = new StringWriter();
        try {
            mustache.execute(out, context);
        } catch (MustacheException e) {
            throw new TemplateException("template " + spec.source() + ": " + e.getMessage(), e);
        }
        return out.toString();
    }

    /** Forgets compiled sources, so changed template files are read again. */
    public void forgetCompiled() {
        compiled.clear();
    }

    private static Mustache compile(Path source) {
        String text;
        try {
            text = Files.readString(source, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new TemplateException("template " + source + ": No such file", e);
        } catch (IOException e) {
            throw new TemplateException("template " + source + ": cannot read (" + e.getMessage() + ")", e);
        }
        try {
            return new RawFactory(source.getParent()).compile(new StringReader(text), source.toString());
        } catch (MustacheException e) {
            throw new TemplateException("template " + source + " does not compile: " + e.getMessage(), e);
        }
    }

    private static byte[] existing(Path destination) throws IOException {
        try {
            return Files.readAllBytes(destination);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** A template that cannot be read, compiled or rendered. */
    public static final class TemplateException extends RuntimeException {
        TemplateException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Mustache without HTML escaping: configuration files are not HTML. */
    private static final class RawFactory extends DefaultMustacheFactory {
        RawFactory(Path root) {
            super(root.toFile());
        }

        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value);
            } catch (IOException e) {
                throw new MustacheException("cannot write rendered text", e);
            }
        }
    }
}
