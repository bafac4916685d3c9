package dev.plumb.rpc.spring.boot3;

import dev.plumb.rpc.web.RpcPrincipal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The implementation, registered as a bean by each application. */
public class TallyService implements Tally {

    /** How many times any method ran. */
    public final AtomicInteger runs = new AtomicInteger();
    /** The notes received. */
    public final List<String> notes = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();

    @Override
    public Mono<Integer> add(String name, int n) {
        runs.incrementAndGet();
        return Mono.just(counts.merge(name, n, Integer::sum));
    }

    @Override
    public Flux<Count> range(int n) {
        runs.incrementAndGet();
        return Flux.range(0, n).map(i -> new Count("c" + i, i));
    }

    @Override
    public void note(String text) {
        runs.incrementAndGet();
        notes.add(text);
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
}
