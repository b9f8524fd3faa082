package io.keel.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.api.client.FleetClient;
import io.keel.cluster.unit.UnitFile;
import io.keel.testkit.Await;
import io.keel.testkit.EtcdProcess;
import io.keel.testkit.Etcdctl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A unit configured from the store on a real node: its template is rendered from {@code /apps/web/}
 * before it starts, a changed key re-renders the file and restarts the unit once, and
 * {@code EnvironmentKeys=} becomes its environment.
 */
class StoreTemplatesTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aUnitRendersItsConfigFromTheStoreAndRestartsWhenAKeyChanges() throws Exception {
        Path work = Files.createTempDirectory("keel-templates-");
        Path template = Files.writeString(work.resolve("app.conf.tmpl"), "port={{apps.web.port}}\n");
        Path rendered = work.resolve("etc/app.conf");
        try (EtcdProcess store = EtcdProcess.start(work.resolve("etcd"));
                NodeProcess node = new NodeProcess("tpl-m", work, store.endpoint(), "unix:///nonexistent.sock",
                        "rack=t", Duration.ofSeconds(10))) {
            Etcdctl etcdctl = new Etcdctl(store.endpoint());
            etcdctl.run("put", "/apps/web/port", "8080");
            etcdctl.run("put", "/apps/web/env/GREETING", "hello-from-the-store");
            node.start();
            FleetClient fleet = node.fleet();
            fleet.createUnit("web.service", UnitFile.parse("""
                    [Service]
                    ExecStart=/bin/sh -c "echo config $(cat %s) greeting $GREETING; exec sleep 100000"

                    [Template]
                    Source=%s
                    Destination=%s
                    Keys=/apps/web
                    EnvironmentKeys=/apps/web/env
                    """.formatted(rendered, template, rendered)).options(), "launched");
            Await.until(WAIT, "web.service printed its rendered config and store environment", () ->
                    journal(fleet).contains("config port=8080 greeting hello-from-the-store"));
            assertThat(Files.readString(rendered)).isEqualTo("port=8080\n");

            etcdctl.run("put", "/apps/web/port", "9090");
            Await.until(WAIT, "the changed key is rendered and the unit restarted on it", () ->
                    journal(fleet).contains("config port=9090"));
            assertThat(Files.readString(rendered)).isEqualTo("port=9090\n");
            assertThat(journal(fleet).lines().filter(l -> l.contains("configuration changed"))).hasSize(1);
        }
    }

    private static String journal(FleetClient fleet) {
        try {
            return fleet.journal("web.service", 200);
        } catch (RuntimeException e) {
            return "";
        }
    }
}
