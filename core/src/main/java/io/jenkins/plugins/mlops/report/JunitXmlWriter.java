package io.jenkins.plugins.mlops.report;

import io.jenkins.plugins.mlops.io.XmlDocuments;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.result.StepResult;
import java.util.Locale;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Renders the checks of any step as JUnit XML, one test case per check, so that Jenkins'
 * {@code junit} step and any CI server list them. FAIL becomes a failure, ERROR an error; a WARN
 * passes and carries its message in system-out.
 */
public final class JunitXmlWriter {
    private JunitXmlWriter() {}

    public static String render(StepResult result) {
        long failures = result.checks().stream().filter(c -> c.status() == Status.FAIL).count();
        long errors = result.checks().stream().filter(c -> c.status() == Status.ERROR).count();
        return XmlDocuments.render(xml -> {
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", "mlops." + result.step());
            xml.writeAttribute("tests", String.valueOf(result.checks().size()));
            xml.writeAttribute("failures", String.valueOf(failures));
            xml.writeAttribute("errors", String.valueOf(errors));
            xml.writeAttribute("skipped", "0");
            xml.writeAttribute("time", seconds(result.durationS()));
            xml.writeAttribute("timestamp", String.valueOf(result.started()));
            xml.writeCharacters("\n");
            for (Check check : result.checks()) {
                writeCase(xml, result.step(), check);
            }
            xml.writeEndElement();
        });
    }

    private static void writeCase(XMLStreamWriter xml, String step, Check check) throws XMLStreamException {
        xml.writeCharacters("  ");
        xml.writeStartElement("testcase");
        xml.writeAttribute("classname", "mlops." + step + (check.column() == null ? "" : "." + check.column()));
        xml.writeAttribute("name", check.name());
        xml.writeAttribute("time", "0");
        String detail = "observed: " + check.observed() + "\nexpected: " + check.expected()
                + (check.message() == null ? "" : "\n" + check.message());
        switch (check.status()) {
            case FAIL -> writeProblem(xml, "failure", check, detail);
            case ERROR -> writeProblem(xml, "error", check, detail);
            case WARN -> {
                xml.writeStartElement("system-out");
                xml.writeCharacters("WARN " + detail);
                xml.writeEndElement();
            }
            case PASS -> { }
        }
        xml.writeEndElement();
        xml.writeCharacters("\n");
    }

    private static void writeProblem(XMLStreamWriter xml, String element, Check check, String detail)
            throws XMLStreamException {
        xml.writeStartElement(element);
        xml.writeAttribute("message", check.message() == null ? check.qualifiedName() : check.message());
        xml.writeAttribute("type", check.status().name());
        xml.writeCharacters(detail);
        xml.writeEndElement();
    }

    private static String seconds(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
