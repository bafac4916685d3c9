package dev.plumb.rpc.web.internal;

import java.util.AbstractMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The request headers of an HTTP call or WebSocket handshake as the call's metadata ({@code RpcMetadata}): names in
 * lower case, credentials ({@code Authorization}, {@code Proxy-Authorization}, {@code Cookie}) left out. A view,
 * read only when asked: a request whose handler never looks costs one small object.
 */
public final class HeaderMetadata extends AbstractMap<String, String> {

    private static final Set<String> HIDDEN = Set.of("authorization", "proxy-authorization", "cookie");

    private final Function<String, String> lookup;
    private final Supplier<Iterator<Map.Entry<String, String>>> all;
    private Map<String, String> copy;

    /** A view reading one header with {@code lookup} (case-insensitive) and all of them with {@code all}. */
    public HeaderMetadata(Function<String, String> lookup, Supplier<Iterator<Map.Entry<String, String>>> all) {
        this.lookup = lookup;
        this.all = all;
    }

    /** The headers of a reactor-netty request. */
    public static HeaderMetadata of(io.netty.handler.codec.http.HttpHeaders headers) {
        return new HeaderMetadata(headers::get, headers::iteratorAsString);
    }

    @Override
    public String get(Object key) {
        if (!(key instanceof String name) || HIDDEN.contains(name.toLowerCase(Locale.ROOT))) {
            return null;
        }
        return lookup.apply(name);
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public Set<Map.Entry<String, String>> entrySet() {
        if (copy == null) {
            Map<String, String> m = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, String>> it = all.get(); it.hasNext(); ) {
                Map.Entry<String, String> e = it.next();
                String name = e.getKey().toLowerCase(Locale.ROOT);
                if (!HIDDEN.contains(name)) {
                    m.putIfAbsent(name, e.getValue());
                }
            }
            copy = Map.copyOf(m);
        }
        return copy.entrySet();
    }
}
