package dev.plumb.rpc.test;

import dev.plumb.rpc.InMemoryTransport;
import dev.plumb.rpc.RpcConnection;

/** rpc-core's {@link InMemoryTransport} passes the transport contract. */
class InMemoryTransportContractTest implements TransportContract {

    @Override
    public RpcConnection connectToContractServer() {
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        TransportContract.serve(pair.right());
        return pair.left();
    }
}
