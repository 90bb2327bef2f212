package io.ticketing.core.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One Lua script of the {@link RedisTicketStore} (a resource next to this class, with the library of its
 * keys prepended) and its SHA-1, the name {@code EVALSHA} knows it by.
 */
record LuaScript(String name, String source, String sha1) {

    /** A script on one event's keys: {@code KEYS[1]} is the event's key prefix. */
    static LuaScript onEvent(String name) {
        return load(name, "event-lib.lua");
    }

    /** A script on one buyer's keys: {@code KEYS[1]} is the buyer's key prefix. */
    static LuaScript onBuyer(String name) {
        return load(name, "buyer-lib.lua");
    }

    /** A script on the store's cross-event keys: {@code KEYS[1]} is their key prefix. */
    static LuaScript onGlobal(String name) {
        return load(name, "global-lib.lua");
    }

    private static LuaScript load(String name, String library) {
        String source = read(library) + read(name + ".lua");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
            return new LuaScript(name, source, HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    }

    private static String read(String resource) {
        try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource + " next to " + LuaScript.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
