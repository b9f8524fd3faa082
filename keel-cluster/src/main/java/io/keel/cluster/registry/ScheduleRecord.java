package io.keel.cluster.registry;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The engine's decision for one unit at {@code /keel/schedule/<name>}.
 *
 * @param machineID the machine the unit runs on
 * @param unitHash the unit version the decision was made for
 */
public record ScheduleRecord(
        @JsonProperty("machineID") String machineID,
        @JsonProperty("unitHash") String unitHash) {}
