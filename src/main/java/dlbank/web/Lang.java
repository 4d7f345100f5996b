package dlbank.web;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The language of one request: {@code ?lang=zh|en} (which the page then remembers in a cookie), else
 * the cookie, else the browser's Accept-Language (its first zh or en range by weight), else the server's
 * default. Also builds the switch link, which keeps the path and query.
 */
record Lang(String code, String switchHref) {

    static final String COOKIE = "dlbank_lang";
    private static final int ONE_YEAR = 365 * 24 * 3600;

    boolean zh() {
        return code.equals("zh");
    }

    static Lang of(Context ctx, String serverDefault) {
        String asked = ctx.queryParam("lang");
        String code;
        if ("zh".equals(asked) || "en".equals(asked)) {
            code = asked;
            Cookie cookie = new Cookie(COOKIE, code, "/", ONE_YEAR, false, false, null, SameSite.LAX);
            ctx.cookie(cookie);
        } else {
            String remembered = ctx.cookie(COOKIE);
            code = "zh".equals(remembered) || "en".equals(remembered) ? remembered
                    : fromAcceptLanguage(ctx.header("Accept-Language")).orElse(serverDefault);
        }
        return new Lang(code, switchHref(ctx, code.equals("zh") ? "en" : "zh"));
    }

    /** The code of the reader's language: the same choice as {@link #of}, without setting the cookie. */
    static String code(Context ctx, String serverDefault) {
        String asked = ctx.queryParam("lang");
        if ("zh".equals(asked) || "en".equals(asked)) {
            return asked;
        }
        String remembered = ctx.cookie(COOKIE);
        return "zh".equals(remembered) || "en".equals(remembered) ? remembered
                : fromAcceptLanguage(ctx.header("Accept-Language")).orElse(serverDefault);
    }

    /** "zh-CN,zh;q=0.9,en;q=0.8" -> zh; "en-US,en;q=0.9" -> en; "fr" -> empty. Highest weight first, then order. */
    static java.util.Optional<String> fromAcceptLanguage(String header) {
        if (header == null || header.isBlank()) {
            return java.util.Optional.empty();
        }
        try {
            for (java.util.Locale.LanguageRange range : java.util.Locale.LanguageRange.parse(header)) {
                String language = range.getRange().toLowerCase(java.util.Locale.ROOT);
                if (range.getWeight() > 0 && (language.equals("zh") || language.startsWith("zh-"))) {
                    return java.util.Optional.of("zh");
                }
                if (range.getWeight() > 0 && (language.equals("en") || language.startsWith("en-"))) {
                    return java.util.Optional.of("en");
                }
            }
        } catch (IllegalArgumentException e) {
            // A malformed header says nothing.
        }
        return java.util.Optional.empty();
    }

    /** The same language, with a switch that leads to another page (a POST's result switches on its GET page). */
    Lang switchingOn(String path) {
        return new Lang(code, path + "?lang=" + (zh() ? "en" : "zh"));
    }

    private static String switchHref(Context ctx, String other) {
        StringBuilder href = new StringBuilder(ctx.path()).append("?lang=").append(other);
        for (Map.Entry<String, java.util.List<String>> param : ctx.queryParamMap().entrySet()) {
            if (param.getKey().equals("lang")) {
                continue;
            }
            for (String value : param.getValue()) {
                href.append('&').append(URLEncoder.encode(param.getKey(), StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        return href.toString();
    }
}
