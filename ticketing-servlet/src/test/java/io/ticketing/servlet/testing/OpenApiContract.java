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
import java.util.function.BiConsumer;
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
        assertFalse(document.at(responsePointer).isMissingNode(),
                method + " " + path + " answered " + status + ", which is not described: " + body);
        validate(method + " " + path + " " + status, responsePointer, headers, body);
        answered.add(method.toUpperCase() + " " + path + " " + status);
        return status;
    }

    /**
     * Asserts that {@code response} is the shared response {@code name} of the description's components
     * ({@code NotFound}, {@code MethodNotAllowed}): what a request that matches no operation is answered.
     */
    public ApiClient.Response checkShared(String name, ApiClient.Response response) {
        String pointer = "/components/responses/" + name;
        assertFalse(document.at(pointer).isMissingNode(), name + " is not described");
        assertEquals(document.at(pointer + "/content/application~1json/schema/allOf/1/properties/error/properties/status/const")
                .asInt(), response.status(), name + ": " + response.body());
        validate(name, pointer, response.headers(), response.body());
        return response;
    }

    /** Asserts that the response at {@code pointer} (or the one it refers to) describes these headers and body. */
    private void validate(String what, String pointer, HttpHeaders headers, String body) {
        JsonNode declared = document.at(pointer);
        if (declared.has("$ref")) {
            pointer = declared.get("$ref").asText().substring(1);
            declared = document.at(pointer);
        }
        for (Iterator<String> names = declared.path("headers").fieldNames(); names.hasNext(); ) {
            String name = names.next();
            assertTrue(headers.firstValue(name).isPresent(), what + " lacks " + name);
        }
        JsonNode content = declared.path("content");
        if (content.has("application/json")) {
            assertTrue(headers.firstValue("Content-Type").orElse("").startsWith("application/json"), headers.toString());
            String schema = LOCATION + "#" + pointer + "/content/application~1json/schema";
            Set<ValidationMessage> errors = schemas.getSchema(SchemaLocation.of(schema), config).validate(json(body));
            assertEquals(Set.of(), errors, what + ": " + body);
        } else if (content.fieldNames().hasNext()) {
            String type = content.fieldNames().next();
            assertTrue(headers.firstValue("Content-Type").orElse("").startsWith(type), headers.toString());
        }
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
        forEachOperation((operation, node) -> operations.add(operation));
        return operations;
    }

    /** Every {@code METHOD path status} the description declares: what a complete test makes each answer. */
    public Set<String> declaredAnswers() {
        Set<String> answers = new TreeSet<>();
        forEachOperation((operation, node) -> node.get("responses").fieldNames()
                .forEachRemaining(status -> answers.add(operation + " " + status)));
        return answers;
    }

    /** The methods the description has for {@code path}, upper case. */
    public Set<String> methods(String path) {
        Set<String> methods = new TreeSet<>();
        document.get("paths").get(path).fieldNames().forEachRemaining(method -> {
            if (!method.equals("parameters")) {
                methods.add(method.toUpperCase());
            }
        });
        return methods;
    }

    private void forEachOperation(BiConsumer<String, JsonNode> action) {
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (String method : methods(path.getKey())) {
                action.accept(method + " " + path.getKey(), path.getValue().get(method.toLowerCase()));
            }
        }
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
