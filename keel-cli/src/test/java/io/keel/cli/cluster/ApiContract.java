package io.keel.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keel.api.ApiException;
import io.keel.api.ApiServer;
import io.keel.api.Schema;
import io.keel.api.client.FleetClient;
import io.keel.cluster.registry.MachineRecord;
import io.keel.cluster.registry.Registry;
import io.keel.cluster.registry.StoreEndpoints;
import io.keel.cluster.unit.UnitFile;
import io.keel.cluster.unit.UnitOption;
import io.keel.testkit.Await;
import io.keel.testkit.FreePorts;
import io.keel.testkit.cluster.SimulatedCluster;
import io.keel.testkit.cluster.SimulatedMachine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** fleet API v1 over HTTP, served on the store under test: resources, status codes, error bodies. */
public interface ApiContract extends ClusterFixture {

    ObjectMapper JSON = new ObjectMapper();
    List<UnitOption> HELLO = UnitFile.parse("[Unit]\nDescription=Hello\n\n[Service]\nExecStart=/bin/sleep 1000\n")
            .options();

    /** A raw HTTP exchange, for status codes and bodies exactly as sent. */
    private static HttpResponse<String> http(ApiServer api, String method, String path, String contentType,
            String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.url() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void assertError(HttpResponse<String> response, int status, String messagePart) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        try {
            JsonNode error = JSON.readTree(response.body()).get("error");
            assertThat(error.get("code").asInt()).isEqualTo(status);
            assertThat(error.get("message").asText()).contains(messagePart);
        } catch (IOException e) {
            throw new AssertionError("not fleet's error JSON: " + response.body(), e);
        }
    }

    private static String unitJson(String name, String desiredState, String text) throws IOException {
        return JSON.writeValueAsString(new Schema.Unit(name, UnitFile.parse(text).options(), desiredState, null, null));
    }

    @Test
    default void aUnitIsCreatedStartedReportedAndDestroyedOverHttp() throws IOException {
        ApiServer api = startApi();
        FleetClient fleet = new FleetClient(api.url(), Duration.ofSeconds(10));
        SimulatedCluster machines = simulated();
        machines.add(SimulatedMachine.of("m1", Map.of("rack", "r1")));
        startEngine("e1");

        HttpResponse<String> created = http(api, "PUT", "/fleet/v1/units/hello.service", "application/json",
                unitJson("hello.service", null, "[Unit]\nDescription=Hello\n\n[Service]\nExecStart=/bin/sleep 1000\n"));
        assertThat(created.statusCode()).isEqualTo(201);
        Schema.Unit unit = fleet.unit("hello.service").orElseThrow();
        assertThat(unit.options()).isEqualTo(HELLO);
        assertThat(unit.desiredState()).isEqualTo("inactive");
        assertThat(unit.currentState()).isEqualTo("inactive");
        assertThat(unit.machineID()).isNull();

        assertThat(http(api, "PUT", "/fleet/v1/units/hello.service", "application/json",
                "{\"desiredState\":\"launched\"}").statusCode()).isEqualTo(204);
        Await.until(EngineContract.WAIT, "hello.service launched on m1", () -> fleet.unit("hello.service")
                .map(u -> "launched".equals(u.currentState()) && "m1".equals(u.machineID())).orElse(false));
        assertThat(fleet.states()).containsExactly(new Schema.UnitState("hello.service",
                UnitFile.of(HELLO).hash(), "m1", "loaded", "active", "running"));
        assertThat(fleet.machines()).extracting(Schema.Machine::id, Schema.Machine::metadata)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("m1", Map.of("rack", "r1")));

