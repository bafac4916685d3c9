package dev.plumb.rpc.web.internal;

import dev.plumb.rpc.RpcReply;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.web.RpcPrincipal;
import reactor.util.context.Context;

/**
 * Puts a connection's principal into the Reactor {@code Context} of every call a router runs, for transports (the
 * WebSocket peer) that dispatch calls themselves.
 */
public final class PrincipalRouters {

    private PrincipalRouters() {
    }

    /**
     * A router that runs every call through {@code router} with {@code principal} in the context: one filter that
     * answers each call by dispatching it to {@code router} (streams get the context too, as they are subscribed
     * later).
     */
    public static RpcRouter withPrincipal(RpcRouter router, RpcPrincipal principal) {
        Context context = Context.of(RpcPrincipal.CONTEXT_KEY, principal);
        return RpcRouter.builder()
                .codec(router.codec())
                .filter((call, next) -> router.dispatch(call)
                        .map(reply -> reply instanceof RpcReply.Stream s
                                ? RpcReply.stream(s.items().contextWrite(context)) : reply)
                        .contextWrite(context))
                .build();
    }
}
