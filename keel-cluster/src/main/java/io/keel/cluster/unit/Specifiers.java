package io.keel.cluster.unit;

/**
 * Expands the systemd specifiers fleet supports in {@code [X-Fleet]} values: {@code %n} (full
 * name), {@code %N} (name without suffix), {@code %p} (prefix), {@code %i} (instance), and
 * {@code %%} (a literal percent sign). Other specifiers are left as written, as fleet does.
 * The agent expands the same specifiers in every option before it runs a unit, and with them the
 * machine's own ({@code %m}, the machine id), which the cluster side cannot know.
 */
public final class Specifiers {

    private Specifiers() {
    }

    public static String expand(String value, UnitName name) {
        return expand(value, name, java.util.Map.of());
    }

    /** As {@link #expand(String, UnitName)}, also replacing {@code %X} by {@code machine.get(X)}. */
    public static String expand(String value, UnitName name, java.util.Map<Character, String> machine) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '%' || i + 1 == value.length()) {
                out.append(c);
                continue;
            }
            char spec = value.charAt(++i);
            switch (spec) {
                case 'n' -> out.append(name.value());
                case 'N' -> out.append(name.nameWithoutSuffix());
                case 'p' -> out.append(name.prefix());
                case 'i' -> out.append(name.instance());
                case '%' -> out.append('%');
                default -> {
                    String own = machine.get(spec);
                    if (own != null) {
                        out.append(own);
                    } else {
                        out.append('%').append(spec);
                    }
                }
            }
        }
        return out.toString();
    }
}
