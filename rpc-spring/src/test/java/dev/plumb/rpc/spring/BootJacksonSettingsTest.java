package dev.plumb.rpc.spring;

import dev.plumb.rpc.spring.app.PlumbApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Boot's {@code spring.jackson.*} settings reach Plumb: results and params follow the naming strategy. */
@SpringBootTest(classes = PlumbApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.jackson.property-naming-strategy=SNAKE_CASE")
@AutoConfigureWebTestClient
@Timeout(60)
class BootJacksonSettingsTest {

    @Autowired
    WebTestClient web;

    private WebTestClient.BodySpec<String, ?> call(String body) {
        return web.post().uri("/rpc").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isOk()
                .expectBody(String.class);
    }

    @Test
    void resultsAreWrittenWithBootsNamingStrategy() {
        call("{\"jsonrpc\":\"2.0\",\"method\":\"inventory/item\",\"params\":[\"j-1\"],\"id\":1}")
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":{\"sku_code\":\"j-1\",\"in_stock\":0},\"id\":1}");
    }

    @Test
    void paramsAreReadWithBootsNamingStrategy() {
        call("{\"jsonrpc\":\"2.0\",\"method\":\"inventory/echo\",\"params\":{\"sku_code\":\"j-2\",\"in_stock\":5},\"id\":2}")
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":{\"sku_code\":\"j-2\",\"in_stock\":5},\"id\":2}");
    }

    @Test
    void streamedItemsAreWrittenWithBootsNamingStrategy() {
        web.post().uri("/rpc").contentType(MediaType.APPLICATION_JSON).accept(MediaType.APPLICATION_NDJSON)
                .bodyValue("{\"jsonrpc\":\"2.0\",\"method\":\"inventory/all\",\"params\":[1],\"id\":3}")
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class).isEqualTo("{\"sku_code\":\"sku-0\",\"in_stock\":0}\n"
                        + "{\"jsonrpc\":\"2.0\",\"result\":{\"items\":1},\"id\":3}\n");
    }
}
