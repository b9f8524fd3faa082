package io.keel.cli.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.testkit.Await;
import io.keel.testkit.Etcdctl;
import io.keel.testkit.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's other sources of a member's flags, written once and bound to the Keel store and to real
 * etcd 3.4: {@code ETCD_*} environment variables (a member configured by them alone; one that
 * also gives a variable's flag is refused), and {@code --config-file} (a member configured by the
 * YAML file alone, whose other flags and variables are ignored).
 */
abstract class EtcdSourcesScenario {
    private static final Duration START = Duration.ofSeconds(90);

    @TempDir
    Path work;
    private final List<Process> members = new ArrayList<>();

    /** The program that takes etcd's member flags: etcd, or {@code keel store}. */
    protected abstract List<String> program();

    @AfterEach
    void stopMembers() throws InterruptedException {
        MemberProcesses.stopAll(members);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aMemberConfiguredByEnvironmentVariablesAloneServesWithThem() throws Exception {
        var urls = Urls.allocate();
        Process member = launch(List.of(), Map.of(
                "ETCD_NAME", "infra-env",
                "ETCD_DATA_DIR", work.resolve("env-data").toString(),
                "ETCD_LISTEN_CLIENT_URLS", urls.client(),
                "ETCD_ADVERTISE_CLIENT_URLS", urls.client(),
                "ETCD_LISTEN_PEER_URLS", urls.peer(),
                "ETCD_INITIAL_ADVERTISE_PEER_URLS", urls.peer(),
                "ETCD_INITIAL_CLUSTER", "infra-env=" + urls.peer(),
                "ETCD_INITIAL_CLUSTER_TOKEN", "env-token"));

        awaitServing(member, urls.client());

        assertThat(etcdctl(urls.client(), "member", "list").stdout().strip())
                .endsWith(", started, infra-env, " + urls.peer() + ", " + urls.client() + ", false");
        assertThat(etcdctl(urls.client(), "put", "from-env", "v1").stdout()).contains("OK");
        assertThat(Files.isDirectory(work.resolve("env-data"))).isTrue();
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aVariableWhoseFlagIsAlsoGivenIsRefused() throws Exception {
        var urls = Urls.allocate();
        Process member = launch(List.of("--data-dir", work.resolve("flag-data").toString(),
                "--listen-client-urls", urls.client(), "--advertise-client-urls", urls.client(),
                "--listen-peer-urls", urls.peer(), "--initial-advertise-peer-urls", urls.peer(),
                "--initial-cluster", "default=" + urls.peer(), "--snapshot-count", "1000"),
                Map.of("ETCD_SNAPSHOT_COUNT", "500"));

        assertThat(member.waitFor(60, TimeUnit.SECONDS)).as("the member exits").isTrue();
        assertThat(member.exitValue()).isNotZero();
        assertThat(log("member")).contains("conflicting environment variable \"ETCD_SNAPSHOT_COUNT\" is"
                + " shadowed by corresponding command-line flag");
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aMemberConfiguredByAConfigFileIgnoresOtherFlagsAndVariables() throws Exception {
        var urls = Urls.allocate();
        Path file = work.resolve("etcd.conf.yml");
        Files.writeString(file, String.join("\n",
                "# an etcd 3.4 configuration file",
                "name: infra-file",
                "data-dir: " + work.resolve("file-data"),
                "listen-client-urls: " + urls.client(),
                "advertise-client-urls: " + urls.client(),
                "listen-peer-urls: " + urls.peer(),
                "initial-advertise-peer-urls: " + urls.peer(),
                "initial-cluster: infra-file=" + urls.peer(),
                "initial-cluster-state: 'new'",
                "initial-cluster-token: 'file-token'",
                "snapshot-count: 10000",
                "heartbeat-interval: 100",
                "election-timeout: 1000",
                "client-transport-security:",
                "  client-cert-auth: false",
                "peer-transport-security:",
                "  client-cert-auth: false",
                ""));
        Process member = launch(List.of("--config-file", file.toString(), "--name", "ignored-flag"),
                Map.of("ETCD_NAME", "ignored-variable"));

        awaitServing(member, urls.client());

        assertThat(etcdctl(urls.client(), "member", "list").stdout().strip())
                .endsWith(", started, infra-file, " + urls.peer() + ", " + urls.client() + ", false");
        assertThat(etcdctl(urls.client(), "put", "from-file", "v1").stdout()).contains("OK");
        assertThat(log("member")).contains("configuration").contains(file.toString());
    }

    private record Urls(String client, String peer) {
        static Urls allocate() {
            int[] ports = FreePorts.allocate(2);
            return new Urls("http://127.0.0.1:" + ports[0], "http://127.0.0.1:" + ports[1]);
        }
    }

    private Process launch(List<String> flags, Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>(program());
        command.addAll(flags);
        var builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("member.log").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("ETCD_"));
        builder.environment().putAll(env);
        Process member = builder.start();
        members.add(member);
        return member;
    }

    private void awaitServing(Process member, String endpoint) {
        Await.until(START, "the member serves on " + endpoint + " (log " + work.resolve("member.log") + ")",
                () -> member.isAlive() && etcdctl(endpoint, "endpoint", "health").ok());
    }

    private String log(String name) throws IOException {
        return Files.readString(work.resolve(name + ".log"));
    }

    private static Etcdctl.Result etcdctl(String endpoint, String... args) {
        List<String> all = new ArrayList<>(List.of("--dial-timeout=2s", "--command-timeout=5s"));
        all.addAll(List.of(args));
        return new Etcdctl(endpoint).withTimeout(Duration.ofSeconds(20)).run(all, null);
    }
}
