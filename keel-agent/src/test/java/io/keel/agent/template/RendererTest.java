package io.keel.agent.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RendererTest {

    @TempDir
    Path dir;

    /** Records the checks and answers with {@link #answer}; reads the staged file while it exists. */
    static final class FakeRunner implements CommandRunner {
        final List<List<String>> calls = new ArrayList<>();
        final List<String> stagedContents = new ArrayList<>();
        Outcome answer = new Outcome(0, "", false);

        @Override
        public Outcome run(List<String> argv, Duration timeout) {
            calls.add(argv);
            try {
                stagedContents.add(Files.readString(Path.of(argv.get(argv.size() - 1))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return answer;
        }
    }

    private final FakeRunner runner = new FakeRunner();
    private final Renderer renderer = new Renderer(runner, Duration.ofSeconds(5));

    private TemplateSpec spec(String template, String mode, List<String> check) throws IOException {
        Path source = dir.resolve("web.conf.mustache");
        Files.writeString(source, template);
        return new TemplateSpec(source, dir.resolve("etc/web.conf"), UnitTemplates.mode(mode), check);
    }

    private static Map<String, Object> context(Map<String, String> keys) {
        return KeyTree.of(keys).context();
    }

    @Test
    void rendersDottedNamesAndListsWithoutEscapingAndAppliesTheMode() throws IOException {
        TemplateSpec spec = spec("port={{apps.web.port}}\n{{#keys}}{{key}}={{value}}\n{{/keys}}", "0600", List.of());
        RenderResult result = renderer.render(spec, context(Map.of("/apps/web/port", "8080", "/apps/web/q", "a<b&\"c\"")));
        assertThat(result).isEqualTo(new RenderResult.Replaced(spec.destination()));
        assertThat(Files.readString(spec.destination()))
                .isEqualTo("port=8080\n/apps/web/port=8080\n/apps/web/q=a<b&\"c\"\n");
        assertThat(Files.getPosixFilePermissions(spec.destination())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void childrenListsAndMissingNamesRenderAsDocumented() throws IOException {
        TemplateSpec spec = spec("{{#apps.web.upstreams._children}}server {{value}}; # {{name}}\n{{/apps.web.upstreams._children}}"
                + "[{{apps.web.missing}}][{{nothing.at.all}}]", "0644", List.of());
        renderer.render(spec, context(Map.of("/apps/web/upstreams/a", "10.0.0.1:80", "/apps/web/upstreams/b", "10.0.0.2:80")));
        assertThat(Files.readString(spec.destination()))
                .isEqualTo("server 10.0.0.1:80; # a\nserver 10.0.0.2:80; # b\n[][]");
    }

    @Test
    void sameContentIsUnchangedAndNotChecked() throws IOException {
        TemplateSpec spec = spec("port={{apps.web.port}}", "0644", List.of("/bin/check", "{{src}}"));
        Map<String, Object> context = context(Map.of("/apps/web/port", "8080"));
        assertThat(renderer.render(spec, context).changed()).isTrue();
        RenderResult again = renderer.render(spec, context);
        assertThat(again).isEqualTo(new RenderResult.Unchanged(spec.destination()));
        assertThat(again.changed()).isFalse();
        assertThat(runner.calls).hasSize(1);
    }

    @Test
    void theCheckSeesTheStagedFileNextToTheDestination() throws IOException {
        TemplateSpec spec = spec("port={{apps.web.port}}", "0644", List.of("/bin/check", "-c", "{{src}}"));
        renderer.render(spec, context(Map.of("/apps/web/port", "9090")));
        List<String> argv = runner.calls.get(0);
        assertThat(argv.subList(0, 2)).containsExactly("/bin/check", "-c");
        Path staged = Path.of(argv.get(2));
        assertThat(staged.getParent()).isEqualTo(spec.destination().getParent());
        assertThat(staged).isNotEqualTo(spec.destination());
        assertThat(runner.stagedContents).containsExactly("port=9090");
        assertThat(staged).doesNotExist();
    }

    @Test
    void aFailingCheckKeepsTheOldFileAndNamesTheExitStatusAndOutput() throws IOException {
        TemplateSpec spec = spec("port={{apps.web.port}}", "0644", List.of("/bin/check", "{{src}}"));
        renderer.render(spec, context(Map.of("/apps/web/port", "8080")));
        runner.answer = new CommandRunner.Outcome(1, "line 1: bad port\n", false);

        RenderResult result = renderer.render(spec, context(Map.of("/apps/web/port", "nope")));

        assertThat(result).isInstanceOf(RenderResult.CheckFailed.class);
        assertThat(result.changed()).isFalse();
        assertThat(result.toString()).contains(spec.destination().toString(), "exit status 1", "line 1: bad port",
                "kept the old file");
        assertThat(Files.readString(spec.destination())).isEqualTo("port=8080");
        try (var files = Files.list(spec.destination().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("web.conf");
        }
    }

    @Test
    void aMissingOrBrokenTemplateFailsNamingItAndWritesNothing() throws IOException {
        TemplateSpec missing = new TemplateSpec(dir.resolve("nope.mustache"), dir.resolve("out"), Set.of(), List.of());
        RenderResult result = renderer.render(missing, context(Map.of()));
        assertThat(result).isInstanceOf(RenderResult.Failed.class);
        assertThat(result.toString()).contains("nope.mustache", "No such file");
        assertThat(dir.resolve("out")).doesNotExist();

        TemplateSpec broken = spec("{{#open}}never closed", "0644", List.of());
        RenderResult brokenResult = renderer.render(broken, context(Map.of()));
        assertThat(brokenResult).isInstanceOf(RenderResult.Failed.class);
        assertThat(brokenResult.toString()).contains("web.conf.mustache");
        assertThat(broken.destination()).doesNotExist();
    }

    @Test
    void theProcessRunnerReportsExitStatusOutputAndTimeouts() {
        ProcessCommandRunner real = new ProcessCommandRunner();
        CommandRunner.Outcome failed = real.run(List.of("/bin/sh", "-c", "echo bad config >&2; exit 3"), Duration.ofSeconds(10));
        assertThat(failed.exitCode()).isEqualTo(3);
        assertThat(failed.describe()).isEqualTo("exit status 3: bad config");
        assertThat(real.run(List.of("/bin/sh", "-c", "exit 0"), Duration.ofSeconds(10)).succeeded()).isTrue();
        CommandRunner.Outcome slow = real.run(List.of("/bin/sh", "-c", "exec sleep 30"), Duration.ofMillis(200));
        assertThat(slow.timedOut()).isTrue();
        assertThat(slow.succeeded()).isFalse();
        CommandRunner.Outcome missing = real.run(List.of("/nonexistent/check"), Duration.ofSeconds(1));
        assertThat(missing.describe()).startsWith("could not run: /nonexistent/check");
    }
}
