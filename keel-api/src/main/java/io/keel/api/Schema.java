package io.keel.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.keel.cluster.unit.UnitOption;
import java.util.List;
import java.util.Map;

/**
 * The JSON objects of fleet's API v1 ({@code schema/v1.json} in fleet: Unit, UnitOption, UnitPage,
 * UnitState, UnitStatePage, Machine, MachinePage and the error entity), plus Keel's extensions,
 * which only add fields a fleet client ignores.
 */
public final class Schema {

    private Schema() {}

    /** fleet's Unit. {@code currentState} and {@code machineID} are absent while it is on no machine. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Unit(
            @JsonProperty("name") String name,
            @JsonProperty("options") List<UnitOption> options,
            @JsonProperty("desiredState") String desiredState,
            @JsonProperty("currentState") String currentState,
            @JsonProperty("machineID") String machineID) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UnitPage(
            @JsonProperty("units") List<Unit> units,
            @JsonProperty("nextPageToken") String nextPageToken) {}

    /** fleet's UnitState: what the agent on {@code machineID} reports for the unit. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record UnitState(
            @JsonProperty("name") String name,
            @JsonProperty("hash") String hash,
            @JsonProperty("machineID") String machineID,
            @JsonProperty("systemdLoadState") String systemdLoadState,
            @JsonProperty("systemdActiveState") String systemdActiveState,
            @JsonProperty("systemdSubState") String systemdSubState) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UnitStatePage(
            @JsonProperty("states") List<UnitState> states,
            @JsonProperty("nextPageToken") String nextPageToken) {}

    /**
     * fleet's Machine; {@code capacity} and {@code version} are Keel's additions.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Machine(
            @JsonProperty("id") String id,
            @JsonProperty("primaryIP") String primaryIP,
            @JsonProperty("metadata") Map<String, String> metadata,
            @JsonProperty("capacity") Capacity capacity,
            @JsonProperty("version") String version) {}

    /** CPU in millicores and memory in bytes; 0 means not declared. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Capacity(
            @JsonProperty("cpuMillis") long cpuMillis,
            @JsonProperty("memoryBytes") long memoryBytes) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MachinePage(
            @JsonProperty("machines") List<Machine> machines,
            @JsonProperty("nextPageToken") String nextPageToken) {}

    /** fleet's error body: {@code {"error":{"code":404,"message":"unit does not exist"}}}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Error(@JsonProperty("error") ErrorEntity error) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ErrorEntity(@JsonProperty("code") int code, @JsonProperty("message") String message) {}

    /** Keel: why a unit that should run is on no machine. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Unschedulable(@JsonProperty("name") String name, @JsonProperty("reason") String reason) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record UnschedulableList(@JsonProperty("units") List<Unschedulable> units) {}

    /** Keel: what the node serving the API is doing. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NodeStatus(
            @JsonProperty("machineID") String machineID,
            @JsonProperty("presence") String presence,
            @JsonProperty("engine") String engine,
            @JsonProperty("leader") String leader,
            @JsonProperty("store") String store,
            @JsonProperty("version") String version) {}
}
