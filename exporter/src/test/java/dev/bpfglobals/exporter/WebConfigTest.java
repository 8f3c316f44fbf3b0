package dev.bpfglobals.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link WebConfig}'s reading of node_exporter's format: what it refuses, naming it, and bcrypt checked against known hashes. */
class WebConfigTest {

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anUnknownTopLevelKeyIsRefusedNamingIt() {
        assertThatThrownBy(() -> WebConfig.parse("http_server_config:\n  http2: false\n", Path.of(".")))
                .hasMessage("unknown or unsupported key 'http_server_config'; known here: tls_server_config, basic_auth_users");
    }

    @Test
    void anUnsupportedTlsKeyIsRefusedNamingIt() {
        assertThatThrownBy(() -> WebConfig.parse("tls_server_config:\n  cert_file: a\n  key_file: b\n  cipher_suites: [x]\n",
                Path.of("."))).hasMessageStartingWith("unknown or unsupported key 'tls_server_config.cipher_suites'");
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> WebConfig.parse("tls_server_config:\n  key_file: b\n", Path.of(".")))
                .hasMessage("tls_server_config.cert_file is missing");
        assertThatThrownBy(() -> WebConfig.parse("tls_server_config:\n  cert_file: a\n  key_file: b\n  min_version: TLS11\n",
                Path.of("."))).hasMessageContaining("tls_server_config.min_version TLS11 is not one of TLS12, TLS13");
        assertThatThrownBy(() -> WebConfig.parse("tls_server_config:\n  cert_file: a\n  key_file: b\n"
                + "  client_auth_type: RequireAndVerifyClientCert\n", Path.of(".")))
                .hasMessage("tls_server_config.client_auth_type RequireAndVerifyClientCert needs client_ca_file");
        assertThatThrownBy(() -> WebConfig.parse("basic_auth_users:\n  alice: hunter2\n", Path.of(".")))
                .hasMessageStartingWith("basic_auth_users.alice is not a bcrypt hash");
        assertThatThrownBy(() -> WebConfig.parse("basic_auth_users: [alice]\n", Path.of(".")))
                .hasMessage("basic_auth_users must be a mapping (key: value), not a list");
        assertThatThrownBy(() -> WebConfig.parse("basic_auth_users:\n  a: x\n  a: y\n", Path.of(".")))
                .hasMessageStartingWith("not valid YAML");
    }

    @Test
    void aMissingCertificateFileIsNamed() {
        assertThatThrownBy(() -> WebConfig.parse("tls_server_config:\n  cert_file: nowhere.crt\n  key_file: nowhere.key\n",
                Path.of("/nonexistent"))).hasMessageStartingWith("cannot read tls_server_config.cert_file /nonexistent/nowhere.crt");
    }

    @Test
    void bcryptHashesOfEachPrefixAreCheckedAgainstTheirPasswords() {
        // Made by libxcrypt (glibc's crypt), the U*U one OpenBSD's own test vector.
        BasicAuthUsers users = BasicAuthUsers.of(Map.of(
                "b", "$2b$05$abcdefghijklmnopqrstuuoXuKqgZXLiJqzfmMXDDhSFPIvxV7t8.",
                "y", "$2y$06$ABCDEFGHIJKLMNOPQRSTUujATISPdfutBq6k9MxHQBQEfnfqCakQC",
                "a", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"));

        assertThat(users.allows(basic("b", "hunter2"))).isTrue();
        assertThat(users.allows(basic("y", "hunter2"))).isTrue();
        assertThat(users.allows(basic("a", "U*U"))).isTrue();
        assertThat(users.allows(basic("a", "U*V"))).isFalse();
        assertThat(users.allows(basic("b", "hunter3"))).isFalse();
        assertThat(users.allows(basic("c", "hunter2"))).isFalse();
        assertThat(users.allows(basic("b", "x".repeat(100)))).isFalse();
        assertThat(users.allows("Bearer abc")).isFalse();
        assertThat(users.allows(null)).isFalse();
        assertThat(users.allows("Basic !!!")).isFalse();
    }

    @Test
    void anEmptyFileIsPlainHttpWithoutAuth() {
        WebConfig config = WebConfig.parse("", Path.of("."));

        assertThat(config.tls()).isEmpty();
        assertThat(config.users()).isEmpty();
        assertThat(config.describe()).isEqualTo("plain HTTP, no auth");
    }
}
