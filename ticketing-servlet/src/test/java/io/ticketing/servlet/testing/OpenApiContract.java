package io.ticketing.servlet.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Checks real responses against the OpenAPI 3.1 description in the ticketing-servlet jar: that the
 * operation exists, declares the status, its headers are present, and the JSON body validates against the
 * declared schema (JSON Schema 2020-12 with the OpenAPI 3.1 dialect, formats asserted, by networknt's
 * json-schema-validator). Records which operation answered which status, for a coverage check.
 */
public final class OpenApiContract {
    private static final String LOCATION = "classpath:io/ticketing/servlet/openapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode document;
    /** The OpenAPI 3.1 dialect; the description's own fields around the schemas are not schema keywords. */
    private static final JsonMetaSchema DIALECT = JsonMetaSchema.builder(OpenApi31.getInstance())
            .keywords(Stream.of("openapi", "jsonSchemaDialect", "info", "servers", "security", "tags", "paths",
                    "components").map(NonValidationKeyword::new).toList())
            .build();

    private final JsonSchemaFactory schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.metaSchema(DIALECT).defaultMetaSchemaIri(DIALECT.getIri()));
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    private final Set<String> answered = new TreeSet<>();

    public OpenApiContract() {
        try (InputStream in = OpenApiContract.class.getResourceAsStream("/io/ticketing/servlet/openapi.json")) {
            document = JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The description as the jar holds it. */
    public JsonNode document() {
        return document;
    }

    /**
     * Asserts that the answer of {@code method path} (a template of the description, {@code /events/{id}})
     * is one it describes, and returns its status.
     */
    public int check(String method, String path, int status, HttpHeaders headers, String body) {
        String operation = "/paths/" + escape(path) + "/" + method.toLowerCase();
        assertFalse(document.at(operation).isMissingNode(), method + " " + path + " is not described");
        String responsePointer = operation + "/responses/" + status;
        JsonNode declared = document.at(responsePointer);
        assertFalse(declared.isMissingNode(), method + " " + path + " answered " + status + ", which is not described: " + body);
        if (declared.has("$ref")) {
            responsePointer = declared.get("$ref").asText().substring(1);
            declared = document.at(responsePointer);
        }
        for (Iterator<String> names = declared.path("headers").fieldNames(); names.hasNext(); ) {
            String name = names.next();
            assertTrue(headers.firstValue(name).isPresent(), method + " " + path + " " + status + " lacks " + name);
        }
        JsonNode content = declared.path("content");
        if (content.has("application/json")) {
            assertTrue(headers.firstValue("Content-Type").orElse("").startsWith("application/json"), headers.toString());
            String schema = LOCATION + "#" + responsePointer + "/content/application~1json/schema";
            Set<ValidationMessage> errors = schemas.getSchema(SchemaLocation.of(schema), config).validate(json(body));
            assertEquals(Set.of(), errors, method + " " + path + " " + status + ": " + body);
        } else {
            String type = content.fieldNames().next();
            assertTrue(headers.firstValue("Content-Type").orElse("").startsWith(type), headers.toString());
        }
        answered.add(method.toUpperCase() + " " + path + " " + status);
        return status;
    }

    /** The schema errors of {@code body} as the JSON request body of {@code method path}; empty if it is valid. */
    public Set<ValidationMessage> requestErrors(String method, String path, String body) {
        String pointer = "/paths/" + escape(path) + "/" + method.toLowerCase() + "/requestBody/content/application~1json/schema";
        assertFalse(document.at(pointer).isMissingNode(), method + " " + path + " takes no JSON body");
        return schemas.getSchema(SchemaLocation.of(LOCATION + "#" + pointer), config).validate(json(body));
    }

    /** Asserts that {@code body} is a valid request body of {@code method path} and returns it. */
    public String validRequest(String method, String path, String body) {
        assertEquals(Set.of(), requestErrors(method, path, body), method + " " + path + ": " + body);
        return body;
    }

    /** The same for a response of {@link ApiClient}. */
    public ApiClient.Response check(String method, String path, ApiClient.Response response) {
        check(method, path, response.status(), response.headers(), response.body());
        return response;
    }

    /** Every {@code METHOD path status} checked so far. */
    public Set<String> answered() {
        return answered;
    }

    /** Every {@code METHOD path} the description has. */
    public Set<String> operations() {
        Set<String> operations = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method -> {
                if (!method.equals("parameters")) {
                    operations.add(method.toUpperCase() + " " + path.getKey());
                }
            });
        }
        return operations;
    }

    private static JsonNode json(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            assertNotNull(node, "empty body");
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + body, e);
        }
    }

    private static String escape(String path) {
        return path.replace("~", "~0").replace("/", "~1");
    }
}
