package io.keel.agent.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.cluster.unit.UnitFile;
import io.keel.cluster.unit.UnitFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceSpecTest {

    private static ServiceSpec parse(String text) {
        return ServiceSpec.parse(UnitFile.parse(text));
    }

    private static void refused(String text, String message) {
        assertThatThrownBy(() -> parse(text)).isInstanceOf(UnitFileException.class).hasMessageContaining(message);
    }

    @Test
    void defaults() {
        ServiceSpec s = parse("[Service]\nExecStart=/bin/web\n");
        assertThat(s.type()).isEqualTo(ServiceType.SIMPLE);
        assertThat(s.restart()).isEqualTo(RestartPolicy.NO);
        assertThat(s.restartSec()).isEqualTo(Duration.ofMillis(100));
        assertThat(s.startLimitInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.startLimitBurst()).isEqualTo(5);
        assertThat(s.timeoutStart()).isEqualTo(Duration.ofSeconds(90));
        assertThat(s.timeoutStop()).isEqualTo(Duration.ofSeconds(90));
        assertThat(s.container()).isEmpty();
        assertThat(s.remainAfterExit()).isFalse();
    }

    @Test
    void fullService() {
        ServiceSpec s = parse("""
                [Unit]
                Description=web
                StartLimitIntervalSec=1min
                StartLimitBurst=3
                [Service]
                Type=oneshot
                ExecStartPre=-/usr/bin/docker rm -f "web one"
                ExecStart=/bin/echo 'a b' c\\ d
                ExecStart=echo two ; /bin/echo three
                ExecStop=/bin/kill -TERM $MAINPID
                Restart=on-failure
                RestartSec=1min 30s
                TimeoutSec=infinity
                TimeoutStopSec=500ms
                Environment="A=1 2" B=3
                Environment=C=4
                EnvironmentFile=-/etc/web.env
                EnvironmentFile=/etc/other.env
                WorkingDirectory=/srv/web
                RemainAfterExit=yes
                KillMode=control-group
                """);
        assertThat(s.type()).isEqualTo(ServiceType.ONESHOT);
        assertThat(s.execStartPre()).containsExactly(new ExecCommand(List.of("/usr/bin/docker", "rm", "-f", "web one"), true, true));
        assertThat(s.execStart()).extracting(ExecCommand::words).containsExactly(
                List.of("/bin/echo", "a b", "c d"), List.of("echo", "two"), List.of("/bin/echo", "three"));
        assertThat(s.execStop().get(0).argv(Map.of("MAINPID", "42"))).containsExactly("/bin/kill", "-TERM", "42");
        assertThat(s.restart()).isEqualTo(RestartPolicy.ON_FAILURE);
        assertThat(s.restartSec()).isEqualTo(Duration.ofSeconds(90));
        assertThat(s.startLimitInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.startLimitBurst()).isEqualTo(3);
        assertThat(s.timeoutStart()).isEqualTo(Duration.ZERO);
        assertThat(s.timeoutStop()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.environment()).isEqualTo(Map.of("A", "1 2", "B", "3", "C", "4"));
        assertThat(s.environmentFiles()).containsExactly(new EnvironmentFile(Path.of("/etc/web.env"), true),
                new EnvironmentFile(Path.of("/etc/other.env"), false));
        assertThat(s.workingDirectory()).contains(Path.of("/srv/web"));
        assertThat(s.remainAfterExit()).isTrue();
    }

    @Test
    void serviceStartLimitWinsOverUnitAndOldName() {
        ServiceSpec s = parse("[Unit]\nStartLimitBurst=3\n[Service]\nExecStart=/bin/x\nStartLimitInterval=20\nStartLimitBurst=7\n");
        assertThat(s.startLimitInterval()).isEqualTo(Duration.ofSeconds(20));
        assertThat(s.startLimitBurst()).isEqualTo(7);
    }

    @Test
    void variableExpansion() {
        ExecCommand c = ServiceSpec.execLine("/bin/x $ARGS ${ONE}-suffix $$HOME $UNSET").get(0);
        assertThat(c.argv(Map.of("ARGS", " -a  -b ", "ONE", "1"))).containsExactly("/bin/x", "-a", "-b", "1-suffix", "$HOME");
        ExecCommand raw = ServiceSpec.execLine(":/bin/x $ARGS").get(0);
        assertThat(raw.argv(Map.of("ARGS", "a"))).containsExactly("/bin/x", "$ARGS");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[Service]\\nType=forking\\nExecStart=/bin/x|[Service] Type=forking is not supported",
        "[Service]\\nType=weird\\nExecStart=/bin/x|[Service] Type=weird is not a service type",
        "[Service]\\nRestart=sometimes\\nExecStart=/bin/x|[Service] Restart=sometimes is not valid",
        "[Service]\\nExecStart=/bin/x\\nRestartSec=5 parsecs|[Service] RestartSec=5 parsecs: invalid time span",
        "[Service]\\nExecStart=/bin/x\\nRestartSec=infinity|RestartSec=infinity is not allowed",
        "[Service]\\nExecStart=/bin/x\\nStartLimitBurst=many|StartLimitBurst=many is not a non-negative integer",
        "[Service]\\nExecStart=@/bin/x x|the \"@\" prefix",
        "[Service]\\nExecStart=+/bin/x|the \"+\" prefix (privileged execution) is not supported",
        "[Service]\\nExecStart=!!/bin/x|the \"!\" prefix",
        "[Service]\\nExecStart=./x|must be an absolute path or a name",
        "[Service]\\nExecStart=/bin/x \"unterminated|unbalanced double quote",
        "[Service]\\nExecStart=/bin/x\\nExecStart=/bin/y|only Type=oneshot may have more than one",
        "[Service]\\nType=oneshot\\nExecStart=/bin/x\\nRestart=always|Restart=always is not allowed for Type=oneshot",
        "[Service]\\nExecStart=/bin/x\\nUser=web|[Service] User= is a systemd option Keel does not support",
        "[Service]\\nExecStart=/bin/x\\nLimitNOFILE=1024|LimitNOFILE= is a systemd option",
        "[Service]\\nExecStart=/bin/x\\nFrobnicate=yes|[Service] unknown key Frobnicate=",
        "[Service]\\nExecStart=/bin/x\\nKillMode=process|KillMode=process is not supported",
        "[Service]\\nExecStart=/bin/x\\nRemainAfterExit=maybe|RemainAfterExit=maybe is not a boolean",
        "[Service]\\nExecStart=/bin/x\\nEnvironment=NOEQUALS|\"NOEQUALS\" is not a NAME=VALUE assignment",
        "[Service]\\nExecStart=/bin/x\\nEnvironmentFile=relative.env|EnvironmentFile=relative.env must be an absolute path",
        "[Service]\\nExecStart=/bin/x\\nWorkingDirectory=srv|WorkingDirectory=srv must be an absolute path",
        "[Service]\\nType=simple|ExecStart= is missing",
        "[Service]\\nExecStart=/bin/x\\n[Container]\\nImage=nginx|ExecStart= is not allowed in a unit with a [Container]",
    })
    void refusals(String text, String message) {
        refused(text.replace("\\n", "\n"), message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"5|5000", "5s|5000", "500ms|500", "1min 30s|90000", "1min30s|90000",
        "1.5h|5400000", "2 min|120000", "0|0", "1d|86400000", "1500 msec|1500"})
    void timeSpans(String text, long millis) {
        assertThat(TimeSpans.parse(text)).contains(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "5 parsecs", "-5", "1..2s"})
    void badTimeSpans(String text) {
        assertThatThrownBy(() -> TimeSpans.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void infinityTimeSpan() {
        assertThat(TimeSpans.parse("infinity")).isEmpty();
    }

    @Test
    void environmentFileSyntax() {
        Map<String, String> env = EnvironmentFile.parse("""
                # comment
                ; also a comment

                A=1
                B = spaced
                C="double \\"quoted\\" value"
                D='single quoted'
                E=continued \\
                line
                not an assignment
                1BAD=x
                """);
        assertThat(env).containsExactly(Map.entry("A", "1"), Map.entry("B", "spaced"),
                Map.entry("C", "double \"quoted\" value"), Map.entry("D", "single quoted"),
                Map.entry("E", "continued line"));
    }

    @Test
    void container() {
        ServiceSpec s = parse("""
                [Service]
                Restart=always
                [Container]
                Image=docker.io/library/nginx:1.27
                Exec=nginx -g "daemon off;"
                Environment=A=1
                Volume=/srv/www:/usr/share/nginx/html:ro,z
                Volume=data:/data
                Tmpfs=/tmp:size=64m
                ReadOnly=on
                Memory=512M
                CPU=500m
                Network=none
                HealthCmd=curl -f http://localhost/
                HealthInterval=10s
                """);
        ContainerSpec c = s.container().orElseThrow();
        assertThat(s.execStart()).isEmpty();
        assertThat(c.image()).isEqualTo("docker.io/library/nginx:1.27");
        assertThat(c.exec()).containsExactly("nginx", "-g", "daemon off;");
        assertThat(c.environment()).isEqualTo(Map.of("A", "1"));
        assertThat(c.volumes()).containsExactly("/srv/www:/usr/share/nginx/html:ro,z", "data:/data");
        assertThat(c.tmpfs()).containsExactly("/tmp:size=64m");
        assertThat(c.readOnly()).isTrue();
        assertThat(c.memoryBytes()).isEqualTo(512L * 1024 * 1024);
        assertThat(c.cpuMillis()).isEqualTo(500);
        assertThat(c.network()).isEqualTo("none");
        assertThat(c.healthCmd()).contains("curl -f http://localhost/");
        assertThat(c.healthInterval()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void containerDefaults() {
        ContainerSpec c = parse("[Container]\nImage=busybox\nCPU=1.5\nMemory=1G\n").container().orElseThrow();
        assertThat(c.network()).isEqualTo("host");
        assertThat(c.readOnly()).isFalse();
        assertThat(c.exec()).isEmpty();
        assertThat(c.healthCmd()).isEmpty();
        assertThat(c.healthInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.cpuMillis()).isEqualTo(1500);
        assertThat(c.memoryBytes()).isEqualTo(1L << 30);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Exec=x|[Container] Image= is required",
        "Image=x\\nNetwork=bridge|Network=bridge is not supported: only host or none, because the Keel engine runs without a bridge",
        "Image=x\\nVolume=/a|Volume=/a: expected SOURCE:DEST[:OPTIONS]",
        "Image=x\\nVolume=/a:rel|DEST \"rel\" must be absolute",
        "Image=x\\nVolume=bad/name:/d|SOURCE must be an absolute host path or a volume name",
        "Image=x\\nVolume=/a:/b:rx|unknown option \"rx\"",
        "Image=x\\nTmpfs=tmp|Tmpfs=tmp: the path must be absolute",
        "Image=x\\nMemory=lots|[Container] Memory=lots: invalid memory quantity",
        "Image=x\\nCPU=fast|[Container] CPU=fast: invalid CPU quantity",
        "Image=x\\nReadOnly=perhaps|ReadOnly=perhaps is not a boolean",
        "Image=x\\nPublishPort=80:80|PublishPort= is not supported",
        "Image=x\\nPod=p|[Container] unknown key Pod=",
        "Image=x\\nHealthInterval=0|HealthInterval= must be greater than zero",
    })
    void containerRefusals(String body, String message) {
        refused("[Container]\n" + body.replace("\\n", "\n") + "\n", message);
    }
}
