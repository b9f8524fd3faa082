package io.keel.bench.templates;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One scrape of a Prometheus text endpoint (etcd's {@code /metrics} on its client port, Keel's on
 * {@code --listen-metrics-urls}), reduced to the sum of each metric over its label sets, and the
 * sum over the label sets containing a given label text.
 */
final class MetricsScrape {
  private final Map<String, Double> byName = new LinkedHashMap<>();
  private final String text;

  private MetricsScrape(String text) {
    this.text = text;
    for (String line : text.split("\n")) {
      Sample s = sample(line);
      if (s != null) {
        byName.merge(s.name, s.value, Double::sum);
      }
    }
  }

  static MetricsScrape parse(String text) {
    return new MetricsScrape(text);
  }

  /** Scrapes {@code url}; null when it cannot be read. */
  static MetricsScrape fetch(HttpClient http, String url) {
    if (url == null || url.isEmpty() || url.equals("none")) {
      return null;
    }
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? new MetricsScrape(r.body()) : null;
    } catch (Exception e) {
      return null;
    }
  }

  /** The metric summed over its label sets, if the endpoint has it. */
  OptionalDouble sum(String name) {
    Double v = byName.get(name);
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  /** The metric summed over the label sets whose text contains {@code label} (e.g. {@code grpc_method="Watch"}). */
  OptionalDouble sum(String name, String label) {
    double total = 0;
    boolean found = false;
    for (String line : text.split("\n")) {
      Sample s = sample(line);
      if (s != null && s.name.equals(name) && s.labels.contains(label)) {
        total += s.value;
        found = true;
      }
    }
    return found ? OptionalDouble.of(total) : OptionalDouble.empty();
  }

  private record Sample(String name, String labels, double value) {}

  private static Sample sample(String line) {
    line = line.strip();
    if (line.isEmpty() || line.startsWith("#")) {
      return null;
    }
    int brace = line.indexOf('{');
    int space;
    String name;
    String labels = "";
    if (brace >= 0 && brace < line.indexOf(' ')) {
      int close = line.lastIndexOf('}');
      if (close < 0) {
        return null;
      }
      name = line.substring(0, brace);
      labels = line.substring(brace, close + 1);
      space = close + 1;
    } else {
      space = line.indexOf(' ');
      if (space < 0) {
        return null;
      }
      name = line.substring(0, space);
    }
    String[] rest = line.substring(space).strip().split("\\s+");
    try {
      return new Sample(name, labels, Double.parseDouble(rest[0]));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
