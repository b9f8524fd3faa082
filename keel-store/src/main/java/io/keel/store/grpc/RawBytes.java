package io.keel.store.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;

/** A gRPC marshaller for messages encoded by hand, and unary calls that carry them. */
public final class RawBytes implements MethodDescriptor.Marshaller<byte[]> {
  static final RawBytes INSTANCE = new RawBytes();

  /** A unary method of {@code service} whose request and response are raw bytes. */
  static MethodDescriptor<byte[], byte[]> unaryMethod(String service, String method) {
    return method(service, method, MethodDescriptor.MethodType.UNARY);
  }

  /** A method of {@code service} of the given type whose messages are raw bytes. */
  public static MethodDescriptor<byte[], byte[]> method(String service, String method,
      MethodDescriptor.MethodType type) {
    return method(MethodDescriptor.generateFullMethodName(service, method), type);
  }

  /** The method of that full name, of the given type, whose messages are raw bytes. */
  static MethodDescriptor<byte[], byte[]> method(String fullMethodName,
      MethodDescriptor.MethodType type) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(type)
        .setFullMethodName(fullMethodName)
        .setRequestMarshaller(INSTANCE)
        .setResponseMarshaller(INSTANCE)
        .build();
  }

  /**
   * Calls {@code method} on {@code channel}; completes with the response or the call's error. The
   * call is detached from the caller's gRPC context: it may be made on behalf of several client
   * calls (a batch, a shared round), and the end of the one at hand must not cancel it.
   */
  public static CompletableFuture<byte[]> call(Channel channel, MethodDescriptor<byte[], byte[]> method,
      CallOptions options, byte[] request) {
    CompletableFuture<byte[]> response = new CompletableFuture<>();
    Context previous = Context.ROOT.attach();
    try {
      ClientCalls.asyncUnaryCall(channel.newCall(method, options), request, new StreamObserver<>() {
        @Override
        public void onNext(byte[] value) {
          response.complete(value);
        }

        @Override
        public void onError(Throwable t) {
          response.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {}
      });
    } finally {
      Context.ROOT.detach(previous);
    }
    return response;
  }

  private RawBytes() {}

  @Override
  public InputStream stream(byte[] value) {
    return message(value);
  }

  @Override
  public byte[] parse(InputStream stream) {
    return read(stream, stream instanceof KnownLength);
  }

  /**
   * A received message's bytes: a stream of known length is read into one array of its size,
   * not into growing buffers copied at the end.
   */
  public static byte[] read(InputStream stream, boolean lengthKnown) {
    try {
      if (!lengthKnown) {
        return stream.readAllBytes();
      }
      byte[] bytes = new byte[stream.available()];
      int read = stream.readNBytes(bytes, 0, bytes.length);
      if (read < bytes.length || stream.read() >= 0) {
        throw new IOException("a message of " + bytes.length + " bytes had " + read
            + (read < bytes.length ? "" : " and more"));
      }
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code bytes} as a message gRPC writes straight from its array, without an 8 KiB copy buffer
   * per message; for gRPC's marshallers and for Ratis's shaded copy of gRPC alike.
   */
  public static InputStream message(byte[] bytes) {
    return new Message(bytes);
  }

  private static final class Message extends ByteArrayInputStream implements Drainable, KnownLength,
      org.apache.ratis.thirdparty.io.grpc.Drainable, org.apache.ratis.thirdparty.io.grpc.KnownLength {
    Message(byte[] bytes) {
      super(bytes);
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      int length = count - pos;
      target.write(buf, pos, length);
      pos = count;
      return length;
    }
  }
}
