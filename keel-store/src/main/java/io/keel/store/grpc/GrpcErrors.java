package io.keel.store.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.keel.store.mvcc.MvccException;
import io.keel.store.mvcc.StoreError;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps the store's errors onto etcd's gRPC status codes and messages. */
final class GrpcErrors {
  private static final Logger LOG = LoggerFactory.getLogger(GrpcErrors.class);

  private GrpcErrors() {}

  static StatusRuntimeException toStatus(Throwable t) {
    Throwable cause = t;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof StatusRuntimeException s) {
      return s;
    }
    if (cause instanceof MvccException e) {
      return code(e.error()).withDescription(e.error().message()).asRuntimeException();
    }
    LOG.warn("request failed", cause);
    return Status.UNAVAILABLE.withDescription(StoreError.STOPPED.message()).asRuntimeException();
  }

  static Status code(StoreError error) {
    return switch (error) {
      case COMPACTED, FUTURE_REV, LEASE_TTL_TOO_LARGE -> Status.OUT_OF_RANGE;
      case EMPTY_KEY, KEY_NOT_FOUND, VALUE_PROVIDED, LEASE_PROVIDED, TOO_MANY_OPS, DUPLICATE_KEY,
          REQUEST_TOO_LARGE, INVALID_SORT_OPTION -> Status.INVALID_ARGUMENT;
      case NO_SPACE -> Status.RESOURCE_EXHAUSTED;
      case LEASE_NOT_FOUND, MEMBER_NOT_FOUND -> Status.NOT_FOUND;
      case LEASE_EXISTS, MEMBER_EXISTS, PEER_URL_EXISTS, MEMBER_NOT_LEARNER ->
          Status.FAILED_PRECONDITION;
      case NO_LEADER, NOT_CAPABLE, STOPPED, TIMEOUT, LEADER_CHANGED, UNHEALTHY ->
          Status.UNAVAILABLE;
      case CORRUPT -> Status.DATA_LOSS;
      case USER_EMPTY, ROLE_EMPTY, AUTH_FAILED, PERMISSION_NOT_GIVEN, INVALID_AUTH_MGMT,
          AUTH_OLD_REVISION -> Status.INVALID_ARGUMENT;
      case ROOT_USER_NOT_EXIST, ROOT_ROLE_NOT_EXIST, USER_ALREADY_EXIST, USER_NOT_FOUND,
          ROLE_ALREADY_EXIST, ROLE_NOT_FOUND, ROLE_NOT_GRANTED, PERMISSION_NOT_GRANTED,
          AUTH_NOT_ENABLED -> Status.FAILED_PRECONDITION;
      case PERMISSION_DENIED -> Status.PERMISSION_DENIED;
      case INVALID_AUTH_TOKEN -> Status.UNAUTHENTICATED;
    };
  }

  /** Completes {@code observer} with the future's value (mapped) or its error. */
  static <T, R> void reply(CompletableFuture<T> future, Function<T, R> map,
      StreamObserver<R> observer) {
    future.whenComplete((value, error) -> {
      if (error != null) {
        observer.onError(toStatus(error));
        return;
      }
      R response;
      try {
        response = map.apply(value);
      } catch (RuntimeException e) {
        observer.onError(toStatus(e));
        return;
      }
      observer.onNext(response);
      observer.onCompleted();
    });
  }

  /** Runs a synchronous handler, answering its result or its error. */
  static <R> void answer(java.util.function.Supplier<R> handler, StreamObserver<R> observer) {
    R response;
    try {
      response = handler.get();
    } catch (RuntimeException e) {
      observer.onError(toStatus(e));
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
  }
}
