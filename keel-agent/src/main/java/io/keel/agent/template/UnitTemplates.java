package io.keel.agent.template;

import io.keel.agent.service.ExecLines;
import io.keel.cluster.unit.UnitFile;
import io.keel.cluster.unit.UnitFileException;
import io.keel.cluster.unit.UnitOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A unit's {@code [Template]} section: the templates rendered from the store, the key prefixes they
 * read, how the unit takes a new configuration, and the prefixes its environment comes from.
 * docs/templates.md has the syntax.
 *
 * <ul>
 *   <li>{@code Source=} and {@code Destination=} are repeated in pairs, in order; their counts must
 *       match. A relative {@code Source=} is resolved against {@code [Service] WorkingDirectory=}
 *       and refused without one; {@code Destination=} must be absolute.
 *   <li>{@code Mode=} and {@code CheckCmd=} are given not at all, once (for every template) or once
 *       per template, in order. {@code Mode=} is octal, permission bits only (default 0644).
 *       {@code CheckCmd=} is split like an Exec line; {@code {{src}}} stands for the staged file.
 *   <li>{@code Keys=} and {@code EnvironmentKeys=} are absolute prefixes (several per line,
 *       whitespace-separated, or repeated lines), shared by all templates; a trailing {@code /} is
 *       added when missing.
 *   <li>{@code ReloadCmd=} (one per unit): how the unit takes new files; without it the unit is
 *       restarted.
 * </ul>
 *
 * @param templates the templates in order
 * @param keys the prefixes the templates read, in order, without duplicates
 * @param reloadCommand the words of {@code ReloadCmd=}, if given
 * @param environmentKeys the prefixes of {@code EnvironmentKeys=}, in order
 */
