package io.ticketing.servlet.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;

/**
 * Finds the address of the client a request is for, the key of the per-address stream cap. Without trusted
 * proxies it is {@code getRemoteAddr()}. When the peer is a trusted proxy (an address or CIDR of the
 * setting, IPv4 or IPv6), it is the right-most hop of {@code Forwarded} (RFC 7239; else
 * {@code X-Forwarded-For}) that is not a trusted proxy: hops to the left of it were written by the client
 * and may be forged. A hop given as {@code unknown} or an obfuscated name counts as the trusted proxy that
 * reported it. Names are never looked up. Immutable and thread-safe.
 */
public final class ClientAddresses {
    /** Hops read at most from one request: a trusted proxy adds one, so more are a forgery or a loop. */
    private static final int MAX_HOPS = 64;

    private final List<Network> trusted;

    private ClientAddresses(List<Network> trusted) {
        this.trusted = trusted;
    }

    /**
     * @param trustedProxies addresses ({@code 10.0.0.7}, {@code 2001:db8::7}) or CIDR blocks
     *                       ({@code 10.0.0.0/8}, {@code 2001:db8::/32}); may be empty
     * @throws IllegalArgumentException naming an entry that is neither
     */
    public static ClientAddresses trusting(Collection<String> trustedProxies) {
        List<Network> networks = new ArrayList<>();
        for (String entry : trustedProxies) {
            networks.add(Network.parse(entry));
        }
        return new ClientAddresses(List.copyOf(networks));
    }

    /** The client's address for the per-address caps. */
    public String of(HttpServletRequest request) {
        String remote = request.getRemoteAddr();
        InetAddress peer = trusted.isEmpty() ? null : literal(remote);
        if (peer == null || !trusts(peer)) {
            return remote;
        }
        List<String> hops = hops(request);
        String nearest = peer.getHostAddress();
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = literal(node(hops.get(i)));
            if (hop == null) {
                return nearest;
            }
            nearest = hop.getHostAddress();
            if (!trusts(hop)) {
                return nearest;
            }
        }
        return nearest;
    }

    private boolean trusts(InetAddress address) {
        for (Network network : trusted) {
            if (network.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The {@code for} of each {@code Forwarded} element, else each {@code X-Forwarded-For} entry, in order. */
    private static List<String> hops(HttpServletRequest request) {
        List<String> hops = new ArrayList<>();
        Enumeration<String> forwarded = request.getHeaders("Forwarded");
        while (forwarded != null && forwarded.hasMoreElements() && hops.size() <= MAX_HOPS) {
            for (String element : split(forwarded.nextElement(), ',')) {
                hops.add(forParameter(element));
            }
        }
        if (hops.isEmpty()) {
            Enumeration<String> xff = request.getHeaders("X-Forwarded-For");
            while (xff != null && xff.hasMoreElements() && hops.size() <= MAX_HOPS) {
                hops.addAll(split(xff.nextElement(), ','));
            }
        }
        return hops.size() > MAX_HOPS ? hops.subList(hops.size() - MAX_HOPS, hops.size()) : hops;
    }

    /** The {@code for} value of one {@code Forwarded} element, unquoted, or null if it has none. */
    private static String forParameter(String element) {
        for (String pair : split(element, ';')) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("for")) {
                String value = pair.substring(eq + 1).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1).replaceAll("\\\\(.)", "$1");
                }
                return value;
            }
        }
        return null;
    }

    /** Splits at {@code separator} outside double quotes, trimming each part and dropping empty ones. */
    private static List<String> split(String value, char separator) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i <= value.length(); i++) {
            char c = i < value.length() ? value.charAt(i) : separator;
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted) {
                i++;
            } else if (c == separator && !quoted) {
                String part = value.substring(start, Math.min(i, value.length())).strip();
                if (!part.isEmpty()) {
                    parts.add(part);
                }
                start = i + 1;
            }
        }
        return parts;
    }

    /** A hop's address without its port: {@code [2001:db8::1]:4711} and {@code 192.0.2.1:80} lose the port. */
    private static String node(String hop) {
        if (hop == null) {
            return null;
        }
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end < 0 ? null : hop.substring(1, end);
        }
        int colon = hop.indexOf(':');
        return colon >= 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
    }

    /** An IPv4 or IPv6 literal as an address, or null for anything else; never a name lookup. */
    static InetAddress literal(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            if (text.indexOf(':') >= 0) {
                // only hex digits, colons and an IPv4 tail: InetAddress then parses a literal and never resolves
                return text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')
                        ? InetAddress.getByName(text) : null;
            }
            String[] parts = text.split("\\.", -1);
            if (parts.length != 4) {
                return null;
            }
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                if (!parts[i].matches("[0-9]{1,3}") || Integer.parseInt(parts[i]) > 255) {
                    return null;
                }
                int octet = Integer.parseInt(parts[i]);
                bytes[i] = (byte) octet;
            }
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** An address block: the first {@code prefix} bits of {@code bytes}. */
    private record Network(byte[] bytes, int prefix) {
        static Network parse(String entry) {
            String text = entry == null ? "" : entry.strip();
            int slash = text.indexOf('/');
            InetAddress address = literal(slash < 0 ? text : text.substring(0, slash));
            int max = address == null ? 0 : address.getAddress().length * 8;
            int prefix = max;
            if (address != null && slash >= 0) {
                String bits = text.substring(slash + 1);
                prefix = bits.matches("[0-9]{1,3}") ? Integer.parseInt(bits) : -1;
            }
            if (address == null || prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("trustedProxies: '" + entry + "' is not an IP address or CIDR block"
                        + " (such as 10.0.0.7, 10.0.0.0/8 or 2001:db8::/32)");
            }
            return new Network(address.getAddress(), prefix);
        }

        boolean contains(InetAddress address) {
            byte[] other = address.getAddress();
            if (other.length != bytes.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (other[i] != bytes[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            int mask = (0xff << (8 - rest)) & 0xff;
            return rest == 0 || (other[full] & mask) == (bytes[full] & mask);
        }
    }
}
