package io.keel.cli.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Small helpers shared by the contract and crash tests: bytes, bounded waits, etcd errors. */
public final class Wire {

    /** How long any single request may take before the test fails. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    private Wire() {}

    public static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    public static String text(ByteSequence bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    public static List<String> keys(List<KeyValue> kvs) {
        return kvs.stream().map(kv -> text(kv.getKey())).toList();
    }

    public static List<String> values(List<KeyValue> kvs) {
        return kvs.stream().map(kv -> text(kv.getValue())).toList();
    }

    /** The future's value, failing the test if it does not complete within {@link #REQUEST_TIMEOUT}. */
    public static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError("request failed: " + describe(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("request did not complete within " + REQUEST_TIMEOUT, e);
        }
    }

    /** The throwable the future fails with, failing the test if it succeeds or hangs. */
    public static Throwable failure(CompletableFuture<?> future) {
        try {
            Object value = future.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected the request to fail, but it returned " + value);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("request did not complete within " + REQUEST_TIMEOUT, e);
        }
    }

    /** The gRPC status somewhere in {@code t}'s cause chain, if there is one. */
    public static Optional<Status> grpcStatus(Throwable t) {
        for (Throwable cause = t; cause != null; cause = cause.getCause()) {
            if (cause instanceof StatusRuntimeException sre) {
                return Optional.of(sre.getStatus());
            }
            if (cause instanceof io.grpc.StatusException se) {
                return Optional.of(se.getStatus());
            }
        }
        return Optional.empty();
    }

    /** Asserts that the request fails with exactly this gRPC code and etcd message. */
    public static void assertEtcdError(CompletableFuture<?> request, Status.Code code, String description) {
        assertEtcdError(failure(request), code, description);
    }

    /** Asserts that the call throws exactly this gRPC code and etcd message (blocking stubs). */
    public static void assertEtcdError(ThrowingCallable call, Status.Code code, String description) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("expected %s \"%s\"", code, description).isNotNull();
        assertEtcdError(thrown, code, description);
    }

    private static void assertEtcdError(Throwable thrown, Status.Code code, String description) {
        Status status = grpcStatus(thrown).orElseThrow(() -> new AssertionError(
                "expected gRPC " + code + " \"" + description + "\" but got no gRPC status in "
                        + describe(thrown), thrown));
        assertThat(status.getCode() + " " + status.getDescription())
                .as("gRPC status of %s", describe(thrown))
                .isEqualTo(code + " " + description);
    }

    static String describe(Throwable t) {
        StringBuilder out = new StringBuilder();
        for (Throwable cause = t; cause != null; cause = cause.getCause()) {
            out.append(out.isEmpty() ? "" : " <- ").append(cause);
            if (cause.getCause() == cause) {
                break;
            }
        }
        return out.toString();
    }
}
