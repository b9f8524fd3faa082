package io.keel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonLineTest {
  @Test
  void writesOneFlatObjectInInsertionOrder() {
    String s = new JsonLine()
        .put("workload", "put")
        .put("total", 20000L)
        .put("rps", 8544.3834)
        .put("whole", 3.0)
        .put("ok", true)
        .put("end", null)
        .put("nan", Double.NaN)
        .toString();
    assertThat(s).isEqualTo("{\"workload\":\"put\",\"total\":20000,\"rps\":8544.383,"
        + "\"whole\":3,\"ok\":true,\"end\":null,\"nan\":null}");
  }

  @Test
  void escapesStrings() {
    String s = new JsonLine().put("error", "a \"b\"\\c\nd\u0001").toString();
    assertThat(s).isEqualTo("{\"error\":\"a \\\"b\\\"\\\\c\\nd\\u0001\"}");
  }
}
