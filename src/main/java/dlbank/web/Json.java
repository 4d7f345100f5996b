package dlbank.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

import java.io.UncheckedIOException;
import java.util.Map;

/** JSON responses and request bodies, with Jackson. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    static String text(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void send(Context ctx, int status, Object value) {
        ctx.status(status).contentType("application/json; charset=utf-8").result(text(value));
    }

    /** An error as the page's scripts expect it: {"error": message, "status": code}. */
    static void error(Context ctx, int status, String message) {
        send(ctx, status, Map.of("error", message, "status", status));
    }

    /** A small JSON object from the request body; form fields are accepted too. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> body(Context ctx) {
        String type = ctx.contentType() == null ? "" : ctx.contentType();
        if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data")) {
            Map<String, Object> form = new java.util.LinkedHashMap<>();
            ctx.formParamMap().forEach((key, values) -> form.put(key, values.isEmpty() ? "" : values.get(0)));
            return form;
        }
        try {
            byte[] bytes = ctx.bodyInputStream().readNBytes(64 * 1024);
            if (bytes.length == 0) {
                return Map.of();
            }
            Object parsed = MAPPER.readValue(bytes, Object.class);
            if (parsed instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
        } catch (java.io.IOException e) {
            // Falls through to the refusal below.
        }
        throw WebError.badRequest("the request body is not a JSON object", "请求体不是 JSON 对象");
    }
}
