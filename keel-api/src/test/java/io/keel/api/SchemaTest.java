package io.keel.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keel.cluster.registry.ScheduleRecord;
import io.keel.cluster.registry.UnitRecord;
import io.keel.cluster.registry.UnitStateRecord;
import io.keel.cluster.unit.UnitFile;
import io.keel.cluster.unit.UnitOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON field names are fleet's (schema/v1.json). */
class SchemaTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void unitsUseFleetsFieldNamesAndOmitWhatIsUnknown() throws Exception {
        Schema.Unit unit = new Schema.Unit("a.service", List.of(new UnitOption("Service", "ExecStart", "/bin/true")),
                "launched", "loaded", "m1");
        assertThat(json.writeValueAsString(unit)).isEqualTo("{\"name\":\"a.service\",\"options\":[{\"section\":"
                + "\"Service\",\"name\":\"ExecStart\",\"value\":\"/bin/true\"}],\"desiredState\":\"launched\","
                + "\"currentState\":\"loaded\",\"machineID\":\"m1\"}");
        assertThat(json.writeValueAsString(new Schema.Unit("b.service", List.of(), "inactive", null, null)))
                .isEqualTo("{\"name\":\"b.service\",\"desiredState\":\"inactive\"}");
        assertThat(json.readValue("{\"name\":\"c.service\",\"desiredState\":\"loaded\",\"unknown\":1}", Schema.Unit.class)
                .desiredState()).isEqualTo("loaded");
    }

    @Test
    void errorsAreFleetsErrorEntity() throws Exception {
        assertThat(json.writeValueAsString(new Schema.Error(new Schema.ErrorEntity(404, "unit does not exist"))))
                .isEqualTo("{\"error\":{\"code\":404,\"message\":\"unit does not exist\"}}");
    }

    @Test
    void currentStateComesFromTheAgentOnTheScheduledMachine() {
        UnitFile file = UnitFile.parse("[Service]\nExecStart=/bin/true\n");
        UnitRecord unit = new UnitRecord("a.service", file.text(), file.hash(), "launched");
        UnitStateRecord onM1 = new UnitStateRecord("a.service", "m1", file.hash(), "launched", "loaded", "active", "running");
        UnitStateRecord onM2 = new UnitStateRecord("a.service", "m2", file.hash(), "loaded", "loaded", "inactive", "dead");

        assertThat(FleetService.toSchema(unit, null, Map.of()).currentState()).isEqualTo("inactive");
        assertThat(FleetService.toSchema(unit, new ScheduleRecord("m1", file.hash()), Map.of()).currentState())
                .isEqualTo("inactive");
        assertThat(FleetService.toSchema(unit, new ScheduleRecord("m1", file.hash()), Map.of("m1", onM1, "m2", onM2)))
                .extracting(Schema.Unit::currentState, Schema.Unit::machineID).containsExactly("launched", "m1");

        UnitFile global = UnitFile.parse("[Service]\nExecStart=/bin/true\n[X-Fleet]\nGlobal=true\n");
        UnitRecord g = new UnitRecord("g.service", global.text(), global.hash(), "launched");
        assertThat(FleetService.toSchema(g, null, Map.of()).currentState()).isNull();
    }
}
