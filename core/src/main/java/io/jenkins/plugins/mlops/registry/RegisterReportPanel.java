package io.jenkins.plugins.mlops.registry;

import io.jenkins.plugins.mlops.report.Html;
import java.util.Map;

/**
 * The registration's panel on the report page: which version, where, its aliases and its
 * lineage tags. It lives here, not in {@code report}, because {@code report} must not depend on
 * the registry package (ArchitectureTest); it renders the result only.
 */
public final class RegisterReportPanel {
    private RegisterReportPanel() {}

    public static String render(RegisterResult result) {
        StringBuilder html = new StringBuilder("<section class=\"panel register-version\">\n<h2>Model version</h2>\n");
        if (result.version() == null) {
            html.append("<p class=\"note\">Nothing was registered.</p>\n");
        } else {
            html.append("<table>\n<tbody>\n");
            row(html, "Model", result.name());
            row(html, "Version", result.version() + (result.created() ? " (new)" : " (already registered by this build)"));
            row(html, "Aliases", result.aliases().isEmpty() ? "none" : String.join(", ", result.aliases()));
            row(html, "Source", result.source());
            row(html, "Run", result.runId() == null ? "none" : result.runId());
            row(html, "Registry", result.registry());
            html.append("</tbody>\n</table>\n");
        }
        html.append("<h2>Tags</h2>\n<table>\n<thead><tr><th>Tag</th><th>Value</th></tr></thead>\n<tbody>\n");
        for (Map.Entry<String, String> tag : result.tags().entrySet()) {
            html.append("<tr><td>").append(Html.escape(tag.getKey())).append("</td><td>")
                    .append(Html.escape(tag.getValue())).append("</td></tr>\n");
        }
        return html.append("</tbody>\n</table>\n</section>").toString();
    }

    private static void row(StringBuilder html, String label, String value) {
        html.append("<tr><th>").append(Html.escape(label)).append("</th><td>").append(Html.escape(value)).append("</td></tr>\n");
    }
}
