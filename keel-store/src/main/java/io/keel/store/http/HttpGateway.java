package io.keel.store.http;

import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.SimpleChannelInboundHandler;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpMethod;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpUtil;
import io.grpc.netty.shaded.io.netty.handler.codec.http.QueryStringDecoder;
import io.keel.store.server.StoreVersion;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP/1.1 on the client port, as etcd serves it beside gRPC: {@code /health},
 * {@code /version}, {@code /metrics} and the JSON gateway ({@code POST /v3/...}).
 */
final class HttpGateway extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(HttpGateway.class);
  private static final String VERSION = "{\"etcdserver\":\"" + StoreVersion.ETCD_API
      + "\",\"etcdcluster\":\"" + StoreVersion.ETCD_API + "\"}";

  private final io.grpc.Channel target;
  private final HealthCheck health;
  private final Supplier<String> metrics;

  HttpGateway(io.grpc.Channel target, HealthCheck health, Supplier<String> metrics) {
    this.target = target;
    this.health = health;
    this.metrics = metrics;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    try {
      serve(ctx, request);
    } catch (RuntimeException e) {
      LOG.warn("HTTP request {} {} failed", request.method(), request.uri(), e);
      HttpReplies.send(ctx, 500, HttpReplies.JSON, GatewayJson.error(
          io.grpc.Status.INTERNAL.withDescription(e.toString())), false);
    }
  }

  private void serve(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      HttpReplies.send(ctx, 400, HttpReplies.TEXT, "malformed HTTP request: "
          + request.decoderResult().cause().getMessage() + "\n", false);
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    HttpMethod method = request.method();
    if (method.equals(HttpMethod.OPTIONS)) {
      HttpReplies.send(ctx, 200, HttpReplies.TEXT, "", keepAlive);
      return;
    }
    String path = new QueryStringDecoder(request.uri()).path();
    boolean get = method.equals(HttpMethod.GET);
    switch (path) {
      case "/version" -> HttpReplies.send(ctx, 200, HttpReplies.JSON, VERSION, keepAlive);
      case "/health" -> {
        if (get) {
          health.check().thenAccept(ok -> HttpReplies.send(ctx, ok ? 200 : 503,
              HttpReplies.JSON, HealthCheck.body(ok), keepAlive));
        } else {
          notAllowed(ctx, keepAlive);
        }
      }
      case "/metrics" -> {
        if (get) {
          HttpReplies.send(ctx, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get(),
              keepAlive);
        } else {
          notAllowed(ctx, keepAlive);
        }
      }
      default -> {
        Optional<GatewayRoutes.Route> route = GatewayRoutes.find(path);
        if (route.isEmpty()) {
          HttpReplies.send(ctx, 404, HttpReplies.TEXT, GatewayRoutes.isGatewayPath(path)
              ? "Not Found\n" : "404 page not found\n", keepAlive);
        } else if (!method.equals(HttpMethod.POST)) {
          notAllowed(ctx, keepAlive);
        } else {
          GatewayCall.start(ctx, withToken(request.headers().get("Authorization")), route.get(),
              request.content().toString(StandardCharsets.UTF_8), keepAlive);
        }
      }
    }
  }

  /** grpc-gateway passes the Authorization header on as the call's token. */
  private io.grpc.Channel withToken(String authorization) {
    if (authorization == null) {
      return target;
    }
    var metadata = new io.grpc.Metadata();
    metadata.put(io.keel.store.grpc.AuthInterceptor.AUTHORIZATION, authorization);
    return io.grpc.ClientInterceptors.intercept(target,
        io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(metadata));
  }

  private static void notAllowed(ChannelHandlerContext ctx, boolean keepAlive) {
    HttpReplies.send(ctx, 405, HttpReplies.TEXT, "Method Not Allowed\n", keepAlive);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("HTTP connection from {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
