package io.jenkins.plugins.mlops.deploy.judge;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.io.Serializable;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A business metric as the user gives it: {@code NAME[:higher|lower|either]=QUERY}. A query that
 * starts with {@code SELECT} or {@code WITH} is SQL over the prediction log; anything else is PromQL.
 */
public record BusinessMetric(String name, MetricDirection direction, Language language, String query)
        implements Serializable {

    public enum Language { SQL, PROMQL }

    private static final Pattern SPEC = Pattern.compile("([A-Za-z_][A-Za-z0-9_.-]*)(?::(higher|lower|either))?=(.+)", Pattern.DOTALL);
    private static final Pattern SQL_START = Pattern.compile("(?is)\\s*(select|with)\\b.*");

    public static BusinessMetric parse(String spec, String option) {
        Matcher m = SPEC.matcher(spec == null ? "" : spec.strip());
        if (!m.matches() || m.group(3).isBlank()) {
            throw new BadInputException(option + " '" + spec + "' is not NAME[:higher|lower|either]=QUERY, "
                    + "e.g. conversion:higher=SELECT f.outcome FROM mlops_predictions p JOIN mlops_feedback f ...");
        }
        MetricDirection direction = m.group(2) == null ? MetricDirection.EITHER
                : MetricDirection.valueOf(m.group(2).toUpperCase(Locale.ROOT));
        String query = m.group(3).strip();
        return new BusinessMetric(m.group(1), direction, SQL_START.matcher(query).matches() ? Language.SQL : Language.PROMQL, query);
    }
}
