package io.keel.store.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.grpc.Status;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON of etcd's gateway: protobuf's JSON mapping with the {@code .proto} field names,
 * 64-bit integers as strings, bytes as base64 and default values left out; unknown fields are
 * ignored. Errors are {@code {"error":..,"message":..,"code":<gRPC code>}}.
 */
final class GatewayJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace();

  private GatewayJson() {}

  /**
   * The request messages in {@code body}, encoded: one per JSON object, objects one after
   * another (a stream's requests). An empty body is one empty request.
   *
   * @throws IllegalArgumentException naming what is wrong with the body
   */
  static List<byte[]> requests(String body, Descriptor type) {
    List<byte[]> messages = new ArrayList<>();
    try (JsonParser values = MAPPER.createParser(body.isBlank() ? "{}" : body)) {
      for (JsonNode value; (value = MAPPER.readTree(values)) != null; ) {
        if (!value.isObject()) {
          throw new IllegalArgumentException("expected a JSON object, got " + value);
        }
        DynamicMessage.Builder message = DynamicMessage.newBuilder(type);
        PARSER.merge(value.toString(), message);
        messages.add(message.build().toByteArray());
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("request body is not a JSON " + type.getName() + ": "
          + reason(e), e);
    }
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("request body holds no JSON " + type.getName());
    }
    return messages;
  }

  /** The innermost cause's message, first line only (Jackson appends the source location). */
  private static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = String.valueOf(root.getMessage());
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }

  /** The JSON of one encoded response message. */
  static String response(byte[] message, Descriptor type) {
    try {
      return PRINTER.print(DynamicMessage.parseFrom(type, message));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot render a " + type.getName() + ": " + e.getMessage(), e);
    }
  }

  /** A failed call's body, as etcd's gateway writes it. */
  static String error(Status status) {
    String message = status.getDescription() != null ? status.getDescription()
        : status.getCode().toString();
    return MAPPER.createObjectNode().put("error", message).put("message", message)
        .put("code", status.getCode().value()).toString();
  }

  /** A stream's failure after its first response, as etcd's gateway writes it. */
  static String streamError(Status status) {
    ObjectNode error = MAPPER.createObjectNode();
    error.putObject("error").put("grpc_code", status.getCode().value())
        .put("http_code", httpStatus(status))
        .put("message", status.getDescription() != null ? status.getDescription()
            : status.getCode().toString());
    return error.toString();
  }

  /** The HTTP status etcd's gateway (grpc-gateway v1) answers for a gRPC status. */
  static int httpStatus(Status status) {
    return switch (status.getCode()) {
      case OK -> 200;
      case CANCELLED -> 408;
      case INVALID_ARGUMENT, OUT_OF_RANGE -> 400;
      case DEADLINE_EXCEEDED -> 504;
      case NOT_FOUND -> 404;
      case ALREADY_EXISTS, ABORTED -> 409;
      case PERMISSION_DENIED -> 403;
      case UNAUTHENTICATED -> 401;
      case RESOURCE_EXHAUSTED -> 429;
      case FAILED_PRECONDITION -> 412;
      case UNIMPLEMENTED -> 501;
      case UNAVAILABLE -> 503;
      case UNKNOWN, INTERNAL, DATA_LOSS -> 500;
    };
  }
}
