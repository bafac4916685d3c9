package dev.plumb.rpc.spring.app;

import dev.plumb.rpc.web.RpcPrincipal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The implementation: an ordinary Spring bean, found by the starter because it implements an {@code @RpcService}. */
@Service
public class InventoryService implements Inventory {

    /** How many times any method ran. */
    public final AtomicInteger runs = new AtomicInteger();
    /** What {@link #audit} recorded. */
    public final List<String> audited = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> stock = new ConcurrentHashMap<>();

    @Override
    public Mono<Integer> add(String sku, int count) {
        runs.incrementAndGet();
        return Mono.just(stock.merge(sku, count, Integer::sum));
    }

    @Override
    public Mono<Item> item(String sku) {
        runs.incrementAndGet();
        return Mono.just(new Item(sku, stock.getOrDefault(sku, 0)));
    }

    @Override
    public Flux<Item> all(int n) {
        runs.incrementAndGet();
        return Flux.range(0, n).map(i -> new Item("sku-" + i, i));
    }

    @Override
    public Mono<Item> echo(Item item) {
        runs.incrementAndGet();
        return Mono.just(item);
    }

    @Override
    public void audit(String note) {
        runs.incrementAndGet();
        audited.add(note);
    }

    @Override
    public Mono<String> whoami() {
        runs.incrementAndGet();
        return RpcPrincipal.current().map(RpcPrincipal::name).defaultIfEmpty("nobody");
    }

    @Override
    public Mono<Integer> length(String text) {
        runs.incrementAndGet();
        return Mono.just(text.length());
    }

    @Override
    public Mono<String> text(int n) {
        runs.incrementAndGet();
        return Mono.just("x".repeat(n));
    }
}
