package dev.plumb.rpc.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The small decisions of the HTTP mapping that are cheaper to test directly. */
class HttpRpcServiceTest {

    @Test
    void pathMatchingIgnoresTheQueryAndATrailingSlash() {
        assertThat(HttpRpcService.pathMatches("/rpc", "/rpc")).isTrue();
        assertThat(HttpRpcService.pathMatches("/rpc?token=x", "/rpc")).isTrue();
        assertThat(HttpRpcService.pathMatches("/rpc/", "/rpc")).isTrue();
        assertThat(HttpRpcService.pathMatches("http://host:8080/rpc?x", "/rpc")).isTrue();
        assertThat(HttpRpcService.pathMatches("/rpc/ws", "/rpc")).isFalse();
        assertThat(HttpRpcService.pathMatches("/rpcx", "/rpc")).isFalse();
        assertThat(HttpRpcService.pathMatches("/r", "/rpc")).isFalse();
        assertThat(HttpRpcService.pathMatches("/api/rpc", "/rpc")).isFalse();
        assertThat(HttpRpcService.pathMatches("*", "/rpc")).isFalse();
    }

    @Test
    void jsonContentTypesAreRecognised() {
        assertThat(HttpRpcService.isJson(null)).isTrue();
        assertThat(HttpRpcService.isJson("application/json")).isTrue();
        assertThat(HttpRpcService.isJson("Application/JSON; charset=UTF-8")).isTrue();
        assertThat(HttpRpcService.isJson("application/json-rpc")).isTrue();
        assertThat(HttpRpcService.isJson("application/vnd.api+json")).isTrue();
        assertThat(HttpRpcService.isJson("text/plain")).isFalse();
        assertThat(HttpRpcService.isJson("application/x-www-form-urlencoded")).isFalse();
    }

    @Test
    void ndjsonIsRecognisedInAnAcceptList() {
        assertThat(HttpRpcService.acceptsNdjson("application/x-ndjson, application/json")).isTrue();
        assertThat(HttpRpcService.acceptsNdjson("application/json")).isFalse();
        assertThat(HttpRpcService.acceptsNdjson(null)).isFalse();
    }
}
