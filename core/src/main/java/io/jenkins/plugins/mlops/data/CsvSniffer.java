package io.jenkins.plugins.mlops.data;

import io.jenkins.plugins.mlops.io.CsvColumns;
import io.jenkins.plugins.mlops.io.DataFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * Sniffs a CSV file once. DuckDB's reader otherwise samples the file again for every query over
 * it (its types, date and timestamp formats): a validation runs four to six queries per file, and
 * each sniff of a wide file costs tens of milliseconds of one core. Pinning what the first sniff
 * found gives every later scan the same columns, types and formats without that cost.
 *
 * <p>One file only: over several files DuckDB checks each against the first one's schema as it
 * reads it, and pinned columns would read them without that check.
 */
final class CsvSniffer {
    private CsvSniffer() {}

    /** The source with its columns pinned; other formats, several files and pinned sources are returned as they are. */
    static DataSource pin(ScanEngine engine, DataSource source) {
        if (!source.format().isDelimited() || source.files().size() != 1 || source.csvColumns() != null) {
            return source;
        }
        String sniffer = DataFormat.sniffer(source.files().get(0), source.delimiter(), source.csvBufferBytes());
        String sql = "SELECT c.name, c.type, DateFormat, TimestampFormat FROM (SELECT generate_subscripts(Columns, 1) AS i,"
                + " unnest(Columns) AS c, DateFormat, TimestampFormat FROM " + sniffer + ") ORDER BY i";
        CsvColumns columns = engine.query(sql, source, rows -> {
            List<String> names = new ArrayList<>();
            List<String> types = new ArrayList<>();
            String dateFormat = null;
            String timestampFormat = null;
            while (rows.next()) {
                names.add(rows.getString(1));
                types.add(rows.getString(2));
                dateFormat = blankAsNull(rows.getString(3));
                timestampFormat = blankAsNull(rows.getString(4));
            }
            return names.isEmpty() ? null : new CsvColumns(names, types, dateFormat, timestampFormat);
        });
        return columns == null ? source : source.withCsvColumns(columns);
    }

    private static String blankAsNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
