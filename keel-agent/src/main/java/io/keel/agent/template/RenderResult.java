package io.keel.agent.template;

import java.nio.file.Path;

/** What rendering one template did. */
public sealed interface RenderResult {

    Path destination();

    /** Whether the destination's content was replaced (the unit must reload). */
    default boolean changed() {
        return this instanceof Replaced;
    }

    /** The new content passed the check and is in place. */
    record Replaced(Path destination) implements RenderResult {}

    /** The rendered content equals the destination's; nothing was written (the mode is reapplied). */
    record Unchanged(Path destination) implements RenderResult {}

    /** The check refused the new content; the old file is kept. */
    record CheckFailed(Path destination, CommandRunner.Outcome outcome) implements RenderResult {
        @Override
        public String toString() {
            return "check of " + destination + " failed (" + outcome.describe() + "); kept the old file";
        }
    }

    /** The template could not be read, compiled or rendered, or the file not written; the old file is kept. */
    record Failed(Path destination, String problem) implements RenderResult {
        @Override
        public String toString() {
            return "rendering " + destination + " failed: " + problem;
        }
    }
}
