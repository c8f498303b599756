package io.jenkins.plugins.mlops.data;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Reference and current datasets that profiling must get right: the test suite's own, the real
 * tables, and wide bench-like data, including what one scan cannot count exactly (several new
 * values, a range far outside the grid, a much narrower one).
 */
final class ProfilerDatasets {
    private ProfilerDatasets() {}

    /** Six columns of five rows: a key, nulls, NaN and infinity, blank text, dates, booleans. */
    static final String CSV = """
            customer_id,age,score,plan,signup,active
            1,34,0.5,basic,2024-01-05,true
            2,,NaN,pro,2024-02-11,false
            3,51,inf,,2024-03-17,true
            4,28,1.5,basic,2024-04-02,true
            5,45,2.5,  ,2024-05-30,false
            """;

    static final String SCHEMA = """
            columns:
              customer_id: {type: integer, unique: true, id: true}
              age: {type: integer, min: 18, max: 90, max_null_fraction: 0.05}
              plan: {type: string, categories: [basic, plus, pro]}
              payment: {type: string, categories: [card, transfer, check]}
              charges: {type: float, min: 0, max: 500}
              flag: {type: boolean}
            """;

    /** A wide churn-like table: sequential key, integers, floats with NaN and infinities, categories, free text, dates, booleans, nulls. */
    static String wide(long rows, double price, String payments, String extra) {
        return "SELECT i AS customer_id, CASE WHEN i % 97 = 0 THEN NULL ELSE CAST(18 + (i * 7919) % 70 AS INTEGER) END AS age, "
                + "CASE i % 5 WHEN 0 THEN 'plus' WHEN 1 THEN 'pro' ELSE 'basic' END AS plan, "
                + "(" + payments + ")[1 + CAST(i % len(" + payments + ") AS INTEGER)] AS payment, "
                + "CASE WHEN i % 211 = 0 THEN 'NaN'::DOUBLE WHEN i % 307 = 0 THEN 'inf'::DOUBLE ELSE round(" + price
                + " * (20 + ((i * 104729) % 10007) / 100.0), 2) END AS charges, "
                + "'code-' || CAST((i * 31) % 5003 AS VARCHAR) AS referral, i % 3 = 0 AS flag, "
                + "DATE '2024-01-01' + CAST(i % 400 AS INTEGER) AS signup, CASE WHEN i % 13 = 0 THEN '  ' ELSE 'note' END AS note"
                + extra + " FROM range(" + rows + ") t(i)";
    }

    /** Pairs of (name, reference, current, schema or null), written under {@code dir}. */

