package io.ticketing.servlet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressesTest {
    private final ClientAddresses none = ClientAddresses.trusting(List.of());
    private final ClientAddresses proxies = ClientAddresses.trusting(List.of("10.0.0.0/8", "192.168.1.7",
            "2001:db8:cafe::/48"));

    /** A request from {@code remote} with these header lines (name, value, name, value, …). */
    private static HttpServletRequest request(String remote, String... headers) {
        return (HttpServletRequest) Proxy.newProxyInstance(ClientAddressesTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getRemoteAddr" -> remote;
                    case "getHeaders" -> {
                        List<String> values = new java.util.ArrayList<>();
                        for (int i = 0; i < headers.length; i += 2) {
                            if (headers[i].equalsIgnoreCase((String) args[0])) {
                                values.add(headers[i + 1]);
                            }
                        }
                        yield Collections.enumeration(values);
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void withoutTrustedProxiesTheHeadersAreIgnored() {
        assertEquals("10.1.2.3", none.of(request("10.1.2.3", "X-Forwarded-For", "203.0.113.9",
                "Forwarded", "for=203.0.113.9")));
    }

    @Test
    void aPeerThatIsNotTrustedCannotSpoofItsAddress() {
        assertEquals("198.51.100.20", proxies.of(request("198.51.100.20", "X-Forwarded-For", "203.0.113.9")));
        assertEquals("198.51.100.20", proxies.of(request("198.51.100.20", "Forwarded", "for=10.0.0.1")));
    }

    @Test
    void behindTrustedProxiesTheRightMostUntrustedHopCounts() {
        assertEquals("203.0.113.9", proxies.of(request("10.0.0.5", "X-Forwarded-For", "203.0.113.9")));
        // the client wrote the left part itself; 10.9.9.9 and 192.168.1.7 are our proxies
        assertEquals("203.0.113.9", proxies.of(request("10.0.0.5",
                "X-Forwarded-For", "1.2.3.4, 203.0.113.9, 10.9.9.9", "X-Forwarded-For", "192.168.1.7")));
        assertEquals("10.9.9.9", proxies.of(request("10.0.0.5", "X-Forwarded-For", "10.9.9.9")),
                "every hop trusted: the left-most");
        assertEquals("10.0.0.5", proxies.of(request("10.0.0.5")), "no header: the proxy itself");
    }

    @Test
    void forwardedWinsOverXForwardedForAndIsParsedAsRfc7239Says() {
        assertEquals("203.0.113.9", proxies.of(request("10.0.0.5", "X-Forwarded-For", "198.51.100.1",
                "Forwarded", "for=203.0.113.9;proto=https;by=10.0.0.5")));
        assertEquals("2001:db8:0:0:0:0:0:17", proxies.of(request("10.0.0.5",
                "Forwarded", "for=\"[2001:db8::17]:4711\", For=\"10.1.1.1:8080\"")));
        assertEquals("203.0.113.9", proxies.of(request("10.0.0.5",
                "Forwarded", "for=198.51.100.1;host=\"a,b;c\", for=203.0.113.9", "Forwarded", "for=10.2.2.2")));
        assertEquals("10.0.0.5", proxies.of(request("10.0.0.5", "Forwarded", "for=unknown")),
                "an unknown hop counts as the proxy that reported it");
        assertEquals("10.3.3.3", proxies.of(request("10.0.0.5", "Forwarded", "for=_hidden, for=10.3.3.3")));
        assertEquals("10.0.0.5", proxies.of(request("10.0.0.5", "Forwarded", "proto=https")));
    }

    @Test
    void ipv6ProxiesAndIpv4MappedAddressesMatchTheirBlocks() {
        assertEquals("203.0.113.9", proxies.of(request("2001:db8:cafe:1::2", "X-Forwarded-For", "203.0.113.9")));
        assertEquals("2001:db8:cafe:2:0:0:0:1",
                proxies.of(request("0:0:0:0:0:ffff:a00:5", "X-Forwarded-For", "2001:db8:cafe:2::1")),
                "::ffff:10.0.0.5 is 10.0.0.5, a trusted proxy, and the hop is in the trusted IPv6 block");
        assertEquals("2001:db8:beef:0:0:0:0:1", proxies.of(request("10.0.0.5", "X-Forwarded-For", "[2001:db8:beef::1]:443")));
    }

    @Test
    void entriesThatAreNotAddressesOrBlocksAreRefusedAndNamesAreNeverLookedUp() {
        for (String bad : new String[] {"proxy.internal", "10.0.0.0/33", "2001:db8::/129", "10.0.0", "256.1.1.1",
                "10.0.0.1/", "", "10.0.0.0/-1", "fe80::1%eth0"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ClientAddresses.trusting(List.of(bad)), bad);
            assertTrue(e.getMessage().startsWith("trustedProxies: '" + bad + "'"), e.getMessage());
        }
        assertNull(ClientAddresses.literal("localhost"));
        assertNull(ClientAddresses.literal("999.1.1.1"));
    }
}
