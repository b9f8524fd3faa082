package io.keel.store.http;

import io.grpc.netty.shaded.io.grpc.netty.InternalWriteBufferingAndExceptionHandlerUtils;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.handler.codec.ByteToMessageDecoder;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpObjectAggregator;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpServerCodec;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The first handler of a client connection: waits for the first bytes, then puts either gRPC's
 * handlers (the HTTP/2 preface starts with {@code "PRI "}) or HTTP/1.1's in its place, and
 * hands them what it read. On an https:// port it first puts TLS in its place, and a sniffer of
 * the decrypted bytes after it; a connection that starts otherwise there is closed, as etcd's
 * TLS listener closes it.
 */
final class ProtocolSniffer extends ByteToMessageDecoder {
  private static final byte[] HTTP2_START = "PRI ".getBytes(StandardCharsets.US_ASCII);

  /** The first byte of a TLS handshake record. */
  private static final byte TLS_HANDSHAKE = 0x16;

  private final ChannelHandler grpcNegotiation;
  private final Supplier<ChannelHandler> http;
  private final int maxHttpBodyBytes;
  /** The port's TLS (an https:// URL): the connection must start with a handshake. */
  private final SslContext tls;
  /** gRPC's negotiation events, held until the connection is known to be gRPC. */
  private final List<Object> heldEvents = new ArrayList<>();

  ProtocolSniffer(ChannelHandler grpcNegotiation, Supplier<ChannelHandler> http,
      int maxHttpBodyBytes, SslContext tls) {
    this.grpcNegotiation = grpcNegotiation;
    this.http = http;
    this.maxHttpBodyBytes = maxHttpBodyBytes;
    this.tls = tls;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    heldEvents.add(event);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (tls != null) {
      if (in.getByte(in.readerIndex()) == TLS_HANDSHAKE) {
        becomeTls(ctx);
      } else {
        in.skipBytes(in.readableBytes());
        ctx.close();
      }
      return;
    }
    int seen = Math.min(in.readableBytes(), HTTP2_START.length);
    for (int i = 0; i < seen; i++) {
      if (in.getByte(in.readerIndex() + i) != HTTP2_START[i]) {
        becomeHttp(ctx);
        return;
      }
    }
    if (seen == HTTP2_START.length) {
      becomeGrpc(ctx);
    }
  }

  /** TLS first; a sniffer of the decrypted bytes after it, holding the events held so far. */
  private void becomeTls(ChannelHandlerContext ctx) {
    var afterTls = new ProtocolSniffer(grpcNegotiation, http, maxHttpBodyBytes, null);
    afterTls.heldEvents.addAll(heldEvents);
    heldEvents.clear();
    ctx.pipeline().addAfter(ctx.name(), null, afterTls)
        .addAfter(ctx.name(), null, tls.newHandler(ctx.alloc()));
    ctx.pipeline().remove(this);
  }

  private void becomeGrpc(ChannelHandlerContext ctx) {
    ctx.pipeline().addAfter(ctx.name(), null, grpcNegotiation);
    heldEvents.forEach(ctx::fireUserEventTriggered);
    heldEvents.clear();
    ctx.pipeline().remove(this);
  }

  private void becomeHttp(ChannelHandlerContext ctx) {
    heldEvents.clear();
    ctx.pipeline().addAfter(ctx.name(), null, http.get())
        .addAfter(ctx.name(), null, new HttpObjectAggregator(maxHttpBodyBytes))
        .addAfter(ctx.name(), null, new HttpServerCodec());
    InternalWriteBufferingAndExceptionHandlerUtils.writeBufferingAndRemove(ctx.channel());
    ctx.pipeline().remove(this);
  }
}
