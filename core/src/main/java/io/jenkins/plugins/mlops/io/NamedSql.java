package io.jenkins.plugins.mlops.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns named parameters ({@code :start}) in a user's SQL into JDBC's {@code ?} and records their
 * order, skipping string literals, quoted identifiers, comments and PostgreSQL's {@code ::} casts,
 * so that a value is always bound, never spliced into the text. Shared by the canary's SQL metrics
 * and {@code ingest}.
 *
 * @param names the parameter of each {@code ?}, in order (a name used twice is listed twice)
 */
public record NamedSql(String sql, List<String> names) {

    /**
     * @param known the names the caller binds; a name outside them is bad input before anything runs
     * @param what what the query is, for the message, e.g. {@code --metric m}
     */
    public static NamedSql parse(String query, Set<String> known, String what) {
        StringBuilder sql = new StringBuilder(query.length());
        List<String> names = new ArrayList<>();
        int i = 0;
        int n = query.length();
        while (i < n) {
            char c = query.charAt(i);
            if (c == '\'' || c == '"') {
                int end = closing(query, i, c);
                sql.append(query, i, end);
                i = end;
            } else if (c == '-' && i + 1 < n && query.charAt(i + 1) == '-') {
                int end = query.indexOf('\n', i);
                end = end < 0 ? n : end;
                sql.append(query, i, end);
                i = end;
            } else if (c == '/' && i + 1 < n && query.charAt(i + 1) == '*') {
                int end = query.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                sql.append(query, i, end);
                i = end;
            } else if (c == ':' && i + 1 < n && query.charAt(i + 1) == ':') {
                sql.append("::");
                i += 2;
            } else if (c == ':' && i + 1 < n && Character.isJavaIdentifierStart(query.charAt(i + 1))) {
                int end = i + 1;
                while (end < n && Character.isJavaIdentifierPart(query.charAt(end))) {
                    end++;
                }
                String name = query.substring(i + 1, end);
                if (!known.contains(name)) {
                    throw new BadInputException(what + ": parameter :" + name + " is not bound ("
                            + (known.isEmpty() ? "none is" : String.join(", ", known.stream().sorted().map(k -> ":" + k).toList())
                            + (known.size() == 1 ? " is" : " are")) + ")");
                }
                names.add(name);
                sql.append('?');
                i = end;
            } else {
                sql.append(c);
                i++;
            }
        }
        return new NamedSql(sql.toString(), List.copyOf(names));
    }

    /** The index just past the literal opened at {@code start}; a doubled quote stays inside it. */
    private static int closing(String query, int start, char quote) {
        int i = start + 1;
        while (i < query.length()) {
            if (query.charAt(i) == quote) {
                if (i + 1 < query.length() && query.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return query.length();
    }
}
