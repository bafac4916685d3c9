package dev.plumb.rpc.pipe.testkit;

import dev.plumb.rpc.RpcMethod;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.RpcService;
import dev.plumb.rpc.pipe.StdioServer;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A typed service for tests over real transports: the same interface on both sides. */
@RpcService(prefix = "inventory/")
public interface Inventory {

    /** An item of the inventory. */
    record Item(String sku, int count) {
    }

    /** A query. */
    record Query(String prefix, int limit) {
    }

    Mono<Integer> add(String sku, int count);

    Mono<List<Item>> find(Query query);

    Flux<Item> all();

    void audit(String note);

    Mono<List<String>> audits();

    /** Asks the caller (its {@link Client} service) for a label before answering: a server calling its client. */
    Mono<String> label(String sku);

    /** What the server calls back on its client. */
    @RpcService(prefix = "client/")
    interface Client {
        Mono<String> labelFor(String sku);

        @RpcMethod(notification = true)
        Mono<Void> progress(int percent);
    }

    /** A straightforward in-memory implementation. */
    final class Impl implements Inventory {
        private final List<Item> items = new ArrayList<>();
        private final List<String> audits = new ArrayList<>();

        @Override
        public synchronized Mono<Integer> add(String sku, int count) {
            items.add(new Item(sku, count));
            return Mono.just(items.size());
        }

        @Override
        public synchronized Mono<List<Item>> find(Query query) {
            return Mono.just(items.stream().filter(i -> i.sku().startsWith(query.prefix())).limit(query.limit())
                    .toList());
        }

        @Override
        public synchronized Flux<Item> all() {
            return Flux.fromIterable(List.copyOf(items));
        }

        @Override
        public synchronized void audit(String note) {
            audits.add(note);
        }

        @Override
        public synchronized Mono<List<String>> audits() {
            return Mono.just(List.copyOf(audits));
        }

        @Override
        public Mono<String> label(String sku) {
            return RpcPeer.current().flatMap(peer -> {
                Client client = peer.proxy(Client.class);
                return client.progress(50).then(client.labelFor(sku));
            }).map(l -> sku + ":" + l);
        }
    }

    /** The router serving a fresh {@link Impl}. */
    static RpcRouter router() {
        return RpcRouter.builder().service(new Impl()).build();
    }

    /** Serves {@link Impl} on stdin/stdout (newline framing): a child process for tests. */
    final class Main {
        private Main() {
        }

        /** Runs the server. */
        public static void main(String[] args) {
            StdioServer.serve(router());
        }
    }
}
