package io.keel.bench.templates;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricsScrapeTest {
  private static final String TEXT = """
      # HELP etcd_debugging_mvcc_watcher_total Total number of watchers.
      # TYPE etcd_debugging_mvcc_watcher_total gauge
      etcd_debugging_mvcc_watcher_total 1000
      grpc_server_msg_sent_total{grpc_method="Watch",grpc_service="etcdserverpb.Watch",grpc_type="bidi_stream"} 2
      grpc_server_msg_sent_total{grpc_method="Range",grpc_service="etcdserverpb.KV",grpc_type="unary"} 5
      keel_store_watch_streams 3.0
      """;

  @Test
  void sumsByNameAndLabel() {
    MetricsScrape m = MetricsScrape.parse(TEXT);
    assertThat(m.sum("etcd_debugging_mvcc_watcher_total").getAsDouble()).isEqualTo(1000);
    assertThat(m.sum("grpc_server_msg_sent_total").getAsDouble()).isEqualTo(7);
    assertThat(m.sum("grpc_server_msg_sent_total", "grpc_method=\"Watch\"").getAsDouble()).isEqualTo(2);
    assertThat(m.sum("keel_store_watch_streams").getAsDouble()).isEqualTo(3);
    assertThat(m.sum("missing")).isEmpty();
  }

  @Test
  void shuffledIsAPermutation() {
    int[] order = TemplateWatchCmd.shuffled(1000, 7);
    assertThat(java.util.Arrays.stream(order).sorted().toArray())
        .isEqualTo(java.util.stream.IntStream.range(0, 1000).toArray());
  }
}
