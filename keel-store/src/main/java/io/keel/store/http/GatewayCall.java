package io.keel.store.http;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.ChannelFutureListener;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultHttpContent;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderNames;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderValues;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponseStatus;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpVersion;
import io.grpc.netty.shaded.io.netty.handler.codec.http.LastHttpContent;
import io.keel.store.grpc.RawBytes;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One gateway request turned into its gRPC call. A unary call answers one JSON object; a
 * streaming call (watch, lease keep-alive, snapshot) answers chunked, one
 * {@code {"result":...}} line per response, and a bidirectional one stays open until the HTTP
 * client goes away, as etcd's gateway does.
 */
final class GatewayCall {
  private final ChannelHandlerContext ctx;
  private final GatewayRoutes.Route route;
  private final boolean keepAlive;

  private GatewayCall(ChannelHandlerContext ctx, GatewayRoutes.Route route, boolean keepAlive) {
    this.ctx = ctx;
    this.route = route;
    this.keepAlive = keepAlive;
  }

  static void start(ChannelHandlerContext ctx, io.grpc.Channel target, GatewayRoutes.Route route,
      String body, boolean keepAlive) {
    List<byte[]> requests;
    try {
      requests = GatewayJson.requests(body, route.request());
    } catch (IllegalArgumentException e) {
      new GatewayCall(ctx, route, keepAlive)
          .fail(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
      return;
    }
    new GatewayCall(ctx, route, keepAlive).run(target, requests);
  }

  private void run(io.grpc.Channel target, List<byte[]> requests) {
    if (!route.streamsResponses()) {
      RawBytes.call(target, route.call(), CallOptions.DEFAULT, requests.get(0))
          .thenApply(response -> GatewayJson.response(response, route.response()))
          .whenComplete((json, error) -> {
            if (error != null) {
              fail(Status.fromThrowable(error));
            } else {
              HttpReplies.send(ctx, 200, HttpReplies.JSON, json, keepAlive);
            }
          });
      return;
    }
    ClientCall<byte[], byte[]> call = target.newCall(route.call(), CallOptions.DEFAULT);
    ctx.channel().closeFuture().addListener(
        closed -> call.cancel("the HTTP client closed the connection", null));
    var responses = new ResponseStream();
    if (route.streamsRequests()) {
      StreamObserver<byte[]> sink = ClientCalls.asyncBidiStreamingCall(call, responses);
      requests.forEach(sink::onNext);
    } else {
      ClientCalls.asyncServerStreamingCall(call, requests.get(0), responses);
    }
  }

  private void fail(Status status) {
    HttpReplies.send(ctx, GatewayJson.httpStatus(status), HttpReplies.JSON,
        GatewayJson.error(status), keepAlive);
  }

  /** Writes a streaming call's responses as chunks of one HTTP answer. */
  private final class ResponseStream implements StreamObserver<byte[]> {
    private boolean started;

    @Override
    public void onNext(byte[] response) {
      writeLine("{\"result\":" + GatewayJson.response(response, route.response()) + "}");
    }

    @Override
    public void onError(Throwable t) {
      if (!ctx.channel().isActive()) {
        return;
      }
      Status status = Status.fromThrowable(t);
      if (!started) {
        fail(status);
        return;
      }
      writeLine(GatewayJson.streamError(status));
      finish();
    }

    @Override
    public void onCompleted() {
      if (!started) {
        HttpReplies.send(ctx, 200, HttpReplies.JSON, "", keepAlive);
        return;
      }
      finish();
    }

    private void writeLine(String json) {
      if (!started) {
        started = true;
        var head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HttpReplies.cors(head.headers());
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpReplies.JSON);
        head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        ctx.write(head);
      }
      ctx.writeAndFlush(new DefaultHttpContent(
          Unpooled.copiedBuffer(json + "\n", StandardCharsets.UTF_8)));
    }

    private void finish() {
      var written = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
      if (!keepAlive) {
        written.addListener(ChannelFutureListener.CLOSE);
      }
    }
  }
}