        assertThat(http(api, "DELETE", "/fleet/v1/units/hello.service", null, null).statusCode()).isEqualTo(204);
        assertError(http(api, "GET", "/fleet/v1/units/hello.service", null, null), 404, "unit does not exist");
        Await.until(EngineContract.WAIT, "hello.service's state gone", () -> fleet.states().isEmpty());
    }

    @Test
    default void badRequestsGetFleetsStatusCodesAndChangeNothing() throws IOException {
        ApiServer api = startApi();
        String hello = "[Service]\nExecStart=/bin/true\n";
        assertError(http(api, "GET", "/fleet/v1/units/nope.service", null, null), 404, "unit does not exist");
        assertError(http(api, "DELETE", "/fleet/v1/units/nope.service", null, null), 404, "unit does not exist");
        assertError(http(api, "PUT", "/fleet/v1/units/nope.service", "application/json",
                "{\"desiredState\":\"launched\"}"), 409, "unit does not exist and options field empty");
        assertError(http(api, "PUT", "/fleet/v1/units/a.service", "text/plain", "{}"), 415,
                "only acceptable Content-Type is application/json");
        assertError(http(api, "PUT", "/fleet/v1/units/a.service", null, "{}"), 415, "expected 1 Content-Type");
        assertError(http(api, "PUT", "/fleet/v1/units/a.service", "application/json", "{not json"), 400,
                "unable to decode body");
        assertError(http(api, "PUT", "/fleet/v1/units/a.service", "application/json",
                unitJson("b.service", null, hello)), 400, "differs from unit name in request body");
        assertError(http(api, "PUT", "/fleet/v1/units/a.txt", "application/json", unitJson(null, null, hello)), 400,
                "a.txt");
        assertError(http(api, "PUT", "/fleet/v1/units/a.service", "application/json",
                unitJson(null, null, hello + "[X-Fleet]\nMachineFoo=1\n")), 400, "MachineFoo");
        assertError(http(api, "PUT", "/fleet/v1/units/a.service", "application/json",
                unitJson(null, null, hello + "[X-Fleet]\nGlobal=true\nMachineOf=b.service\n")), 400, "MachineOf");
        assertError(http(api, "PUT", "/fleet/v1/units/a.service", "application/json",
                unitJson(null, "running", hello)), 400, "invalid job state \"running\"");
        assertError(http(api, "PUT", "/fleet/v1/units/web@.service", "application/json",
                unitJson(null, "launched", hello)), 400, "is a template");
        assertThat(new FleetClient(api.url(), Duration.ofSeconds(5)).units()).isEmpty();

        assertThat(http(api, "PUT", "/fleet/v1/units/a.service", "application/json", unitJson(null, null, hello))
                .statusCode()).isEqualTo(201);
        assertError(http(api, "PUT", "/fleet/v1/units/a.service", "application/json", "{}"), 409,
                "must provide DesiredState to update existing unit");
        assertError(http(api, "POST", "/fleet/v1/units", "application/json", "{}"), 405,
                "only GET supported against this resource");
        assertError(http(api, "PATCH", "/fleet/v1/units/a.service", "application/json", "{}"), 405,
                "only GET, PUT and DELETE supported against this resource");
        assertError(http(api, "POST", "/fleet/v1/machines", "application/json", "{}"), 400,
                "only HTTP GET supported against this resource");
        assertError(http(api, "DELETE", "/fleet/v1/state", null, null), 405, "only GET supported");
        assertError(http(api, "GET", "/fleet/v1/units?nextPageToken=garbage", null, null), 400, "invalid nextPageToken");
        assertError(http(api, "GET", "/nothing/here", null, null), 404, "");
        assertError(http(api, "GET", "/", null, null), 405, "");
        assertError(http(api, "GET", "/keel/v1/status/a.service", null, null), 404,
                "Unit a.service does not appear to be running.");
        assertError(http(api, "GET", "/keel/v1/journal/nope.service", null, null), 404,
                "Unit nope.service does not exist.");
        assertError(http(api, "GET", "/keel/v1/journal/a.service?lines=-3", null, null), 400,
                "lines must be a non-negative integer, not '-3'");
        assertError(http(api, "POST", "/keel/v1/status/a.service", null, null), 405, "only GET supported");
        assertThat(unit("a.service").value().desiredState()).isEqualTo("inactive");
    }

    @Test
    default void aNewVersionReplacesTheUnitAndKeepsItsDesiredState() throws IOException {
        ApiServer api = startApi();
        FleetClient fleet = new FleetClient(api.url(), Duration.ofSeconds(10));
        fleet.createUnit("a.service", UnitFile.parse("[Service]\nExecStart=/bin/true\n").options(), "loaded");
        String oldHash = unit("a.service").value().hash();

        fleet.replaceUnit("a.service", UnitFile.parse("[Service]\nExecStart=/bin/false\n").options());

        assertThat(unit("a.service").value().hash()).isNotEqualTo(oldHash);
        assertThat(unit("a.service").value().desiredState()).isEqualTo("loaded");
        assertThat(fleet.unit("a.service").orElseThrow().options())
                .containsExactly(new UnitOption("Service", "ExecStart", "/bin/false"));
    }

    @Test
    default void listsArePagedByOneHundredWithOpaqueTokens() throws IOException {
        ApiServer api = startApi();
        for (int i = 0; i < 250; i++) {
            submit(String.format("u%03d.service", i), "[Service]\nExecStart=/bin/true\n", "inactive");
        }
        long lease = Registry.await(client().getLeaseClient().grant(60)).getID();
        for (int i = 0; i < 120; i++) {
            Registry.await(registry().registerMachine(new MachineRecord(String.format("m%03d", i), "", Map.of(),
                    null, ""), lease));
        }

        JsonNode first = JSON.readTree(http(api, "GET", "/fleet/v1/units", null, null).body());
        assertThat(first.get("units")).hasSize(100);
        assertThat(first.get("nextPageToken").asText()).isNotEmpty();
        JsonNode second = JSON.readTree(http(api, "GET", "/fleet/v1/units?nextPageToken="
                + first.get("nextPageToken").asText(), null, null).body());
        assertThat(second.get("units").get(0).get("name").asText()).isEqualTo("u100.service");

        FleetClient fleet = new FleetClient(api.url(), Duration.ofSeconds(10));
        List<String> names = fleet.units().stream().map(Schema.Unit::name).toList();
        assertThat(names).hasSize(250).isSorted().doesNotHaveDuplicates();
        assertThat(fleet.machines()).hasSize(120);
        JsonNode lastMachines = JSON.readTree(http(api, "GET", "/fleet/v1/machines?nextPageToken="
                + JSON.readTree(http(api, "GET", "/fleet/v1/machines", null, null).body()).get("nextPageToken").asText(),
                null, null).body());
        assertThat(lastMachines.get("machines")).hasSize(20);
        assertThat(lastMachines.has("nextPageToken")).isFalse();
        Registry.await(client().getLeaseClient().revoke(lease));
    }

    @Test
    default void whyAUnitCannotBePlacedIsServedAsAnExtension() {
        ApiServer api = startApi();
        simulated().add(SimulatedMachine.of("m1", Map.of("role", "web")));
        startEngine("e1");
        FleetClient fleet = new FleetClient(api.url(), Duration.ofSeconds(10));
        fleet.createUnit("db.service", UnitFile.parse("[Service]\nExecStart=/bin/true\n\n[X-Fleet]\n"
                + "MachineMetadata=role=db\n").options(), "launched");

        Await.until(EngineContract.WAIT, "a reason for db.service", () -> fleet.unschedulable().containsKey("db.service"));
        assertThat(fleet.unschedulable().get("db.service")).contains("MachineMetadata");
        assertThat(fleet.unit("db.service").orElseThrow().machineID()).isNull();
    }

    @Test
    default void anUnreachableStoreIsA503NamingIt() throws IOException {
        int port = FreePorts.next();
        StoreEndpoints dead = StoreEndpoints.parse("127.0.0.1:" + port);
        io.etcd.jetcd.Client deadClient = closeAfter(dead.connect());
        Registry unreachable = new Registry(deadClient, dead.toString(), Duration.ofSeconds(2));
        ApiServer api = closeAfter(ApiServer.start(new InetSocketAddress("127.0.0.1", 0), unreachable,
                () -> null, "test"));

        assertError(http(api, "GET", "/fleet/v1/units", null, null), 503, "127.0.0.1:" + port);
        assertThatThrownBy(() -> new FleetClient(api.url(), Duration.ofSeconds(10)).machines())
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("store http://127.0.0.1:" + port);
    }
}
