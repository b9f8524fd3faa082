package io.keel.cli.fleet;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Columns laid out as fleetctl lays them out (Go's tabwriter with min width 0, tab width 8,
 * padding 1, padded with tabs): each cell but the last is followed by enough tabs to reach the
 * column's width, rounded up to a multiple of 8.
 */
final class Table {
  private static final int TAB_WIDTH = 8;
  private static final int PADDING = 1;

  private final List<List<String>> rows = new ArrayList<>();

  void add(List<String> cells) {
    rows.add(List.copyOf(cells));
  }

  void print(PrintWriter out) {
    int columns = rows.stream().mapToInt(List::size).max().orElse(0);
    int[] widths = new int[columns];
    for (List<String> row : rows) {
      for (int c = 0; c < row.size() - 1; c++) {
        widths[c] = Math.max(widths[c], row.get(c).length() + PADDING);
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < row.size(); c++) {
        String cell = row.get(c);
        line.append(cell);
        if (c < row.size() - 1) {
          int cellWidth = (widths[c] + TAB_WIDTH - 1) / TAB_WIDTH * TAB_WIDTH;
          int tabs = (cellWidth - cell.length() + TAB_WIDTH - 1) / TAB_WIDTH;
          line.append("\t".repeat(Math.max(tabs, 1)));
        }
      }
      out.println(line);
    }
    out.flush();
  }
}
