package io.keel.lifecycle.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A snapshot of the update engine.
 *
 * @param state the current operation
 * @param channel the channel followed
 * @param currentVersion the running release
 * @param newVersion the release found by the last check, or null
 * @param newSize its payload size, or -1
 * @param lastError why the last check failed, one line, or null if it did not
 * @param lastCheck when the last check started, or null before the first
 * @param rollback the last boot's rollback, one line, or null
 */
public record UpdateStatus(UpdateState state, Channel channel, String currentVersion, String newVersion, long newSize,
        String lastError, Instant lastCheck, String rollback) {

    /** Where the engine's status file lives under a machine's data dir. */
    public static Path file(Path dataDir) {
        return dataDir.resolve("update").resolve("status.json");
    }

    UpdateStatus with(UpdateState s) {
        return new UpdateStatus(s, channel, currentVersion, newVersion, newSize, lastError, lastCheck, rollback);
    }

    byte[] toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("state", state.name());
        n.put("channel", channel.id());
        n.put("currentVersion", currentVersion);
        n.put("newVersion", newVersion);
        n.put("newSize", newSize);
        n.put("lastError", lastError);
        n.put("lastCheck", lastCheck == null ? null : lastCheck.toString());
        n.put("rollback", rollback);
        return Json.bytes(n);
    }

    public void write(Path dataDir) {
        Json.writeAtomically(file(dataDir), toJson());
    }

    /** The status the engine last wrote under {@code dataDir}, or null if it never wrote one. */
    public static UpdateStatus read(Path dataDir) {
        Path f = file(dataDir);
        if (!Files.exists(f)) {
            return null;
        }
        JsonNode n = Json.read(f);
        String src = f.toString();
        String state = Json.text(n, "state", src);
        try {
            String check = Json.optionalText(n, "lastCheck");
            return new UpdateStatus(UpdateState.valueOf(state), Channel.parse(Json.text(n, "channel", src)),
                    Json.optionalText(n, "currentVersion"), Json.optionalText(n, "newVersion"),
                    n.path("newSize").asLong(-1), Json.optionalText(n, "lastError"),
                    check == null ? null : Instant.parse(check), Json.optionalText(n, "rollback"));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new UpdateException(src + ": " + e.getMessage());
        }
    }
}
