package io.keel.lifecycle.locksmith;

import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.keel.cluster.registry.RegistryException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Blocking etcd calls whose failures become one-line {@link RegistryException}s naming the store. */
final class StoreCalls {

    private final String store;
    private final Duration timeout;

    StoreCalls(String store, Duration timeout) {
        this.store = store;
        this.timeout = timeout;
    }

    <T> T call(String what, Supplier<CompletableFuture<T>> rpc) {
        try {
            return rpc.get().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while " + what, e);
        } catch (TimeoutException e) {
            throw new RegistryException("store " + store + " did not answer within " + timeout.toMillis()
                    + "ms while " + what, e);
        } catch (ExecutionException | RuntimeException e) {
            throw translate(what, e);
        }
    }

    private RuntimeException translate(String what, Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof RegistryException r) {
            return r;
        }
        if (e instanceof EtcdException etcd && etcd.getErrorCode() == ErrorCode.UNAVAILABLE
                || io.grpc.Status.fromThrowable(e).getCode() == io.grpc.Status.Code.UNAVAILABLE) {
            return new RegistryException("store " + store + " is unreachable (" + rootCause(e) + ") while " + what, e);
        }
        return new RegistryException("store " + store + " failed while " + what + ": " + firstLine(e.getMessage()), e);
    }

    private static String rootCause(Throwable e) {
        String message = e.toString();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        return firstLine(message);
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
