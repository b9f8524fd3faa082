package io.keel.cluster.unit;

/**
 * Expands the systemd specifiers fleet supports in {@code [X-Fleet]} values: {@code %n} (full
 * name), {@code %N} (name without suffix), {@code %p} (prefix), {@code %i} (instance), and
 * {@code %%} (a literal percent sign). Other specifiers are left as written, as fleet does.
 * The agent expands the same specifiers in every option before it runs a unit.
 */
public final class Specifiers {

    private Specifiers() {
    }

    public static String expand(String value, UnitName name) {
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
                default -> out.append('%').append(spec);
            }
        }
        return out.toString();
    }
}
