package io.keel.cluster.unit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable, parsed unit file. It keeps the original text, every option in order, and answers
 * lookups with systemd's list semantics: a key repeated adds values in order, and an empty
 * assignment ({@code Key=}) resets the list gathered so far.
 *
 * <p>{@link #hash()} is fleet's unit hash: the SHA-1 of the options serialized as go-systemd's
 * {@code unit.Serialize} writes them (sections in order of first appearance, each
 * {@code [Section]\n} followed by its {@code Name=Value\n} lines, a blank line between sections).
 * Comments, whitespace and line continuations therefore do not change the hash.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class UnitFile {

    private final String text;
    private final List<String> sections;
    private final List<UnitOption> options;
    private final Map<String, Map<String, List<String>>> values;
    private String hash;

    private UnitFile(String text, List<String> sections, List<UnitOption> options) {
        this.text = text;
        this.sections = sections;
        this.options = options;
        this.values = index(options);
    }

    /**
     * Parses systemd unit file syntax.
     *
     * @throws UnitFileException naming the line and what is wrong with it
     */
    public static UnitFile parse(String text) {
        Objects.requireNonNull(text, "text");
        UnitFileParser.Parsed parsed = UnitFileParser.parse(text);
        return new UnitFile(text, parsed.sections(), parsed.options());
    }

    /**
     * Builds a unit file from options (fleet API v1's {@code options} array). Its {@link #text()} is
     * the serialized form.
     */
    public static UnitFile of(List<UnitOption> options) {
        List<UnitOption> copy = List.copyOf(options);
        List<String> sections = new ArrayList<>();
        for (UnitOption option : copy) {
            if (!sections.contains(option.section())) {
                sections.add(option.section());
            }
        }
        return new UnitFile(serialize(copy), List.copyOf(sections), copy);
    }

    /** Section names in order of first appearance, including sections without options. */
    public List<String> sections() {
        return sections;
    }

    /** Every assignment in file order, empty assignments included. */
    public List<UnitOption> options() {
        return options;
    }

    /**
     * The values of {@code key} in {@code section}, in order, after empty assignments reset the
     * list. Empty when the key is absent.
     */
    public List<String> values(String section, String key) {
        return values.getOrDefault(section, Map.of()).getOrDefault(key, List.of());
    }

    /** The last value of {@code key} in {@code section} (last one wins), if any. */
    public Optional<String> value(String section, String key) {
        List<String> all = values(section, key);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The text this file was parsed from (or, for {@link #of}, its serialized form). */
    public String text() {
        return text;
    }

    /** The serialized options, as fleet hashes and stores them. */
    public String serialized() {
        return serialize(options);
    }

    /** Fleet's unit hash: lower-case hex SHA-1 of {@link #serialized()}. */
    public String hash() {
        String h = hash;
        if (h == null) {
            h = sha1Hex(serialized());
            hash = h;
        }
        return h;
    }

    /** Equal when the hashes are equal, as fleet's {@code MatchUnitFiles}. */
    @Override
    public boolean equals(Object o) {
        return o instanceof UnitFile other && hash().equals(other.hash());
    }

    @Override
    public int hashCode() {
        return hash().hashCode();
    }

    @Override
    public String toString() {
        return "UnitFile[" + hash() + "]";
    }

    private static Map<String, Map<String, List<String>>> index(List<UnitOption> options) {
        Map<String, Map<String, List<String>>> index = new LinkedHashMap<>();
        for (UnitOption option : options) {
            List<String> list = index.computeIfAbsent(option.section(), s -> new LinkedHashMap<>())
                    .computeIfAbsent(option.name(), n -> new ArrayList<>());
            if (option.value().isEmpty()) {
                list.clear();
            } else {
                list.add(option.value());
            }
        }
        index.values().forEach(keys -> keys.replaceAll((k, v) -> List.copyOf(v)));
        return index;
    }

    private static String serialize(List<UnitOption> options) {
        Map<String, List<UnitOption>> bySection = new LinkedHashMap<>();
        for (UnitOption option : options) {
            bySection.computeIfAbsent(option.section(), s -> new ArrayList<>()).add(option);
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        for (Map.Entry<String, List<UnitOption>> section : bySection.entrySet()) {
            out.append('[').append(section.getKey()).append("]\n");
            for (UnitOption option : section.getValue()) {
                out.append(option.name()).append('=').append(option.value()).append('\n');
            }
            if (++i < bySection.size()) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static String sha1Hex(String s) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(sha1.digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JVM", e);
        }
    }
}
