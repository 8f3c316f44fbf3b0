package dev.bpfglobals.exporter;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * {@code basic_auth_users} of a {@link WebConfig}: user names with bcrypt hashes ({@code $2a$},
 * {@code $2b$} or {@code $2y$}, as {@code htpasswd -B} makes them), checked against a request's
 * {@code Authorization: Basic} header by at.favre.lib's bcrypt.
 *
 * <p>bcrypt is slow on purpose (cost 10 takes tens of milliseconds), and Prometheus sends the same
 * credentials every scrape, so, as the exporter-toolkit does, a pair that was verified is
 * remembered (as a SHA-256 of user and password, never the password) and the next scrape with it
 * costs a hash lookup. At most {@value #REMEMBERED} pairs are remembered. An unknown user is
 * checked against a fixed hash all the same, so that the answer takes as long as for a known one.
 */
final class BasicAuthUsers {

    private static final Pattern HASH = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");
    private static final int REMEMBERED = 64;
    /** Checked for an unknown user: a valid cost-10 hash of nothing anyone sends. */
    private static final String DECOY = "$2y$10$Q7bX1c9v0mZt3Kp8aLr2HemFbTr0gSsX9w8ECNadYC5BOUMx/zHA2";

    private final Map<String, byte[]> hashes;
    private final Set<String> verified = ConcurrentHashMap.newKeySet();

    /** {@code secret} at cost 4, made by libxcrypt: checked once at start (see the constructor). */
    private static final String SELF_TEST = "$2y$04$Q7bX1c9v0mZt3Kp8aLr2Hebh9fcyVk/j3ur4QTjgQKuJu.RWgpgc2";

    private BasicAuthUsers(Map<String, byte[]> hashes) {
        this.hashes = hashes;
        // One cheap check at start: the bcrypt library agrees with libxcrypt, and its classes are loaded while
        // the class path is readable (the exporter may give up root before the first request).
        if (!BCrypt.verifyer().verify("secret".getBytes(StandardCharsets.UTF_8), SELF_TEST.getBytes(StandardCharsets.US_ASCII)).verified) {
            throw new IllegalStateException("bcrypt self-test failed: the bcrypt library does not verify a known hash");
        }
    }

    /** The users of {@code hashes} (user to bcrypt hash); refuses a hash that is not bcrypt, naming its user. */
    static BasicAuthUsers of(Map<String, String> hashes) {
        Map<String, byte[]> checked = new ConcurrentHashMap<>();
        hashes.forEach((user, hash) -> {
            var matcher = HASH.matcher(hash);
            if (!matcher.matches()) {
                throw new IllegalArgumentException("basic_auth_users." + user + " is not a bcrypt hash ($2a$, $2b$ or $2y$, cost,"
                        + " 53 characters of salt and hash; make one with htpasswd -nBC 10 " + user + ")");
            }
            int cost = Integer.parseInt(matcher.group(1));
            if (cost < 4 || cost > 31) {
                throw new IllegalArgumentException("basic_auth_users." + user + " has bcrypt cost " + cost + "; bcrypt's is 4 to 31");
            }
            if (user.contains(":")) {
                throw new IllegalArgumentException("basic_auth_users: user '" + user + "' has a ':', which Basic auth cannot send");
            }
            checked.put(user, hash.getBytes(StandardCharsets.US_ASCII));
        });
        return new BasicAuthUsers(Map.copyOf(checked));
    }

    /** How many users there are. */
    int count() {
        return hashes.size();
    }

    /** Whether {@code authorization} (the header's value, or null) names a user and the password its hash is of. */
    boolean allows(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String pair;
        try {
            pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = pair.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String user = pair.substring(0, colon);
        byte[] password = pair.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
        String remembered = digest(pair);
        byte[] hash = hashes.get(user);
        if (hash != null && verified.contains(remembered)) {
            return true;
        }
        boolean ok;
        try {
            ok = BCrypt.verifyer().verify(password, hash != null ? hash : DECOY.getBytes(StandardCharsets.US_ASCII)).verified
                    && hash != null;
        } catch (IllegalArgumentException tooLong) {
            ok = false; // bcrypt reads 72 bytes of a password; a longer one is refused rather than cut, as Go's bcrypt does
        }
        if (ok) {
            if (verified.size() >= REMEMBERED) {
                verified.clear(); // a few scrapers send a few pairs; one that sends many only loses the shortcut
            }
            verified.add(remembered);
        }
        return ok;
    }

    private static String digest(String pair) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(pair.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
