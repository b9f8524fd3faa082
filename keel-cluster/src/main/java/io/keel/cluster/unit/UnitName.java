package io.keel.cluster.unit;

import java.util.Optional;
import java.util.Set;

/**
 * A fleet unit name: {@code [a-zA-Z0-9:_.@-]+} ending in a systemd unit type suffix. Names of the
 * form {@code prefix@.suffix} are templates, {@code prefix@instance.suffix} are instances of
 * {@code prefix@.suffix}.
 *
 * <p>Use {@link #parse(String)}; the canonical constructor does the same validation.
 */
public record UnitName(String value) implements Comparable<UnitName> {

    /** Longest name systemd accepts (UNIT_NAME_MAX - 1). */
    public static final int MAX_LENGTH = 255;

    /** Unit type suffixes systemd knows, without the dot. */
    public static final Set<String> SUFFIXES = Set.of(
            "service", "socket", "device", "mount", "automount", "swap", "target", "path", "timer", "slice",
            "scope");

    public UnitName {
        validate(value);
    }

    /**
     * Validates {@code value} as a unit name.
     *
     * @throws UnitFileException naming the problem
     */
    public static UnitName parse(String value) {
        return new UnitName(value);
    }

    /** True for {@code web@.service}. */
    public boolean isTemplate() {
        int at = value.indexOf('@');
        return at >= 0 && at == stem().length() - 1;
    }

    /** True for {@code web@1.service}. */
    public boolean isInstance() {
        int at = value.indexOf('@');
        return at >= 0 && at < stem().length() - 1;
    }

    /** The template this instance was made from ({@code web@.service} for {@code web@1.service}). */
    public Optional<UnitName> template() {
        if (!isInstance()) {
            return Optional.empty();
        }
        return Optional.of(new UnitName(prefix() + "@." + suffix()));
    }

    /** {@code %p}: the part before {@code @}, or the name without suffix when there is no {@code @}. */
    public String prefix() {
        String stem = stem();
        int at = stem.indexOf('@');
        return at < 0 ? stem : stem.substring(0, at);
    }

    /** {@code %i}: the part between {@code @} and the suffix; empty for templates and plain units. */
    public String instance() {
        String stem = stem();
        int at = stem.indexOf('@');
        return at < 0 ? "" : stem.substring(at + 1);
    }

    /** {@code %N} as fleet expands it: the name without its type suffix ({@code web@1}). */
    public String nameWithoutSuffix() {
        return stem();
    }

    /**
     * The name without suffix with systemd's path escaping undone ({@code -} becomes {@code /}, as
     * {@code systemd-escape --unescape} does). Fleet's character set has no backslash, so there are
     * no {@code \xNN} sequences to decode.
     */
    public String unescaped() {
        return stem().replace('-', '/');
    }

    /** The type suffix without the dot ({@code service}). */
    public String suffix() {
        return value.substring(value.lastIndexOf('.') + 1);
    }

    @Override
    public String toString() {
        return value;
    }

    @Override
    public int compareTo(UnitName other) {
        return value.compareTo(other.value);
    }

    private String stem() {
        return value.substring(0, value.lastIndexOf('.'));
    }

    private static void validate(String value) {
        if (value == null || value.isEmpty()) {
            throw new UnitFileException("unit name is empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw new UnitFileException("unit name " + value.substring(0, 40) + "... is longer than "
                    + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == ':' || c == '_' || c == '.' || c == '@' || c == '-';
            if (!allowed) {
                throw new UnitFileException("unit name " + quote(value) + " contains " + quote(String.valueOf(c))
                        + "; allowed are letters, digits and :_.@-");
            }
        }
        int dot = value.lastIndexOf('.');
        if (dot < 0 || !SUFFIXES.contains(value.substring(dot + 1))) {
            throw new UnitFileException("unit name " + quote(value)
                    + " has no known unit type suffix (.service, .socket, .timer, .path, .mount, .target ...)");
        }
        if (dot == 0 || value.charAt(0) == '@') {
            throw new UnitFileException("unit name " + quote(value) + " has an empty prefix");
        }
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }
}
