package io.jenkins.plugins.mlops.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.SampleResult;
import io.jenkins.plugins.mlops.result.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ReportWriterTest {
    private final SampleResult result = SampleResult.of(
            Check.of("row_count", null, Status.PASS, 100, ">= 1", "enough rows"),
            Check.of("null_fraction", "age", Status.WARN, 0.2, "<= 0.1", "nulls <rising>"),
            Check.of("range", "income", Status.FAIL, "-5", ">= 0", "income \"negative\" & wrong"),
            Check.of("custom_sql", null, Status.ERROR, null, "0 rows", "query failed"));

    @Test
    void writesJsonJunitHtmlAndStylesheet(@TempDir Path dir) throws Exception {
        Path json = ReportWriter.write(dir, "sample", result, "Sample step", List.of("<section class=\"panel\">P</section>"));

        assertThat(json).isEqualTo(dir.resolve("sample.json"));
        assertThat(dir.resolve("sample.json")).content().contains("\"schema\" : \"mlops.sample/v1\"");
        assertThat(dir.resolve("sample-junit.xml")).exists();
        assertThat(dir.resolve("sample.html")).content().contains("<section class=\"panel\">P</section>");
        assertThat(dir.resolve(HtmlReport.STYLESHEET)).content().contains(".badge");
    }

    @Test
    void junitHasOneCasePerCheckWithFailuresAndErrors(@TempDir Path dir) throws Exception {
        ReportWriter.write(dir, "sample", result, "Sample", List.of());
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(dir.resolve("sample-junit.xml").toFile());

        Element suite = xml.getDocumentElement();
        assertThat(suite.getAttribute("tests")).isEqualTo("4");
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        assertThat(suite.getAttribute("errors")).isEqualTo("1");
        NodeList cases = suite.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(4);
        Element failed = (Element) cases.item(2);
        assertThat(failed.getAttribute("classname")).isEqualTo("mlops.sampleStep.income");
        Element failure = (Element) failed.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).isEqualTo("income \"negative\" & wrong");
        assertThat(((Element) cases.item(0)).getElementsByTagName("failure").getLength()).isZero();
    }

    @Test
    void htmlEscapesDataAndCarriesNoScriptOrInlineStyle(@TempDir Path dir) throws Exception {
        ReportWriter.write(dir, "sample", result, "Sample", List.of());
        String html = Files.readString(dir.resolve("sample.html"));

        assertThat(html).contains("Sample &lt;summary&gt; &amp; more", "nulls &lt;rising&gt;");
        assertThat(html).doesNotContain("<script", "style=", "<style", "http://", "https://");
    }

    @Test
    void numbersReadAsPeopleWriteThem() {
        assertThat(Html.number(3)).isEqualTo("3");
        assertThat(Html.number(0.25)).isEqualTo("0.25");
        assertThat(Html.number(1.0 / 3)).isEqualTo("0.3333");
        assertThat(Html.number(1.5e-7)).isEqualTo("1.500e-07");
        assertThat(Html.number(Double.NaN)).isEqualTo("NaN");
    }
}
