package io.elektron.cli;

import io.elektron.model.data.DataFormatException;
import io.elektron.model.data.Dataset;
import io.elektron.model.data.DatasetReader;
import io.elektron.model.data.LabelNames;
import io.elektron.model.data.ReadOptions;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** How data files are read: label names, CSV columns, tolerance of bad lines. */
final class DataOptions {
    @Option(names = "--labels", description = "Label names file, one per line (line index = label id). Default: labels.txt beside a .tsv, the CSV header, or the names in a .jsonl.")
    Path labels;

    @Option(names = "--text-column", defaultValue = "text", description = "CSV column holding the text. Default: ${DEFAULT-VALUE}.")
    String textColumn;

    @Option(names = "--skip-bad-lines", description = "Skip (and count) malformed lines instead of stopping at the first.")
    boolean skipBadLines;

    ReadOptions readOptions() {
        return ReadOptions.DEFAULTS.withTextColumn(textColumn).withSkipBadLines(skipBadLines);
    }

    List<String> labelNames() throws IOException {
        return labels == null ? null : LabelNames.read(labels);
    }

    Dataset read(Path file, List<String> labelNames) throws IOException {
        Dataset d = DatasetReader.read(file, labelNames, readOptions());
        for (String w : d.summary().warnings()) System.err.println("warning: " + file + ": " + w);
        return d;
    }

    /**
     * As {@link #read}, for a split that training needs: an empty one is a bad input file (a run on no examples would
     * still "finish" and save a meaningless best model over nothing).
     */
    Dataset readExamples(Path file, List<String> labelNames) throws IOException {
        Dataset d = read(file, labelNames);
        if (d.size() == 0) {
            throw new DataFormatException(file, 0, "no examples" + (skipBadLines ? " (after skipping bad lines)" : "")
                    + "; training needs at least one");
        }
        return d;
    }
}
