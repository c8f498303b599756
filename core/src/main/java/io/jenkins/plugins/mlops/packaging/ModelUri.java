package io.jenkins.plugins.mlops.packaging;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.io.Serializable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The model to package, as MLflow names models: {@code models:/NAME@ALIAS},
 * {@code models:/NAME/VERSION}, {@code runs:/RUN_ID/PATH}, or a directory holding an
 * {@code MLmodel} file.
 *
 * @param text as given
 * @param name the registered model's name ({@code models:/} only)
 * @param alias the alias ({@code models:/NAME@ALIAS} only)
 * @param version the version ({@code models:/NAME/VERSION} only)
 */
public record ModelUri(String text, String name, String alias, Integer version) implements Serializable {
    private static final Pattern REGISTERED = Pattern.compile("models:/([^/@]+)(?:@([\\w-]+)|/(\\d+))");
    private static final Pattern RUN = Pattern.compile("runs:/[0-9a-zA-Z]+(/.+)?");

    public static ModelUri parse(String text) {
        if (text == null || text.isBlank()) {
            throw new BadInputException("model: no model given (models:/NAME@ALIAS, models:/NAME/VERSION, runs:/RUN/PATH or a directory)");
        }
        String uri = text.strip();
        if (uri.startsWith("models:")) {
            Matcher m = REGISTERED.matcher(uri);
            if (!m.matches()) {
                throw new BadInputException("model: '" + uri + "' is not a registered model URI: use models:/NAME@ALIAS or"
                        + " models:/NAME/VERSION");
            }
            return new ModelUri(uri, m.group(1), m.group(2), m.group(3) == null ? null : Integer.valueOf(m.group(3)));
        }
        if (uri.startsWith("runs:") && !RUN.matcher(uri).matches()) {
            throw new BadInputException("model: '" + uri + "' is not a run URI: use runs:/RUN_ID/PATH");
        }
        return new ModelUri(uri, null, null, null);
    }

    public boolean registered() {
        return name != null;
    }

    public boolean run() {
        return text.startsWith("runs:/");
    }
}
