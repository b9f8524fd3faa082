package io.keel.agent.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Store keys as a Mustache context.
 *
 * <p>The context is a map:
 * <ul>
 *   <li>the keys as nested maps by path segment: {@code /apps/web/port = 8080} is
 *       {@code {{apps.web.port}}}. Empty segments ({@code //}) are skipped. A key that also has
 *       keys under it ({@code /apps/web} and {@code /apps/web/port}) keeps its value as
 *       {@code {{apps.web._value}}}. Segments containing a {@code .} cannot be reached by dotted
 *       names; use the lists.
 *   <li>in every map, {@code _children}: its direct children in key order, each with {@code name}
 *       (the segment), {@code key} (the full key) and {@code value} (empty for a key without a
 *       value), so {@code {{#apps.web.upstreams._children}}server {{value}};{{/apps.web.upstreams._children}}}
 *       lists one level.
 *   <li>at the top, {@code keys}: every key in key order, each with {@code key}, {@code name} (the
 *       last segment) and {@code value}: {@code {{#keys}}{{key}}={{value}}{{/keys}}}. It shadows a
 *       top-level segment named {@code keys}, which stays reachable through the lists.
 * </ul>
 * Values are strings (UTF-8 decoded). Immutable once built.
 */
public final class KeyTree {

    public static final String KEYS = "keys";
    public static final String CHILDREN = "_children";
    public static final String VALUE = "_value";

    private final SortedMap<String, String> keys;
    private final Map<String, Object> context;

    private KeyTree(SortedMap<String, String> keys) {
        this.keys = keys;
        this.context = build(keys);
    }

    /** The tree of {@code keys} (full key to value). */
    public static KeyTree of(Map<String, String> keys) {
        return new KeyTree(new TreeMap<>(keys));
    }

    /** The keys, sorted. */
    public SortedMap<String, String> keys() {
        return java.util.Collections.unmodifiableSortedMap(keys);
    }

    /** The Mustache context described above. */
    public Map<String, Object> context() {
        return context;
    }

    private static Map<String, Object> build(SortedMap<String, String> keys) {
        Node root = new Node("", "");
        for (Map.Entry<String, String> e : keys.entrySet()) {
            Node node = root;
            StringBuilder path = new StringBuilder();
            for (String segment : e.getKey().split("/")) {
                if (segment.isEmpty()) {
                    continue;
                }
                path.append('/').append(segment);
                String p = path.toString();
                node = node.children.computeIfAbsent(segment, s -> new Node(s, p));
            }
            node.value = e.getValue();
        }
        Map<String, Object> context = root.toMap();
        List<Map<String, Object>> list = new ArrayList<>();
        for (Map.Entry<String, String> e : keys.entrySet()) {
            String key = e.getKey();
            String trimmed = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
            list.add(Map.of("key", key, "name", trimmed.substring(trimmed.lastIndexOf('/') + 1), "value", e.getValue()));
        }
        context.put(KEYS, List.copyOf(list));
        return context;
    }

    private static final class Node {
        final String name;
        final String key;
        final Map<String, Node> children = new TreeMap<>();
        String value;

        Node(String name, String key) {
            this.name = name;
            this.key = key;
        }

        /** A leaf is its value; an inner node a map of its children. */
        Object toContext() {
            return children.isEmpty() && value != null ? value : toMap();
        }

        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            List<Map<String, Object>> list = new ArrayList<>();
            for (Node child : children.values()) {
                map.put(child.name, child.toContext());
                list.add(Map.of("name", child.name, "key", child.key, "value", child.value == null ? "" : child.value));
            }
            if (value != null) {
                map.put(VALUE, value);
            }
            map.put(CHILDREN, List.copyOf(list));
            return map;
        }
    }
}
