package dlbank.web;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The language of one request: {@code ?lang=zh|en} (which the page then remembers in a cookie), else
 * the cookie, else the server's default. Also builds the switch link, which keeps the path and query.
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
            code = "zh".equals(remembered) || "en".equals(remembered) ? remembered : serverDefault;
        }
        return new Lang(code, switchHref(ctx, code.equals("zh") ? "en" : "zh"));
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
