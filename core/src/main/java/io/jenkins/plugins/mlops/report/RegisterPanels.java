package io.jenkins.plugins.mlops.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.result.Json;
import io.jenkins.plugins.mlops.result.StepResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The registration's panel: which version, where, its aliases and its lineage tags. Rendered from
 * the result's JSON ({@code register.json}, schema {@code mlops.register/v1}), the same thing the
 * build page and other tools read, so {@code report} needs no type of the registry package.
 */
public final class RegisterPanels {
    static final String SCHEMA = "mlops.register/v1";

    private RegisterPanels() {}

    public static String version(StepResult result) {
        if (!SCHEMA.equals(result.schema())) {
            throw new IllegalArgumentException("not a registration result: " + result.schema());
        }
        JsonNode json = Json.mapper().valueToTree(result);
        StringBuilder html = new StringBuilder("<section class=\"panel register-version\">\n<h2>Model version</h2>\n");
        if (json.path("version").isNull() || json.path("version").isMissingNode()) {
            html.append("<p class=\"note\">Nothing was registered.</p>\n");
        } else {
            List<String> aliases = new ArrayList<>();
            json.path("aliases").forEach(alias -> aliases.add(alias.asText()));
            html.append("<table>\n<tbody>\n");
            row(html, "Model", json.path("name").asText());
            row(html, "Version", json.path("version").asText()
                    + (json.path("created").asBoolean() ? " (new)" : " (already registered by this build)"));
            row(html, "Aliases", aliases.isEmpty() ? "none" : String.join(", ", aliases));
            row(html, "Source", json.path("source").asText(""));
            row(html, "Run", json.path("run_id").isTextual() ? json.path("run_id").asText() : "none");
            row(html, "Registry", json.path("registry").asText(""));
            html.append("</tbody>\n</table>\n");
        }
        html.append("<h2>Tags</h2>\n<table>\n<thead><tr><th>Tag</th><th>Value</th></tr></thead>\n<tbody>\n");
        json.path("tags").fields().forEachRemaining(tag -> html.append("<tr><td>").append(Html.escape(tag.getKey()))
                .append("</td><td>").append(Html.escape(tag.getValue().asText())).append("</td></tr>\n"));
        return html.append("</tbody>\n</table>\n</section>").toString();
    }

    private static void row(StringBuilder html, String label, String value) {
        html.append("<tr><th>").append(Html.escape(label)).append("</th><td>").append(Html.escape(value)).append("</td></tr>\n");
    }
}
