package dev.bpfglobals.exporter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A web configuration file in the Prometheus exporter-toolkit's format (node_exporter's
 * {@code --web.config.file}): {@code tls_server_config} makes {@link MetricsServer} serve HTTPS,
 * {@code basic_auth_users} makes it ask for a user and password (bcrypt hashes). Read once, when the
 * server starts. A key this server does not implement, or a value it cannot use, is refused with
 * one line naming it, never ignored: a setting that silently did nothing would be a hole.
 *
 * <pre>
 * tls_server_config:
 *   cert_file: server.crt       # PEM: the certificate, then its chain
 *   key_file: server.key        # PEM: unencrypted PKCS#8 (RSA, EC or Ed25519)
 *   min_version: TLS12          # TLS12 (default) or TLS13; max_version likewise
 *   client_auth_type: RequireAndVerifyClientCert   # with client_ca_file
 * basic_auth_users:
 *   prometheus: $2y$10$...       # bcrypt ($2a$, $2b$ or $2y$)
 * </pre>
 *
 * Relative file names are resolved against the configuration file's directory, as the toolkit does.
 */
public final class WebConfig {

    private static final List<String> TOP_LEVEL = List.of("tls_server_config", "basic_auth_users");

    /** Largest configuration file read; real ones are a few hundred bytes. */
    private static final long MAX_BYTES = 1 << 20;

    private final TlsServerConfig tls;
    private final BasicAuthUsers users;

    private WebConfig(TlsServerConfig tls, BasicAuthUsers users) {
        this.tls = tls;
        this.users = users;
    }

    /**
     * No TLS and no auth: what the server does without a configuration file.
     *
     * @return plain HTTP, no auth
     */
    public static WebConfig none() {
        return new WebConfig(null, null);
    }

    /**
     * Reads {@code file}.
     *
     * @param file the YAML file
     * @return its settings, certificates and keys loaded
     * @throws IllegalArgumentException one line naming the file and the key or value at fault
     */
    public static WebConfig read(Path file) {
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IllegalArgumentException("web config " + file + " is over " + MAX_BYTES + " bytes");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read web config " + file + ": " + e.getMessage());
        }
        Path directory = file.toAbsolutePath().getParent();
        try {
            return parse(text, directory);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("web config " + file + ": " + e.getMessage());
        }
    }

    /**
     * Parses the YAML {@code text}, resolving relative file names against {@code directory}.
     *
     * @param text      the configuration
     * @param directory where relative {@code cert_file}, {@code key_file} and {@code client_ca_file} are
     * @return its settings
     * @throws IllegalArgumentException one line naming the key or value at fault
     */
    public static WebConfig parse(String text, Path directory) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        Object root;
        try {
            root = new Yaml(new SafeConstructor(options)).load(text);
        } catch (YAMLException e) {
            throw new IllegalArgumentException("not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null) {
            return new WebConfig(null, null); // an empty file: plain HTTP, no auth, as the toolkit reads it
        }
        Map<String, Object> top = mapping(root, "the file");
        checkKeys(top, TOP_LEVEL, "");
        TlsServerConfig tls = top.get("tls_server_config") == null ? null
                : TlsServerConfig.of(mapping(top.get("tls_server_config"), "tls_server_config"), directory);
        BasicAuthUsers users = top.get("basic_auth_users") == null ? null
                : BasicAuthUsers.of(strings(mapping(top.get("basic_auth_users"), "basic_auth_users"), "basic_auth_users"));
        return new WebConfig(tls, users);
    }

    /**
     * Whether connections are TLS.
     *
     * @return true with a {@code tls_server_config}
     */
    public boolean usesTls() {
        return tls != null;
    }

    /** The TLS settings, or empty for plain HTTP. */
    Optional<TlsServerConfig> tls() {
        return Optional.ofNullable(tls);
    }

    /** The users allowed in, or empty when no password is asked for. */
    Optional<BasicAuthUsers> users() {
        return Optional.ofNullable(users);
    }

    /**
     * What the file turns on, for a start-up line: {@code "TLS (TLSv1.2+), basic auth (1 user)"}.
     *
     * @return a short description, or {@code "plain HTTP, no auth"}
     */
    public String describe() {
        String transport = tls == null ? "plain HTTP" : "TLS (" + String.join(", ", tls.protocols()) + ")";
        String auth = users == null ? "no auth" : "basic auth (" + users.count() + (users.count() == 1 ? " user)" : " users)");
        return transport + ", " + auth;
    }

    /** {@code value} as a mapping with string keys, or a one-line refusal naming {@code where}. */
    static Map<String, Object> mapping(Object value, String where) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(where + " must be a mapping (key: value), not " + describe(value));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        map.forEach((key, item) -> {
            if (!(key instanceof String name)) {
                throw new IllegalArgumentException(where + " has a key that is not a string: " + key);
            }
            result.put(name, item);
        });
        return result;
    }

    /** Refuses any key of {@code map} not in {@code known}, naming it and the known ones. */
    static void checkKeys(Map<String, Object> map, List<String> known, String where) {
        for (String key : map.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("unknown or unsupported key '" + where + key + "'; known here: "
                        + String.join(", ", known));
            }
        }
    }

    private static Map<String, String> strings(Map<String, Object> map, String where) {
        Map<String, String> result = new LinkedHashMap<>();
        map.forEach((key, value) -> {
            if (!(value instanceof String text)) {
                throw new IllegalArgumentException(where + "." + key + " must be a string (a bcrypt hash), not " + describe(value));
            }
            result.put(key, text);
        });
        return result;
    }

    static String describe(Object value) {
        return value == null ? "nothing" : value instanceof Map ? "a mapping" : value instanceof List ? "a list"
                : value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + value;
    }
}
