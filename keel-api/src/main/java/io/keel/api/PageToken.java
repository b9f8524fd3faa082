package io.keel.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The {@code nextPageToken} of list responses: opaque to clients, as fleet's schema has it. Keel's
 * token names the last item of the previous page, so a page costs one bounded range read however
 * deep into the list it is.
 */
public final class PageToken {

    /** Items per page, as fleet's API server. */
    public static final int PAGE_SIZE = 100;
    private static final String PREFIX = "k1:";

    private PageToken() {}

    public static String encode(String lastItem) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + lastItem).getBytes(StandardCharsets.UTF_8));
    }

    /** The item after which the page starts; throws a 400 for a token this server did not issue. */
    public static String decode(String token) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith(PREFIX) && text.length() > PREFIX.length()) {
                return text.substring(PREFIX.length());
            }
        } catch (IllegalArgumentException ignored) {
            // fall through
        }
        throw ApiException.badRequest("invalid nextPageToken");
    }
}
