package io.ticketing.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The JSON mapping of the model, shared by the servlet layer and the Redis broadcaster: camelCase
 * fields, lower-case enum names, timestamps as ISO-8601 UTC with milliseconds
 * ({@code 2026-11-22T14:03:07.123Z}), unknown properties rejected, and no value converted from another
 * JSON type (a number where a string belongs, a string or fraction where an integer belongs, …).
 */
public final class TicketingJson {
    private static final DateTimeFormatter SECOND =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
    /**
     * Recently formatted seconds, by second modulo the length: a response's timestamps fall in a few
     * seconds (a hold's creation and its expiry, a change and its snapshot), and formatting a second
     * costs far more than appending its milliseconds. A racing update just formats again.
     */
    private static final AtomicReferenceArray<FormattedSecond> SECONDS = new AtomicReferenceArray<>(31);

    private TicketingJson() {
    }

    /** A new, fully configured mapper. Mappers are thread-safe: create one and share it. */
    public static ObjectMapper newObjectMapper() {
        SimpleModule time = new SimpleModule("ticketing-time");
        time.addSerializer(Instant.class, new JsonSerializer<>() {
            @Override
            public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(format(value));
            }
        });
        time.addDeserializer(Instant.class, new JsonDeserializer<>() {
            @Override
            public Instant deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                String text = p.getValueAsString();
                try {
                    return Instant.parse(text);
                } catch (DateTimeParseException | NullPointerException e) {
                    return (Instant) ctx.handleWeirdStringValue(Instant.class, text, "not an ISO-8601 instant");
                }
            }
        });
        JsonMapper.Builder builder = JsonMapper.builder()
                .addModule(time)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
        // A value of another JSON type is an error, never converted: 5 is no string, "5" and 5.0 are no integer,
        // 1 is no boolean, "" is no object or array.
        for (LogicalType type : LogicalType.values()) {
            builder.withCoercionConfig(type, config -> {
                for (CoercionInputShape shape : CoercionInputShape.values()) {
                    config.setCoercion(shape, CoercionAction.Fail);
                }
                config.setAcceptBlankAsEmpty(false);
            });
        }
        return builder.build();
    }

    /** {@code 2026-11-22T14:03:07.123Z}. */
    public static String format(Instant instant) {
        long second = instant.getEpochSecond();
        int slot = (int) Math.floorMod(second, SECONDS.length());
        FormattedSecond formatted = SECONDS.get(slot);
        if (formatted == null || formatted.epochSecond != second) {
            formatted = new FormattedSecond(second, SECOND.format(instant));
            SECONDS.set(slot, formatted);
        }
        int millis = instant.getNano() / 1_000_000;
        StringBuilder text = new StringBuilder(formatted.text.length() + 5).append(formatted.text).append('.');
        if (millis < 100) {
            text.append('0');
        }
        if (millis < 10) {
            text.append('0');
        }
        return text.append(millis).append('Z').toString();
    }

    private record FormattedSecond(long epochSecond, String text) {
    }
}
