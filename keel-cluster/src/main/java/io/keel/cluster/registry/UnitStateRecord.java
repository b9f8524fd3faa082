package io.keel.cluster.registry;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What an agent reports for one unit on its machine at {@code /keel/state/<name>/<machine>}, on
 * the agent's lease. {@code jobState} is fleet's current job state ({@code loaded} or
 * {@code launched}: an inactive unit has no state key); the {@code systemd*} fields are the unit's
 * load, active and sub state as systemd names them.
 */
public record UnitStateRecord(
        @JsonProperty("name") String name,
        @JsonProperty("machineID") String machineID,
        @JsonProperty("hash") String hash,
        @JsonProperty("jobState") String jobState,
        @JsonProperty("systemdLoadState") String systemdLoadState,
        @JsonProperty("systemdActiveState") String systemdActiveState,
        @JsonProperty("systemdSubState") String systemdSubState) {}
