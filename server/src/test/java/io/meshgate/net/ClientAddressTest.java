package io.meshgate.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which address a client is, behind proxies or not; never by looking a name up. */
class ClientAddressTest {

    private static final InetSocketAddress PROXY = new InetSocketAddress("10.0.0.5", 40000);
    private static final InetSocketAddress STRANGER = new InetSocketAddress("192.0.2.7", 40000);
    private final ClientAddress addresses = new ClientAddress(List.of(Cidr.parse("10.0.0.0/8")));

    @Test
    void theNearestUntrustedHopIsTheClient() {
        assertEquals("198.51.100.1", addresses.of(PROXY, List.of("198.51.100.1")));
        assertEquals("198.51.100.1", addresses.of(PROXY, List.of("203.0.113.9, 198.51.100.1")),
                "what the client wrote itself, on the left, is not believed");
        assertEquals("198.51.100.1", addresses.of(PROXY, List.of("203.0.113.9", "198.51.100.1, 10.0.0.9")),
                "a second trusted proxy is passed over, over several header lines");
        assertEquals("10.0.0.9", addresses.of(PROXY, List.of("10.0.0.9")), "all trusted: the farthest");
        assertEquals("2001:db8::1", addresses.of(PROXY, List.of("2001:db8::1")));
    }

    @Test
    void aHeaderFromAnUntrustedPeerOrWithoutAnAddressIsIgnored() {
        assertEquals("192.0.2.7", addresses.of(STRANGER, List.of("198.51.100.1")));
        assertEquals("10.0.0.5", addresses.of(PROXY, List.of()));
        assertEquals("10.0.0.5", addresses.of(PROXY, List.of("example.org")));
        assertEquals("198.51.100.1", addresses.of(PROXY, List.of("example.org, 198.51.100.1")),
                "the walk stops at the first hop that is not an address");
    }

    @Test
    void onlyLiteralAddressesAreRead() {
        assertNull(Cidr.bytesOf("deadbeef"), "hex letters alone would be a host name to resolve");
        assertNull(Cidr.bytesOf("cafe.example"));
        assertNull(Cidr.bytesOf("1.2.3"));
        assertEquals(4, Cidr.bytesOf("198.51.100.1").length);
        assertEquals(16, Cidr.bytesOf("::1").length);
    }
}
