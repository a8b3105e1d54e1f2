package io.elektron.cli;

import io.elektron.model.data.DataFormatException;
import io.elektron.model.train.TrainingDivergedException;
import io.elektron.tokenizer.TokenizerException;
import io.elektron.weights.CheckpointFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;

/**
 * The {@code elektron} command. Errors print as one line (what, where, what was expected) with a distinct exit code;
 * {@code --verbose} adds the stack trace.
 */
@Command(name = "elektron", mixinStandardHelpOptions = true, version = "Elektron 0.1.0",
        description = "ELECTRA on the JVM: multi-label fine-tuning with adversarial training (FGM, PGD, FreeLB).",
        subcommands = {QuickstartCommand.class, TrainCommand.class, EvalCommand.class, PredictCommand.class,
                EncodeCommand.class, TokenizeCommand.class, ExperimentCommand.class, PretrainCommand.class,
                InspectCommand.class, ImportCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:done",
                "1:internal error (a bug; --verbose prints the stack trace)",
                "2:bad command line",
                "3:bad input file (data, model folder, checkpoint, vocabulary), named with its line or key",
                "4:training diverged (NaN or Inf); the last good checkpoint is kept",
                "5:model not found or not downloadable",
                "6:results could not be written to standard output (full disk, closed pipe)",
                "130:stopped by Ctrl-C or SIGTERM after saving a resumable checkpoint"},
        footerHeading = "%nEnvironment:%n",
        footer = {
                "  ELEKTRON_CACHE             converted models (default ~/.cache/elektron)",
                "  ELEKTRON_MAVEN_REPOSITORY  repository for --model maven:... (default: Central)",
                "  ELEKTRON_JAVA_OPTS         the launcher's JVM options",
                "                             (default -Xmx8g -XX:+UseSerialGC -Xmn32m)",
                "  HF_HOME, HF_HUB_CACHE, HF_ENDPOINT, HF_TOKEN, HF_HUB_OFFLINE",
                "                             as in HuggingFace's tools, for hub model ids",
                "  -Delektron.threads=N       (a JVM option) compute threads, default: every core"})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        // Over the file descriptor, not System.out: a PrintStream swallows write errors itself, so the PrintWriter
        // above it would never learn that the disk was full.
        PrintWriter out = new PrintWriter(new FileOutputStream(FileDescriptor.out), true);
        System.exit(execute(args, out, new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams (tests call this) and returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        // A mistyped option: the one line that says what is wrong and where the help is, not 70 lines of usage that
        // scroll the error out of sight.
        cli.setParameterExceptionHandler((ex, args1) -> {
            CommandLine failed = ex.getCommandLine();
            err.println("error: " + ex.getMessage());
            if (ex instanceof CommandLine.UnmatchedArgumentException unmatched) {
                List<String> suggestions = unmatched.getSuggestions();
                if (!suggestions.isEmpty()) err.println("did you mean " + String.join(" or ", suggestions) + "?");
            }
            String path = commandPath(failed);
            err.println("(see: elektron " + (path.isEmpty() ? "" : path + " ") + "--help)");
            err.flush();
            return ExitCode.USAGE;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            int code = exitCodeFor(ex);
            err.println("error: " + oneLine(ex));
            if (verbose || code == ExitCode.INTERNAL) {
                if (verbose) ex.printStackTrace(err);
                else err.println("(run with --verbose for the stack trace)");
            }
            err.flush();
            return code;
        });
        try {
            int code = cli.execute(args);
            return outputLost(out, err) && code == ExitCode.OK ? ExitCode.OUTPUT_FAILED : code;
        } catch (OutOfMemoryError e) {
            // Errors bypass picocli's handler; a clear line beats a dead JVM dump.
            err.println("error: " + oneLine(e));
            err.flush();
            return ExitCode.INTERNAL;
        }
    }

    /** "train", "experiment adv": the subcommand names below the root. */
    private static String commandPath(CommandLine c) {
        List<String> names = new java.util.ArrayList<>();
        for (CommandLine at = c; at != null && at.getParent() != null; at = at.getParent()) names.add(0, at.getCommandName());
        return String.join(" ", names);
    }

    /**
     * PrintWriter never throws: a write to a full disk or a closed pipe only sets a flag, and without this check
     * {@code predict > /dev/full} would lose every line and still exit 0.
     */
    private static boolean outputLost(PrintWriter out, PrintWriter err) {
        if (!out.checkError()) return false;
        err.println("error: writing to standard output failed (disk full, or the reading end closed?); the output is incomplete");
        err.flush();
        return true;
    }

    static int exitCodeFor(Throwable ex) {
        Throwable t = ex instanceof UncheckedIOException u ? u.getCause() : ex;
        if (t instanceof TrainingDivergedException) return ExitCode.DIVERGED;
        if (t instanceof io.elektron.model.train.TrainingInterruptedException) return ExitCode.INTERRUPTED;
        if (t instanceof ModelUnavailableException) return ExitCode.MODEL_UNAVAILABLE;
        if (t instanceof DataFormatException || t instanceof CheckpointFormatException || t instanceof TokenizerException
                || t instanceof NoSuchFileException || t instanceof IOException) return ExitCode.BAD_INPUT;
        if (t instanceof IllegalArgumentException) return ExitCode.USAGE;
        return ExitCode.INTERNAL;
    }

    static String oneLine(Throwable ex) {
        Throwable t = ex instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : ex;
        String msg = t.getMessage();
        if (t instanceof NoSuchFileException) msg = t.getMessage() + ": no such file";
        if (msg == null || msg.isBlank()) msg = t.getClass().getSimpleName();
        if (t instanceof OutOfMemoryError) msg = "out of memory (" + msg + "); lower --batch-size or --max-length, or raise -Xmx";
        return msg.replace('\n', ' ');
    }
}
