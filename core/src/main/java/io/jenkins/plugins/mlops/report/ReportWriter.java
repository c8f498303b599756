package io.jenkins.plugins.mlops.report;

import io.jenkins.plugins.mlops.io.AtomicFiles;
import io.jenkins.plugins.mlops.io.Redaction;
import io.jenkins.plugins.mlops.result.Json;
import io.jenkins.plugins.mlops.result.StepResult;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a step's report files into a directory: {@code NAME.json} (the result itself),
 * {@code NAME-junit.xml}, {@code NAME.html} and the shared stylesheet. Each file is written
 * atomically; the JSON goes last, so its presence means the set is complete. Nothing is
 * written unredacted (see {@link Redaction}).
 */
public final class ReportWriter {
    private ReportWriter() {}

    /**
     * @param baseName file name stem, e.g. {@code validation} or {@code gate}
     * @param title page title, e.g. "Data validation"
     * @param panels the step's own HTML panels (see {@link HtmlReport#render})
     * @return the path of the JSON result
     */
    public static Path write(Path dir, String baseName, StepResult result, String title, List<String> panels) {
        // The JSON is redacted string by string first: what the patterns catch there is then known
        // to Redaction, which masks it in the rendered HTML and XML without touching their markup.
        String json = Json.writeRedacted(result);
        AtomicFiles.write(dir.resolve(HtmlReport.STYLESHEET), HtmlReport.stylesheet());
        AtomicFiles.write(dir.resolve(baseName + "-junit.xml"), Redaction.redactKnown(JunitXmlWriter.render(result)));
        AtomicFiles.write(dir.resolve(baseName + ".html"), Redaction.redactKnown(HtmlReport.render(result, title, panels)));
        Path jsonFile = dir.resolve(baseName + ".json");
        AtomicFiles.write(jsonFile, json);
        return jsonFile;
    }
}
