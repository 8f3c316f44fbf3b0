package dev.bpfglobals.exporter;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * {@code tls_server_config} of a {@link WebConfig}: the JDK's TLS with the certificate and key of
 * PEM files, the protocol versions allowed, and whether a client certificate is asked for.
 *
 * <p>{@code client_auth_type} takes the toolkit's names: {@code NoClientCert} (default),
 * {@code RequestClientCert} and {@code RequireAnyClientCert} (a certificate asked for, or required,
 * and not verified), {@code VerifyClientCertIfGiven} and {@code RequireAndVerifyClientCert}
 * (verified against {@code client_ca_file}).
 */
final class TlsServerConfig {

    private static final List<String> KEYS = List.of("cert_file", "key_file", "client_auth_type", "client_ca_file",
            "min_version", "max_version");
    private static final List<String> VERSIONS = List.of("TLS12", "TLS13");

    private enum ClientAuth { NONE, WANT, NEED }

    private final SSLContext context;
    private final List<String> protocols;
    private final ClientAuth clientAuth;

    private TlsServerConfig(SSLContext context, List<String> protocols, ClientAuth clientAuth) {
        this.context = context;
        this.protocols = protocols;
        this.clientAuth = clientAuth;
    }

    static TlsServerConfig of(Map<String, Object> settings, Path directory) {
        WebConfig.checkKeys(settings, KEYS, "tls_server_config.");
        Path certFile = file(settings, "cert_file", directory, true);
        Path keyFile = file(settings, "key_file", directory, true);
        Path caFile = file(settings, "client_ca_file", directory, false);
        int min = version(settings, "min_version", 0);
        int max = version(settings, "max_version", VERSIONS.size() - 1);
        if (min > max) {
            throw new IllegalArgumentException("tls_server_config.min_version " + VERSIONS.get(min) + " is above max_version "
                    + VERSIONS.get(max));
        }
        String authType = text(settings, "client_auth_type", "NoClientCert");
        boolean verify = authType.equals("VerifyClientCertIfGiven") || authType.equals("RequireAndVerifyClientCert");
        ClientAuth clientAuth = switch (authType) {
            case "NoClientCert" -> ClientAuth.NONE;
            case "RequestClientCert", "VerifyClientCertIfGiven" -> ClientAuth.WANT;
            case "RequireAnyClientCert", "RequireAndVerifyClientCert" -> ClientAuth.NEED;
            default -> throw new IllegalArgumentException("tls_server_config.client_auth_type " + authType + " is not one of"
                    + " NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert");
        };
        if (verify && caFile == null) {
            throw new IllegalArgumentException("tls_server_config.client_auth_type " + authType + " needs client_ca_file");
        }
        if (!verify && caFile != null) {
            throw new IllegalArgumentException("tls_server_config.client_ca_file is given but client_auth_type " + authType
                    + " verifies no client certificate; use VerifyClientCertIfGiven or RequireAndVerifyClientCert");
        }
        List<X509Certificate> chain = PemFiles.certificates(certFile, "tls_server_config.cert_file");
        String algorithm = chain.getFirst().getPublicKey().getAlgorithm();
        PrivateKey key = PemFiles.privateKey(keyFile, algorithm, "tls_server_config.key_file");
        if (!PemFiles.signs(key, chain.getFirst())) {
            throw new IllegalArgumentException("tls_server_config.key_file " + keyFile + " is not the key of cert_file " + certFile);
        }
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", key, new char[0], chain.toArray(X509Certificate[]::new));
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, new char[0]);
            TrustManager[] trust = null;
            if (verify) {
                KeyStore cas = KeyStore.getInstance("PKCS12");
                cas.load(null, null);
                int i = 0;
                for (X509Certificate ca : PemFiles.certificates(caFile, "tls_server_config.client_ca_file")) {
                    cas.setCertificateEntry("ca" + i++, ca);
                }
                TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trustManagers.init(cas);
                trust = trustManagers.getTrustManagers();
            } else if (clientAuth != ClientAuth.NONE) {
                trust = new TrustManager[] {new AnyClientCertificate()};
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trust, null);
            List<String> protocols = VERSIONS.subList(min, max + 1).stream()
                    .map(v -> v.equals("TLS12") ? "TLSv1.2" : "TLSv1.3").toList();
            return new TlsServerConfig(context, protocols, clientAuth);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("tls_server_config: the certificate and key cannot be used: " + e.getMessage());
        }
    }

    /** The protocols enabled, such as {@code TLSv1.2}. */
    List<String> protocols() {
        return protocols;
    }

    /** A server-side engine for one connection. */
    SSLEngine newEngine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setEnabledProtocols(protocols.toArray(String[]::new));
        switch (clientAuth) {
            case WANT -> engine.setWantClientAuth(true);
            case NEED -> engine.setNeedClientAuth(true);
            case NONE -> { }
        }
        return engine;
    }

    private static Path file(Map<String, Object> settings, String key, Path directory, boolean required) {
        Object value = settings.get(key);
        if (value == null) {
            if (required) {
                throw new IllegalArgumentException("tls_server_config." + key + " is missing");
            }
            return null;
        }
        if (!(value instanceof String name) || name.isEmpty()) {
            throw new IllegalArgumentException("tls_server_config." + key + " must be a file name, not " + WebConfig.describe(value));
        }
        return directory == null ? Path.of(name) : directory.resolve(name);
    }

    private static int version(Map<String, Object> settings, String key, int otherwise) {
        String value = text(settings, key, null);
        if (value == null) {
            return otherwise;
        }
        int index = VERSIONS.indexOf(value);
        if (index < 0) {
            throw new IllegalArgumentException("tls_server_config." + key + " " + value + " is not one of " + String.join(", ", VERSIONS)
                    + (value.equals("TLS10") || value.equals("TLS11") ? " (the JDK disables TLS 1.0 and 1.1)" : ""));
        }
        return index;
    }

    private static String text(Map<String, Object> settings, String key, String otherwise) {
        Object value = settings.get(key);
        if (value == null) {
            return otherwise;
        }
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException("tls_server_config." + key + " must be a string, not " + WebConfig.describe(value));
        }
        return text;
    }

    /** RequestClientCert and RequireAnyClientCert: a certificate is asked for and taken as it is, as the toolkit does. */
    private static final class AnyClientCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // Not verified: that is what these two modes mean (the Verify* modes use client_ca_file).
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("a server does not check servers");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
