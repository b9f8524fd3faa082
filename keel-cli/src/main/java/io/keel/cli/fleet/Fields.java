package io.keel.cli.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/** A list verb's {@code --fields}: validated column names and the functions that fill them. */
final class Fields<T> {
  private final Map<String, BiFunction<T, Boolean, String>> columns;

  Fields(Map<String, BiFunction<T, Boolean, String>> columns) {
    this.columns = columns;
  }

  /** The chosen columns, or a one-line error naming the bad field. */
  List<String> parse(String fields) {
    if (fields == null || fields.isBlank()) {
      throw new IllegalArgumentException("Must define output format (--fields is empty)");
    }
    List<String> chosen = new ArrayList<>();
    for (String f : fields.split(",")) {
      if (!columns.containsKey(f)) {
        throw new IllegalArgumentException("Invalid key in output format: \"" + f + "\" (valid fields are "
            + String.join(",", columns.keySet().stream().sorted().toList()) + ")");
      }
      chosen.add(f);
    }
    return chosen;
  }

  Table table(List<String> chosen, List<T> items, boolean full, boolean legend) {
    Table table = new Table();
    if (legend) {
      table.add(chosen.stream().map(c -> c.toUpperCase(Locale.ROOT)).toList());
    }
    for (T item : items) {
      table.add(chosen.stream().map(c -> columns.get(c).apply(item, full)).toList());
    }
    return table;
  }
}
