package io.keel.cli.contract;

import io.etcd.jetcd.Client;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.keel.testkit.StoreProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The server a contract class runs against, with a jetcd client and a plain gRPC channel to it
 * (no credentials). Its log and data stay under {@code target/contract/} for post-mortems.
 */
record ContractServer(StoreProcess store, Client client, ManagedChannel channel)
        implements AutoCloseable {

    static ContractServer start(Class<?> testClass, Function<Path, StoreProcess> starter) {
        Path workDir;
        try {
            Path root = Files.createDirectories(Path.of("target", "contract").toAbsolutePath());
            workDir = Files.createTempDirectory(root, testClass.getSimpleName() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StoreProcess store = starter.apply(workDir);
        URI uri = URI.create(store.endpoint());
        return new ContractServer(store, Client.builder().endpoints(store.endpoint()).build(),
                NettyChannelBuilder.forAddress(uri.getHost(), uri.getPort()).usePlaintext().build());
    }

    @Override
    public void close() {
        try {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
        store.close();
    }
}
