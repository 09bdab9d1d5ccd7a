package io.meshgate.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An address range such as {@code 10.0.0.0/8} or {@code fd00::/8}: which ICE candidates to reveal, which proxies to
 * believe. Only literal addresses are ever read: nothing here looks a name up.
 */
public record Cidr(byte[] network, int prefix) {

    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR (address/prefix): '" + text + "'");
        }
        String address = text.substring(0, slash).trim();
        byte[] bytes = bytesOf(address);
        if (bytes == null) {
            throw new IllegalArgumentException("not an IP address: '" + address + "'");
        }
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in '" + text + "'");
        }
        if (prefix < 0 || prefix > bytes.length * 8) {
            throw new IllegalArgumentException("prefix length out of range in '" + text + "'");
        }
        return new Cidr(bytes, prefix);
    }

    /** Whether a literal IP address lies in this range; names (such as mDNS {@code .local} names) never do. */
    public boolean contains(String literal) {
        byte[] bytes = bytesOf(literal);
        if (bytes == null || bytes.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xFF << (8 - rest);
        return (bytes[full] & mask) == (network[full] & mask);
    }

    /**
     * The bytes of a literal IPv4 (dotted quad) or IPv6 address, or null for anything else. The shape is checked
     * first because {@link InetAddress#getByName} would look anything else up as a host name.
     */
    public static byte[] bytesOf(String literal) {
        boolean v4 = literal.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = literal.indexOf(':') >= 0 && literal.matches("[0-9a-fA-F:.]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
