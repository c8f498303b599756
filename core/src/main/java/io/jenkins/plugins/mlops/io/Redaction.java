package io.jenkins.plugins.mlops.io;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that removes secrets from what mlops prints or writes, whatever their source: a
 * server's error body, a URL, a training command line, an exception, a log line. Reports are
 * archived and build logs are public to everyone who can read the job, and Jenkins masks only
 * the exact values it bound itself, not their Base64 or URL-encoded forms.
 *
 * <p>Two layers. <b>Known values</b> (the registry token and password, the values of secret
 * environment variables, every value a pattern below caught once) are replaced in every form a
 * message can carry them: as they are, URL-encoded, JSON- and HTML-escaped, Base64 (standard and
 * URL-safe, at any alignment inside a longer Base64 text), and Basic-auth {@code user:password}.
 * <b>Patterns</b> catch secrets nobody declared: {@code Bearer}/{@code Basic} credentials, a
 * password in a URL, secret-named URL query parameters, {@code --token X}/{@code --password=X}
 * options and {@code TOKEN=X} assignments inside any text (a {@code sh -c '...'} script too).
 * A value a pattern caught is remembered, so the same token echoed later in a log is masked too.
 *
 * <p>Process-wide on purpose: a secret learnt anywhere must be masked everywhere. Values shorter
 * than {@value #SHORTEST_SECRET} characters are not remembered (they would mask ordinary words).
 */
public final class Redaction {
    public static final String MASK = "****";
    static final int SHORTEST_SECRET = 4;
    /** A Base64 fragment shorter than this matches ordinary text too often to be masked on its own. */
    private static final int SHORTEST_BASE64_CORE = 8;

    private static final String SECRET_WORD = "(?:token|password|passwd|pwd|secret|api[-_]?key|access[-_]?key|private[-_]?key"
            + "|credentials?|auth)";
    /** A value as it appears in plain text; stops at quotes, markup and escapes, so JSON, HTML and XML stay well formed. */
    private static final String VALUE = "[^\\s\"'<>&\\\\,;]+";

    // Each pattern has three groups: what stays before the secret, the secret, what stays after it.
    private static final Pattern BEARER = Pattern.compile(
            "(?i)(\\bBearer\\s+)([A-Za-z0-9._~+/=-]*[0-9._~+/=-][A-Za-z0-9._~+/=-]*)()");
    private static final Pattern BASIC = Pattern.compile("(?i)(\\bBasic\\s+)([A-Za-z0-9+/]{6,}={0,2})()");
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://[^/\\s:@\"'<>]+:)([^@\\s/\"'<>]+)(@)");
    private static final Pattern QUERY_SECRET = Pattern.compile(
            "(?i)([?&][\\w.-]*(?:" + SECRET_WORD + "|key|sig|signature|session)[\\w.-]*=)([^&#\\s\"'<>]+)()");
    private static final Pattern OPTION_SECRET = Pattern.compile(
            "(?i)((?<![\\w-])--?[\\w.-]*" + SECRET_WORD + "[\\w.-]*(?:=|\\s+))(?!-)(" + VALUE + ")()");
    private static final Pattern ASSIGNED_SECRET = Pattern.compile(
            "(?i)((?<![\\w.-])[A-Za-z_][A-Za-z0-9_]*" + SECRET_WORD + "[A-Za-z0-9_]*=)(" + VALUE + ")()");
    private static final List<Pattern> PATTERNS = List.of(BEARER, BASIC, URL_PASSWORD, QUERY_SECRET, OPTION_SECRET, ASSIGNED_SECRET);
    /** {@code --token X} as two arguments, or {@code --token=X} as one. */
    private static final Pattern SECRET_ARGUMENT = Pattern.compile("(?i)^(--?[\\w.-]*" + SECRET_WORD + "[\\w.-]*)(=.*)?$");
    /** Environment variables whose values are secrets by their name, e.g. {@code MLFLOW_TRACKING_TOKEN}, {@code AWS_SECRET_ACCESS_KEY}. */
    private static final Pattern SECRET_VARIABLE = Pattern.compile(
            "(?i).*(?:token|password|passwd|secret|api_?key|access_?key|private_?key|credentials?).*");

    private static final Set<String> VALUES = ConcurrentHashMap.newKeySet();
    /** Every form of every known value, longest first so that a longer form is masked before a shorter one inside it. */
    private static volatile List<String> forms = List.of();

    private Redaction() {}

    /** Remembers a secret value; null, blank and too short values are ignored. */
    public static void remember(String secret) {
        if (secret == null || secret.strip().length() < SHORTEST_SECRET || MASK.equals(secret) || !VALUES.add(secret)) {
            return;
        }
        Set<String> all = new LinkedHashSet<>(forms);
        all.addAll(formsOf(secret));
        forms = all.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /** Remembers a Basic-auth pair: the password, and {@code user:password} with its Base64, as an Authorization header carries it. */
    public static void rememberBasicAuth(String user, String password) {
        remember(password);
        if (user != null && password != null && password.strip().length() >= SHORTEST_SECRET) {
            remember(user + ":" + password);
        }
    }

    /** Remembers the values of environment variables whose names say they are secrets. */
    public static void rememberEnvironment(Map<String, String> environment) {
        environment.forEach((name, value) -> {
            if (SECRET_VARIABLE.matcher(name).matches()) {
                remember(value);
            }
        });
    }

    /** The text with every known secret and every secret-looking value masked. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = text;
        for (Pattern pattern : PATTERNS) {
            masked = maskValues(pattern, masked);
        }
        return redactKnown(masked);
    }

    /**
     * Only the known values, in every form: for text whose syntax a pattern must not touch
     * (rendered HTML, XML), after {@link #redact} has seen the strings it was rendered from.
     */
    public static String redactKnown(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = text;
        for (String form : forms) {
            if (masked.contains(form)) {
                masked = masked.replace(form, MASK);
            }
        }
        return masked;
    }

    /**
     * A command line to print or record: the value after a secret-named option ({@code --token X},
     * {@code --api-key=X}), a secret assignment ({@code env TOKEN=X}) and every secret inside an
     * argument ({@code sh -c '... --password X'}) are masked, and remembered.
     */
    public static List<String> redactCommand(List<String> command) {
        List<String> out = new ArrayList<>(command.size());
        boolean maskNext = false;
        for (String argument : command) {
            if (maskNext) {
                maskNext = false;
                if (!argument.startsWith("-")) {
                    remember(argument);
                    out.add(MASK);
                    continue;
                }
            }
            Matcher option = SECRET_ARGUMENT.matcher(argument);
            if (option.matches()) {
                if (option.group(2) != null) {
                    remember(option.group(2).substring(1));
                    out.add(option.group(1) + "=" + MASK);
                } else {
                    out.add(argument);
                    maskNext = true;
                }
                continue;
            }
            out.add(redact(argument));
        }
        return out;
    }

    /** Replaces group 2 of each match by the mask; remembers it where it looks like a secret rather than a word. */
    private static String maskValues(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = m.group(2);
            if (pattern == BASIC && !decodesToPair(value)) {
                m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
                continue;
            }
            if (looksLikeSecret(value)) {
                remember(value);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + MASK + m.group(3)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * A caught value that is remembered and masked everywhere after: a placeholder such as
     * {@code TOKEN} in {@code --token TOKEN} must not turn every "TOKEN" in later output into a mask.
     */
    private static boolean looksLikeSecret(String value) {
        return !MASK.equals(value) && (value.length() >= 16
                || value.length() >= 6 && value.chars().anyMatch(c -> !Character.isLetter(c)));
    }

    /** "Basic" followed by the Base64 of {@code user:password}, not the word "Basic authentication". */
    private static boolean decodesToPair(String value) {
        try {
            return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8).contains(":");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The value as it is, URL-encoded, JSON- and HTML-escaped, and in Base64 at each alignment. */
    static Set<String> formsOf(String secret) {
        Set<String> all = new LinkedHashSet<>();
        all.add(secret);
        all.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        all.add(URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20"));
        all.add(jsonEscaped(secret));
        all.add(htmlEscaped(secret));
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        for (Base64.Encoder encoder : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
            all.add(encoder.encodeToString(bytes));
            all.add(encoder.withoutPadding().encodeToString(bytes));
            for (int offset = 0; offset < 3; offset++) {
                String core = base64Core(encoder.withoutPadding(), bytes, offset);
                if (core.length() >= SHORTEST_BASE64_CORE) {
                    all.add(core);
                }
            }
        }
        all.removeIf(form -> form.length() < SHORTEST_SECRET);
        return all;
    }

    /**
     * The Base64 characters that depend on the secret's bytes only, when the secret starts
     * {@code offset} bytes into a longer encoded text (as the password does in {@code user:password}):
     * characters that mix in a neighbour's bits are dropped at both ends.
     */
    private static String base64Core(Base64.Encoder encoder, byte[] secret, int offset) {
        byte[] shifted = new byte[offset + secret.length];
        System.arraycopy(secret, 0, shifted, offset, secret.length);
        String encoded = encoder.encodeToString(shifted);
        int skip = switch (offset) {
            case 1 -> 2;
            case 2 -> 3;
            default -> 0;
        };
        int end = encoded.length() - (shifted.length % 3 == 0 ? 0 : 1);
        return skip >= end ? "" : encoded.substring(skip, end);
    }

    private static String jsonEscaped(String value) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.toString();
    }

    private static String htmlEscaped(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