public record UnitTemplates(List<TemplateSpec> templates, List<String> keys, Optional<List<String>> reloadCommand,
        List<String> environmentKeys) {

    public static final String SECTION = "Template";
    public static final Set<PosixFilePermission> DEFAULT_MODE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<String> KNOWN = Set.of("Source", "Destination", "Mode", "CheckCmd", "Keys",
            "ReloadCmd", "EnvironmentKeys");

    public UnitTemplates {
        templates = List.copyOf(templates);
        keys = List.copyOf(keys);
        reloadCommand = reloadCommand.map(List::copyOf);
        environmentKeys = List.copyOf(environmentKeys);
    }

    /** No templates, no environment keys. */
    public static UnitTemplates none() {
        return new UnitTemplates(List.of(), List.of(), Optional.empty(), List.of());
    }

    /** Whether the unit has templates to render before it starts. */
    public boolean hasTemplates() {
        return !templates.isEmpty();
    }

    /** The destinations in order. */
    public List<Path> destinations() {
        return templates.stream().map(TemplateSpec::destination).toList();
    }

    /**
     * Reads the {@code [Template]} section; {@link #none()} without one.
     *
     * @throws UnitFileException naming the key and the problem
     */
    public static UnitTemplates parse(UnitFile file) {
        for (UnitOption option : file.options()) {
            if (option.section().equals(SECTION) && !KNOWN.contains(option.name())) {
                throw new UnitFileException("[Template] unknown key " + option.name() + "= (known: Source, Destination,"
                        + " Keys, Mode, CheckCmd, ReloadCmd, EnvironmentKeys)");
            }
        }
        List<String> sources = file.values(SECTION, "Source");
        List<String> destinations = file.values(SECTION, "Destination");
        if (sources.size() != destinations.size()) {
            throw new UnitFileException("[Template] has " + sources.size() + " Source= and " + destinations.size()
                    + " Destination=; they go in pairs, in order");
        }
        List<String> modes = perTemplate(file, "Mode", sources.size());
        List<String> checks = perTemplate(file, "CheckCmd", sources.size());
        List<String> keys = prefixes(file, "Keys");
        if (!sources.isEmpty() && keys.isEmpty()) {
            throw new UnitFileException("[Template] Keys= is missing: name the store prefixes the templates read");
        }
        if (sources.isEmpty() && (!keys.isEmpty() || !modes.isEmpty() || !checks.isEmpty()
                || file.value(SECTION, "ReloadCmd").isPresent())) {
            throw new UnitFileException("[Template] has template options but no Source=/Destination= pair");
        }
        Optional<Path> workingDirectory = file.value("Service", "WorkingDirectory").map(Path::of);
        List<TemplateSpec> templates = new ArrayList<>();
        Set<Path> seen = new LinkedHashSet<>();
        for (int i = 0; i < sources.size(); i++) {
            Path source = source(sources.get(i), workingDirectory);
            Path destination = Path.of(destinations.get(i));
            if (!destination.isAbsolute()) {
                throw new UnitFileException("[Template] Destination=" + destination + " is not an absolute path");
            }
            if (!seen.add(destination.normalize())) {
                throw new UnitFileException("[Template] Destination=" + destination + " is given twice");
            }
            Set<PosixFilePermission> mode = modes.isEmpty() ? DEFAULT_MODE : mode(pick(modes, i));
            List<String> check = checks.isEmpty() ? List.of() : words("CheckCmd", pick(checks, i));
            templates.add(new TemplateSpec(source, destination.normalize(), mode, check));
        }
        Optional<List<String>> reload = file.value(SECTION, "ReloadCmd").map(v -> words("ReloadCmd", v));
        if (file.values(SECTION, "ReloadCmd").size() > 1) {
            throw new UnitFileException("[Template] ReloadCmd= is given " + file.values(SECTION, "ReloadCmd").size()
                    + " times; a unit has one reload command");
        }
        return new UnitTemplates(templates, keys, reload, prefixes(file, "EnvironmentKeys"));
    }

    private static List<String> perTemplate(UnitFile file, String key, int templates) {
        List<String> values = file.values(SECTION, key);
        if (values.size() > 1 && values.size() != templates) {
            throw new UnitFileException("[Template] " + key + "= is given " + values.size() + " times for " + templates
                    + " templates; give it once (for all) or once per Source=/Destination= pair");
        }
        return values;
    }

    private static String pick(List<String> values, int i) {
        return values.size() == 1 ? values.get(0) : values.get(i);
    }

    private static Path source(String value, Optional<Path> workingDirectory) {
        Path source = Path.of(value);
        if (source.isAbsolute()) {
            return source.normalize();
        }
        if (workingDirectory.isEmpty() || !workingDirectory.get().isAbsolute()) {
            throw new UnitFileException("[Template] Source=" + value
                    + " is relative and the unit has no absolute [Service] WorkingDirectory= to resolve it against");
        }
        return workingDirectory.get().resolve(source).normalize();
    }

    static Set<PosixFilePermission> mode(String value) {
        if (!value.matches("0?[0-7]{3}")) {
            throw new UnitFileException("[Template] Mode=" + value
                    + " is not an octal permission mode such as 0644 (setuid, setgid and sticky bits are refused)");
        }
        int bits = Integer.parseInt(value, 8);
        StringBuilder rwx = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int b = (bits >> shift) & 7;
            rwx.append((b & 4) != 0 ? 'r' : '-').append((b & 2) != 0 ? 'w' : '-').append((b & 1) != 0 ? 'x' : '-');
        }
        return PosixFilePermissions.fromString(rwx.toString());
    }

    private static List<String> words(String key, String value) {
        List<String> words;
        try {
            words = ExecLines.words(value);
        } catch (IllegalArgumentException e) {
            throw new UnitFileException("[Template] " + key + "=" + value + ": " + e.getMessage());
        }
        if (words.isEmpty()) {
            throw new UnitFileException("[Template] " + key + "= is empty");
        }
        return words;
    }

    private static List<String> prefixes(UnitFile file, String key) {
        Set<String> out = new LinkedHashSet<>();
        for (String value : file.values(SECTION, key)) {
            for (String prefix : value.trim().split("\\s+")) {
                if (prefix.isEmpty()) {
                    continue;
                }
                if (!prefix.startsWith("/")) {
                    throw new UnitFileException("[Template] " + key + "=" + prefix + " is not an absolute key prefix");
                }
                out.add(prefix.endsWith("/") ? prefix : prefix + "/");
            }
        }
        return List.copyOf(out);
    }
}
