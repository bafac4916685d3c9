package dev.plumb.rpc.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.RpcCall;
import dev.plumb.rpc.RpcCodec;
import dev.plumb.rpc.RpcId;
import dev.plumb.rpc.RpcParams;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.observation.RpcObservation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import reactor.core.publisher.Mono;

/** With an {@code ObservationRegistry} bean the served router observes its calls; without one, nothing changes. */
class ObservationAutoConfigurationTest {

    private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PlumbRpcObservationAutoConfiguration.class,
                    PlumbRpcAutoConfiguration.class))
            .withBean(RpcRouterCustomizer.class, () -> router -> router.method("ping", () -> Mono.just("pong")));

    @Test
    void aRegistryBeanMakesTheRouterObserveItsCalls() {
        List<String> observed = new CopyOnWriteArrayList<>();
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStop(Observation.Context context) {
                observed.add(context.getName() + " " + context.getLowCardinalityKeyValue(RpcObservation.METHOD)
                        .getValue() + " " + context.getLowCardinalityKeyValue(RpcObservation.OUTCOME).getValue());
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
        runner.withBean(ObservationRegistry.class, () -> registry).run(context -> {
            assertThat(context).hasBean("plumbRpcObservationFilter");
            RpcRouter router = context.getBean(RpcRouter.class);
            router.dispatch(new RpcCall("ping", new RpcParams(null, RpcCodec.defaults()), RpcId.of(1)))
                    .block(Duration.ofSeconds(5));
            assertThat(observed).containsExactly(RpcObservation.SERVER + " ping SUCCESS");
        });
    }

    @Test
    void withoutARegistryOrWhenTurnedOffThereIsNoFilter() {
        runner.run(context -> assertThat(context).doesNotHaveBean("plumbRpcObservationFilter"));
        runner.withBean(ObservationRegistry.class, ObservationRegistry::create)
                .withPropertyValues("plumb.rpc.observation.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("plumbRpcObservationFilter"));
    }
}
