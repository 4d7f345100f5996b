package dlbank.web;

/**
 * A refusal or failure the page reports as JSON: an HTTP status and a message in each language.
 * Thrown by handlers and guards; {@link WebServer} turns it into the response.
 */
final class WebError extends RuntimeException {

    private final int status;
    private final String messageZh;

    WebError(int status, String message, String messageZh) {
        super(message);
        this.status = status;
        this.messageZh = messageZh;
    }

    int status() {
        return status;
    }

    String message(String language) {
        return "zh".equals(language) ? messageZh : getMessage();
    }

    static WebError notFound(String what) {
        return new WebError(404, "not found: " + what, "没有找到：" + what);
    }

    static WebError badRequest(String message, String messageZh) {
        return new WebError(400, message, messageZh);
    }

    static WebError forbidden(String message, String messageZh) {
        return new WebError(403, message, messageZh);
    }
}
