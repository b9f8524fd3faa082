package io.keel.lifecycle.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Both slots' flags, the slot booted last ({@code active}) and the last rollback, if one has not
 * been superseded by a newer install.
 */
public record SlotTable(SlotState a, SlotState b, SlotName active, Rollback rollback) {

    /** A fresh machine: slot A holds the base installation and is good; B is empty. */
    public static SlotTable fresh() {
        return new SlotTable(new SlotState(null, 1, 0, true), SlotState.empty(), SlotName.A, null);
    }

    public SlotState get(SlotName n) {
        return n == SlotName.A ? a : b;
    }

    public SlotTable with(SlotName n, SlotState s) {
        return n == SlotName.A ? new SlotTable(s, b, active, rollback) : new SlotTable(a, s, active, rollback);
    }

    public SlotTable withActive(SlotName n) {
        return new SlotTable(a, b, n, rollback);
    }

    public SlotTable withRollback(Rollback r) {
        return new SlotTable(a, b, active, r);
    }

    public SlotName passive() {
        return active.other();
    }

    byte[] toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("active", active.name());
        ObjectNode slots = n.putObject("slots");
        for (SlotName s : SlotName.values()) {
            SlotState st = get(s);
            ObjectNode o = slots.putObject(s.name());
            o.put("version", st.version());
            o.put("priority", st.priority());
            o.put("tries", st.tries());
            o.put("successful", st.successful());
        }
        if (rollback != null) {
            ObjectNode r = n.putObject("rollback");
            r.put("from", rollback.from().name());
            r.put("fromVersion", rollback.fromVersion());
            r.put("to", rollback.to().name());
            r.put("toVersion", rollback.toVersion());
            r.put("at", rollback.at().toString());
        }
        return Json.bytes(n);
    }

    static SlotTable parse(byte[] bytes, String source) {
        JsonNode n = Json.parse(bytes, source);
        try {
            JsonNode slots = n.get("slots");
            if (slots == null || !slots.isObject()) {
                throw new UpdateException(source + ": field \"slots\" must be an object with A and B");
            }
            SlotState[] states = new SlotState[2];
            for (SlotName s : SlotName.values()) {
                JsonNode o = slots.get(s.name());
                if (o == null || !o.isObject()) {
                    throw new UpdateException(source + ": slot " + s + " is missing");
                }
                String where = source + " slot " + s;
                states[s.ordinal()] = new SlotState(Json.optionalText(o, "version"),
                        (int) Json.number(o, "priority", where), (int) Json.number(o, "tries", where),
                        Json.bool(o, "successful", where));
            }
            Rollback rollback = null;
            JsonNode r = n.get("rollback");
            if (r != null && !r.isNull()) {
                String where = source + " rollback";
                rollback = new Rollback(SlotName.parse(Json.text(r, "from", where)), Json.optionalText(r, "fromVersion"),
                        SlotName.parse(Json.text(r, "to", where)), Json.optionalText(r, "toVersion"),
                        Instant.parse(Json.text(r, "at", where)));
            }
            return new SlotTable(states[0], states[1], SlotName.parse(Json.text(n, "active", source)), rollback);
        } catch (DateTimeParseException e) {
            throw new UpdateException(source + ": rollback time is not an ISO-8601 instant");
        } catch (UpdateException e) {
            throw e.getMessage().startsWith(source) ? e : new UpdateException(source + ": " + e.getMessage());
        }
    }
}
