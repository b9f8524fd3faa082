package io.keel.agent.template;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

/**
 * One template of a unit: {@code source} is rendered with the unit's store keys into
 * {@code destination}.
 *
 * @param source the Mustache template on this machine, absolute
 * @param destination the rendered file, absolute
 * @param mode the permissions the destination gets
 * @param checkCommand the check run on the staged file before it replaces the destination (words,
 *     {@link #STAGED} standing for the staged file's path); empty for no check
 */
public record TemplateSpec(Path source, Path destination, Set<PosixFilePermission> mode, List<String> checkCommand) {

    /** The placeholder in {@code CheckCmd=} replaced by the staged file's path. */
    public static final String STAGED = "{{src}}";

    public TemplateSpec {
        if (!source.isAbsolute() || !destination.isAbsolute()) {
            throw new IllegalArgumentException("template paths must be absolute: " + source + " -> " + destination);
        }
        mode = Set.copyOf(mode);
        checkCommand = List.copyOf(checkCommand);
    }

    /** The check's argv for the staged file {@code staged}: {@link #STAGED} replaced inside every word. */
    public List<String> checkArgv(Path staged) {
        return checkCommand.stream().map(w -> w.replace(STAGED, staged.toString())).toList();
    }
}
