package io.keel.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.agent.runtime.LaunchException;
import io.keel.agent.service.ContainerSpec;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class UnreachableEngineTest {

    private static final ContainerSpec SPEC = new ContainerSpec("keel-test/busybox:1", List.of("true"), Map.of(),
            List.of(), List.of(), false, 0, 0, ContainerSpec.NETWORK_NONE, Optional.empty(), Duration.ZERO);

    @Test
    @Timeout(30)
    void aMissingSocketFailsAtOnceNamingTheEngine(@TempDir Path dir) {
        String host = "unix://" + dir.resolve("docker.sock");
        try (DockerContainers containers = DockerContainers.connect(host, "m1")) {
            assertThat(containers.ping()).isFalse();
            assertThatThrownBy(() -> containers.launcher("a.service", "h", SPEC).start(Map.of(), new RecordingSink()))
                    .isInstanceOf(LaunchException.class).hasMessageContaining("Docker Engine at " + host);
            assertThatThrownBy(containers::list)
                    .isInstanceOf(DockerEngineException.class).hasMessageContaining("did not answer listing");
            assertThatThrownBy(() -> containers.launcher("a.service", "h", SPEC).adopt(new RecordingSink()))
                    .isInstanceOf(DockerEngineException.class);
        }
    }

    @Test
    @Timeout(30)
    void anEngineThatNeverAnswersTimesOut(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("silent.sock");
        try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.bind(UnixDomainSocketAddress.of(socket));
            try (DockerContainers containers =
                    DockerContainers.connect("unix://" + socket, "m1", Duration.ofMillis(300))) {
                assertThat(containers.ping()).isFalse();
                assertThatThrownBy(containers::list).isInstanceOf(DockerEngineException.class)
                        .hasMessageContaining("did not answer");
            }
        }
    }
}
