package io.keel.cli.agent;

import io.keel.api.Schema;
import io.keel.api.client.FleetClient;
import java.util.List;
import java.util.Optional;

/** A unit's states as a node's fleet API reports them, for scenarios that wait on them. */
final class UnitStates {

    private UnitStates() {}

    /** The states of {@code unit} on every machine; none while the API does not answer. */
    static List<Schema.UnitState> of(FleetClient fleet, String unit) {
        try {
            return fleet.states().stream().filter(s -> s.name().equals(unit)).toList();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** The machine where {@code unit} is active and running, if exactly one machine reports it so. */
    static Optional<String> runningOn(FleetClient fleet, String unit) {
        List<Schema.UnitState> running = of(fleet, unit).stream()
                .filter(s -> "active".equals(s.systemdActiveState()) && "running".equals(s.systemdSubState()))
                .toList();
        return running.size() == 1 ? Optional.of(running.get(0).machineID()) : Optional.empty();
    }
}
