package io.keel.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PageTokenTest {

    @Test
    void aTokenNamesTheLastItemOfThePreviousPage() {
        String token = PageToken.encode("web@12.service");
        assertThat(token).doesNotContain("=", "+", "/");
        assertThat(PageToken.decode(token)).isEqualTo("web@12.service");
    }

    @Test
    void tokensThisServerDidNotIssueAreA400() {
        assertThatThrownBy(() -> PageToken.decode("garbage!"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessage("invalid nextPageToken");
        // fleet's own tokens (little-endian limit and page) are not Keel's
        assertThatThrownBy(() -> PageToken.decode("ZAACAA==")).isInstanceOf(ApiException.class);
    }
}
