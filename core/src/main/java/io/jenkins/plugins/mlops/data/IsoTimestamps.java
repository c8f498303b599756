package io.jenkins.plugins.mlops.data;

import io.jenkins.plugins.mlops.io.DataFormat;
import io.jenkins.plugins.mlops.io.Sql;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON has no date type, so a timestamp there is an ISO-8601 string, and DuckDB's JSON reader
 * keeps the form pandas writes ({@code 2012-01-04T00:00:00.000}) as text: a date column would
 * be a string in JSON lines, a date in CSV and a timestamp in Parquet, and a schema inferred
 * from one would fail the others. Text columns whose sampled values are all ISO-8601 timestamps
 * are read as timestamps, the way DuckDB's sniffer types CSV columns from a sample; a later value
 * that is no timestamp is then bad input, as a stray value in a CSV column is.
 */
final class IsoTimestamps {
    /** The rows DuckDB's own sniffers sample. */
    static final int SAMPLE_ROWS = 20_480;
    /** Date, 'T' or space, time, optional fraction and 'Z'; offsets are left as text (no time zone is assumed). */
    static final String ISO_TIMESTAMP = "\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?Z?";

    private IsoTimestamps() {}

    /** The source, reading its ISO-8601 text columns as timestamps; other formats are returned as they are. */
    static DataSource detect(ScanEngine engine, DataSource source) {
        if (source.format() != DataFormat.JSON_LINES) {
            return source;
        }
        List<String> text = engine.query("DESCRIBE SELECT * FROM " + source.relation(), source, rows -> {
            List<String> names = new ArrayList<>();
            while (rows.next()) {
                if (rows.getString("column_type").equals("VARCHAR")) {
                    names.add(rows.getString("column_name"));
                }
            }
            return names;
        });
        if (text.isEmpty()) {
            return source;
        }
        AggregateQuery query = new AggregateQuery();
        List<int[]> slots = new ArrayList<>();
        for (String name : text) {
            String c = Sql.identifier(name);
            slots.add(new int[] {query.add("count(" + c + ")"),
                    query.add("count(CASE WHEN regexp_full_match(" + c + ", " + Sql.literal(ISO_TIMESTAMP) + ") THEN 1 END)")});
        }
        String sample = "(SELECT * FROM " + source.relation() + " LIMIT " + SAMPLE_ROWS + ")";
        // One query, not AggregateQuery.run's batches: each batch would draw its own sample of the rows.
        AggregateQuery.Row row = new AggregateQuery.Row(engine.rows(query.sql(sample), source).get(0));
        List<String> timestamps = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            long values = row.asLong(slots.get(i)[0]);
            if (values > 0 && row.asLong(slots.get(i)[1]) == values) {
                timestamps.add(text.get(i));
            }
        }
        return timestamps.isEmpty() ? source : source.readingAsTimestamps(timestamps);
    }
}
