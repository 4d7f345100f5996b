package dlbank.web;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * What every request passes first. Responses get headers that keep the page to its own origin (a
 * Content-Security-Policy allows nothing from elsewhere). A request must name this machine as its
 * host (so a web site that rebinds its name to 127.0.0.1 gets nothing), and a request that changes
 * something (POST) must not come from a page of another origin: a site elsewhere cannot start runs,
 * answer quiz cards or upload to the user's machine.
 *
 * <p>Browsers name the page a POST comes from in its {@code Origin} header. They send "null" there
 * instead when the page's referrer policy withholds it (Chromium does so for form posts under
 * {@code no-referrer}) or when the page is sandboxed; a "null" origin is then let through only with
 * {@code Sec-Fetch-Site: same-origin}, which a browser sets itself and no page can forge. The page
 * says {@code Referrer-Policy: same-origin}, so its own forms send their origin anyway.
 */
final class RequestGuard {

    static final String CSP = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");
    private static final Set<String> WILDCARD = Set.of("0.0.0.0", "::", "[::]", "");

    private final String boundHost;
    private final int port;

    RequestGuard(String boundHost, int port) {
        this.boundHost = boundHost.toLowerCase(Locale.ROOT);
        this.port = port;
    }

    static void secureHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Cross-Origin-Resource-Policy", "same-origin");
    }

    void check(Context ctx) {
        secureHeaders(ctx);
        String host = hostName(ctx.header("Host"));
        if (!allowedHost(host)) {
            throw WebError.forbidden("host '" + ctx.header("Host") + "' is not this server's address",
                    "主机名 '" + ctx.header("Host") + "' 不是本服务器的地址");
        }
        HandlerType method = ctx.method();
        if (method == HandlerType.GET || method == HandlerType.HEAD || method == HandlerType.OPTIONS) {
            return;
        }
        String origin = ctx.header("Origin");
        String site = ctx.header("Sec-Fetch-Site");
        if (origin != null && !origin.equals("null")) {
            if (!sameOrigin(origin, host)) {
                throw WebError.forbidden("refused: a page from " + origin + " may not send requests that change "
                        + "anything here", "拒绝：来自 " + origin + " 的页面不能向这里发送修改性的请求");
            }
        } else if (origin != null) {
            // "null": a page whose origin the browser withholds; only the browser's own word that it is ours will do.
            if (!"same-origin".equals(site)) {
                throw WebError.forbidden("refused: a page of unknown origin may not send requests that change anything here",
                        "拒绝：来源不明的页面不能向这里发送修改性的请求");
            }
        } else if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            throw WebError.forbidden("refused: a " + site + " request may not change anything here",
                    "拒绝：" + site + " 请求不能修改这里的任何东西");
        }
    }

    private boolean allowedHost(String host) {
        if (host == null) {
            return false;
        }
        return LOOPBACK.contains(host) || host.equals(boundHost) || WILDCARD.contains(boundHost);
    }

    /** The Origin names this server: http, an allowed host (the one the request went to), this port. */
    private boolean sameOrigin(String origin, String requestHost) {
        try {
            URI uri = URI.create(origin);
            String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
            if (host != null && host.startsWith("[")) {
                host = host.substring(1, host.length() - 1);
            }
            String bare = requestHost.startsWith("[") ? requestHost.substring(1, requestHost.length() - 1) : requestHost;
            return "http".equals(uri.getScheme()) && uri.getPort() == port && host != null && host.equals(bare)
                    && allowedHost(requestHost);
        } catch (IllegalArgumentException e) {
            return false; // "null" and other non-URLs
        }
    }

    /** "127.0.0.1:7070" -> "127.0.0.1"; "[::1]:7070" -> "[::1]". */
    static String hostName(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip().toLowerCase(Locale.ROOT);
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            return close < 0 ? null : value.substring(0, close + 1);
        }
        int colon = value.indexOf(':');
        return colon < 0 ? value : value.substring(0, colon);
    }
}
