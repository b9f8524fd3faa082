package io.keel.cli.differential;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The lease ids one server handed out, in the order the session granted them. Lease ids are
 * the server's choice, so outputs show them as {@code <lease-N>} and commands refer to them
 * as {@code ${leaseN}} (hex, as etcdctl prints them) or {@code ${leaseN:dec}}.
 */
final class LeaseIds {

    private static final Pattern GRANTED_TEXT =
            Pattern.compile("^lease ([0-9a-f]{16}) granted with TTL\\(\\d+s\\)$", Pattern.MULTILINE);
    private static final Pattern GRANTED_JSON = Pattern.compile("\"ID\":(-?\\d+),\"TTL\":-?\\d+,\"Error\"");
    private static final Pattern HEX_WORD = Pattern.compile("\\b[0-9a-f]{16}\\b");
    private static final Pattern DECIMAL_FIELD =
            Pattern.compile("(\"(?:ID|id|lease|Lease)\" ?: ?)(-?\\d+)");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{lease(\\d+)(:dec)?}");

    private final List<Long> ids = new ArrayList<>();

    /** Records the ids granted in the raw output of a {@code lease grant}. */
    void registerGrants(String stdout) {
        Matcher text = GRANTED_TEXT.matcher(stdout);
        while (text.find()) {
            register(Long.parseUnsignedLong(text.group(1), 16));
        }
        Matcher json = GRANTED_JSON.matcher(stdout);
        while (json.find()) {
            register(Long.parseLong(json.group(1)));
        }
    }

    private void register(long id) {
        if (!ids.contains(id)) {
            ids.add(id);
        }
    }

    /** Replaces {@code ${leaseN}} and {@code ${leaseN:dec}} by this server's ids. */
    String resolve(String template) {
        return PLACEHOLDER.matcher(template).replaceAll(m -> {
            int n = Integer.parseInt(m.group(1));
            if (n < 1 || n > ids.size()) {
                return Matcher.quoteReplacement("<no lease " + n + " granted>");
            }
            long id = ids.get(n - 1);
            return m.group(2) != null ? Long.toString(id) : HexFormat.of().toHexDigits(id);
        });
    }

    /** Replaces the known ids in hex words and in JSON/fields id attributes by {@code <lease-N>}. */
    String mask(String output) {
        String hexMasked = HEX_WORD.matcher(output).replaceAll(m ->
                placeholder(Long.parseUnsignedLong(m.group(), 16)).orElse(m.group()));
        return DECIMAL_FIELD.matcher(hexMasked).replaceAll(m -> Matcher.quoteReplacement(m.group(1)
                + placeholder(Long.parseLong(m.group(2))).orElse(m.group(2))));
    }

    private Optional<String> placeholder(long id) {
        OptionalInt index = IntStream.range(0, ids.size())
                .filter(i -> ids.get(i) == id)
                .findFirst();
        return index.isPresent()
                ? Optional.of("<lease-" + (index.getAsInt() + 1) + ">")
                : Optional.empty();
    }
}