    static Stream<Arguments> pairs(Path dir) {
        Path csv = TestData.write(dir, "t.csv", CSV);
        Path csvVariant = TestData.write(dir, "t2.csv", CSV.replace("NaN", "7.5").replace("basic,2024-04-02", "gold,2024-04-02")
                + "6,99,-3.25,silver,2025-01-01,true\n");
        Path churn = TestData.churn(dir.resolve("churn.parquet"), 20_000, 0.11, 0, 0);
        Path same = TestData.churn(dir.resolve("same.csv"), 20_000, 0.42, 0, 0);
        Path shifted = TestData.churn(dir.resolve("shifted.parquet"), 20_000, 0.73, 0.5, 0.2);
        String read = "FROM read_parquet('" + churn + "')";
        Path exploded = TestData.copy("SELECT customer_id, age, income, 'plan-' || customer_id AS plan, support_calls " + read,
                dir.resolve("exploded.parquet"), "FORMAT parquet");
        Path newIds = TestData.copy("SELECT customer_id + 1000000 AS customer_id, age, income, plan, support_calls " + read,
                dir.resolve("new-ids.parquet"), "FORMAT parquet");
        Path outliers = TestData.copy("SELECT customer_id, CASE WHEN customer_id = 7 THEN 4000 ELSE age END AS age, "
                + "CASE WHEN customer_id = 9 THEN 1e15 ELSE income END AS income, plan, support_calls " + read,
                dir.resolve("outliers.parquet"), "FORMAT parquet");
        Path narrow = TestData.copy("SELECT customer_id, 40 AS age, 50000 + random() AS income, plan, support_calls " + read,
                dir.resolve("narrow.parquet"), "FORMAT parquet");
        Path small = TestData.churn(dir.resolve("small-a.csv"), 60, 0.21, 0, 0);
        Path smallOther = TestData.churn(dir.resolve("small-b.csv"), 60, 0.37, 0, 0);
        Path ids = TestData.copy("SELECT i AS account_number, 'C' || lpad(CAST(i AS VARCHAR), 7, '0') AS customer, "
                + "CAST(i * 7919 % 1000003 AS BIGINT) AS income, CAST(i % 7 AS INTEGER) AS weekday, random() AS score "
                + "FROM range(5000) t(i)", dir.resolve("ids.parquet"), "FORMAT parquet");
        Path idsOther = TestData.copy("SELECT i + 5000 AS account_number, 'C' || lpad(CAST(i AS VARCHAR), 7, '1') AS customer, "
                + "CAST(i * 7919 % 1000003 AS BIGINT) AS income, CAST(i % 9 AS INTEGER) AS weekday, 10 * random() AS score "
                + "FROM range(3000) t(i)", dir.resolve("ids-other.parquet"), "FORMAT parquet");
        Path cats = TestData.copy("SELECT CASE i % 3 WHEN 0 THEN 'a' WHEN 1 THEN chr(65533) ELSE chr(128512) END AS few, "
                + "CASE WHEN i % 3 = 0 THEN 'a' ELSE 'n' || i END AS many, i % 2 = 0 AS flag, i % 4 AS level "
                + "FROM range(1000) t(i)", dir.resolve("cats.parquet"), "FORMAT parquet");
        Path catsOther = TestData.copy("SELECT CASE i % 4 WHEN 0 THEN 'a' WHEN 1 THEN chr(65533) WHEN 2 THEN 'b' ELSE 'c' END AS few, "
                + "CASE WHEN i % 2 = 0 THEN 'a' ELSE 'n' || i END AS many, true AS flag, i % 6 AS level "
                + "FROM range(900) t(i)", dir.resolve("cats-other.parquet"), "FORMAT parquet");
        String payments = "['card', 'transfer', 'check']";
        Path wideReference = TestData.copy(wide(80_000, 1.0, payments, ""), dir.resolve("wide-ref.csv"), "HEADER");
        Path wideDrifted = TestData.copy(wide(30_000, 1.18, "['card', 'transfer', 'check', 'wallet']", ""),
                dir.resolve("wide-cur.csv"), "HEADER");
        Path wideTwoNew = TestData.copy(wide(25_000, 0.9, "['card', 'wallet', 'crypto']", ""), dir.resolve("wide-two-new.parquet"),
                "FORMAT parquet");
        Path wideRetyped = TestData.copy(wide(20_000, 1.0, payments, ", 1.5 AS age_float").replace(" AS age,", " AS age_int,"),
                dir.resolve("wide-retyped.parquet"), "FORMAT parquet");
        Path schema = TestData.write(dir, "schema.yaml", SCHEMA);
        // The real tables (scikit-learn, statsmodels, palmerpenguins, vega_datasets), random halves of each.
        Stream<Arguments> real = RealTables.NAMES.stream().map(table -> {
            Path halves = RealTables.halves(table, dir.resolve("real-" + table), 1).resolve("0");
            return Arguments.of("real table " + table, halves.resolve("a.csv"), halves.resolve("b.csv"), null);
        });
        return Stream.concat(real, Stream.of(
                Arguments.of("small csv, new categories, NaN gone", csv, csvVariant, null),
                Arguments.of("churn, same distribution", churn, same, null),
                Arguments.of("churn, shifted", churn, shifted, null),
                Arguments.of("churn, categories explode", churn, exploded, null),
                Arguments.of("churn, new ids", churn, newIds, null),
                Arguments.of("churn, outliers far outside the reference", churn, outliers, null),
                Arguments.of("churn, much narrower ranges", churn, narrow, null),
                Arguments.of("60 rows each", small, smallOther, null),
                Arguments.of("keys and measurements", ids, idsOther, null),
                Arguments.of("unicode and over-the-cap categories", cats, catsOther, null),
                Arguments.of("wide, drifted, one new payment method", wideReference, wideDrifted, schema),
                Arguments.of("wide, two new payment methods", wideReference, wideTwoNew, schema),
                Arguments.of("wide, a column renamed and one new", wideReference, wideRetyped, schema),
                Arguments.of("wide against itself", wideReference, wideReference, schema)));
    }
}
