package io.jenkins.plugins.mlops.ci;

import io.jenkins.plugins.mlops.io.AtomicFiles;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.BoundedFiles;
import io.jenkins.plugins.mlops.io.Redaction;
import io.jenkins.plugins.mlops.io.XmlDocuments;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads the JUnit XML a command wrote (pytest, ruff, mypy all write one; {@code testsuites} or a
 * single {@code testsuite} at the root) and writes one for a command that has none, from its exit
 * status and output, so that every check reaches Jenkins' {@code junit} step the same way.
 */
final class JunitFiles {
    /** The report lists this many failing cases per command; the counts cover all. */
    static final int MAX_FAILED_SHOWN = 20;
    private static final long MAX_BYTES = 64L << 20;
    private static final int MESSAGE_CHARS = 300;

    private JunitFiles() {}

    /** @throws BadInputException when the file is not JUnit XML (named, with the parser's reason) */
    static JunitSummary read(Path file) {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        // A test report is data: no DTD, no external entity may reach the file system or the network.
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        try (InputStream in = BoundedFiles.open(file, MAX_BYTES, "a JUnit report of that size is not a test run's")) {
            XMLStreamReader xml = factory.createXMLStreamReader(in);
            int tests = 0;
            int failures = 0;
            int errors = 0;
            int skipped = 0;
            List<FailedTest> failed = new ArrayList<>();
            boolean root = true;
            String testCase = null;
            while (xml.hasNext()) {
                if (xml.next() != XMLStreamConstants.START_ELEMENT) {
                    if (xml.getEventType() == XMLStreamConstants.END_ELEMENT && xml.getLocalName().equals("testcase")) {
                        testCase = null;
                    }
                    continue;
                }
                String element = xml.getLocalName();
                if (root && !element.equals("testsuites") && !element.equals("testsuite")) {
                    throw new BadInputException(file + ": not JUnit XML (the root element is <" + element
                            + ">, not <testsuites> or <testsuite>)");
                }
                root = false;
                switch (element) {
                    case "testcase" -> {
                        tests++;
                        String classname = xml.getAttributeValue(null, "classname");
                        String name = xml.getAttributeValue(null, "name");
                        testCase = classname == null || classname.isBlank() ? name : classname + "." + name;
                    }
                    case "failure", "error" -> {
                        if (testCase != null) {
                            if (element.equals("failure")) {
                                failures++;
                            } else {
                                errors++;
                            }
                            String message = xml.getAttributeValue(null, "message");
                            String text = xml.getElementText();
                            if (failed.size() < MAX_FAILED_SHOWN) {
                                failed.add(new FailedTest(testCase, element, clip(message != null && !message.isBlank()
                                        ? message : text.strip().lines().findFirst().orElse(""))));
                            }
                        }
                    }
                    case "skipped" -> skipped += testCase != null ? 1 : 0;
                    default -> { }
                }
            }
            if (root) {
                throw new BadInputException(file + ": empty, not JUnit XML");
            }
            return new JunitSummary(tests, failures, errors, skipped, failed);
        } catch (XMLStreamException e) {
            throw new BadInputException(file + ": not well-formed JUnit XML: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Masks the secrets mlops knows in a JUnit file a command wrote (pytest keeps what the tests
     * printed), as in every report; only a file that held one is rewritten.
     */
    static void redact(Path file) {
        try {
            String text = BoundedFiles.readString(file, MAX_BYTES, "a JUnit report of that size is not a test run's");
            String masked = Redaction.redactKnown(text);
            if (!masked.equals(text)) {
                AtomicFiles.write(file, masked);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * One test case for a command that wrote no JUnit: it fails with the command's last lines when
     * {@code problem} is not null.
     */
    static String forCommand(String name, double durationS, String problem, List<String> logTail) {
        String time = String.format(Locale.ROOT, "%.3f", durationS);
        return XmlDocuments.render(xml -> {
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", "ci." + name);
            xml.writeAttribute("tests", "1");
            xml.writeAttribute("failures", problem == null ? "0" : "1");
            xml.writeAttribute("errors", "0");
            xml.writeAttribute("skipped", "0");
            xml.writeAttribute("time", time);
            xml.writeCharacters("\n  ");
            xml.writeStartElement("testcase");
            xml.writeAttribute("classname", "ci");
            xml.writeAttribute("name", name);
            xml.writeAttribute("time", time);
            if (problem != null) {
                xml.writeStartElement("failure");
                xml.writeAttribute("message", problem);
                xml.writeAttribute("type", "FAIL");
                xml.writeCharacters(xmlText(logTail));
                xml.writeEndElement();
            } else if (!logTail.isEmpty()) {
                xml.writeStartElement("system-out");
                xml.writeCharacters(xmlText(logTail));
                xml.writeEndElement();
            }
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndElement();
        });
    }

    /** The lines as XML 1.0 can hold them: colour codes (ESC) and other control characters dropped. */
    private static String xmlText(List<String> lines) {
        return String.join("\n", lines).replaceAll("\\x1B\\[[0-9;]*[A-Za-z]", "")
                .replaceAll("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F]", "");
    }

    private static String clip(String text) {
        String line = text == null ? "" : text.strip();
        return line.length() <= MESSAGE_CHARS ? line : line.substring(0, MESSAGE_CHARS) + " …";
    }
}
