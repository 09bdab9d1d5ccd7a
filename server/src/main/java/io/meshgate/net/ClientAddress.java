package io.meshgate.net;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Which address a client connects from, for per-address limits: the TCP peer's address, or, when that peer is a
 * proxy the operator trusts, the address the proxy reports in {@code X-Forwarded-For}. A header from anyone else is
 * ignored: believing it would let a client pick its own address and every limit with it.
 */
public final class ClientAddress {

    private final List<Cidr> trustedProxies;

    public ClientAddress(List<Cidr> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    /**
     * The client's address, given the TCP peer and the {@code X-Forwarded-For} header values in the order they came.
     * The hops are read from the nearest: each trusted proxy is passed over, and the first hop that is not one is the
     * client. A hop that is not a literal address ends the walk at the hop before it: nothing is ever looked up.
     */
    public String of(SocketAddress peer, List<String> forwardedFor) {
        String nearest = hostOf(peer);
        if (!trusted(nearest) || forwardedFor.isEmpty()) {
            return nearest;
        }
        List<String> hops = new ArrayList<>();
        for (String value : forwardedFor) {
            for (String hop : value.split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.trim());
                }
            }
        }
        String client = nearest;
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (Cidr.bytesOf(hop) == null) {
                return client;
            }
            client = hop;
            if (!trusted(hop)) {
                return client;
            }
        }
        return client;
    }

    private boolean trusted(String address) {
        return trustedProxies.stream().anyMatch(range -> range.contains(address));
    }

    /** The literal address of a socket address (no port), or its text when it is not an internet address. */
    public static String hostOf(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }
}
