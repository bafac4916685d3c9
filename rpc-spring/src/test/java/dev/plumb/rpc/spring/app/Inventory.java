package dev.plumb.rpc.spring.app;

import dev.plumb.rpc.RpcService;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The test applications' one service. */
@RpcService(prefix = "inventory/")
public interface Inventory {

    /** An item; its camelCase names show which JSON naming is in force. */
    record Item(String skuCode, int inStock) {
    }

    /** Adds {@code count} to {@code sku}'s stock and answers the new count. */
    Mono<Integer> add(String sku, int count);

    /** The item {@code sku}. */
    Mono<Item> item(String sku);

    /** {@code n} items, as a stream. */
    Flux<Item> all(int n);

    /** Echoes an item given as the params object (bound by name). */
    Mono<Item> echo(Item item);

    /** A notification: records {@code note}. */
    void audit(String note);

    /** The caller's principal name, or {@code nobody}. */
    Mono<String> whoami();

    /** The length of {@code text} (for large messages in). */
    Mono<Integer> length(String text);

    /** {@code n} times {@code x} (for large messages out). */
    Mono<String> text(int n);
}
