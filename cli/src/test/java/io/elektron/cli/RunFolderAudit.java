package io.elektron.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.elektron.core.optim.AdamW;
import io.elektron.model.ElectraForSequenceClassification;
import io.elektron.model.hf.HfModels;
import io.elektron.model.hf.PretrainedLoader;
import io.elektron.model.io.AdamWStateFile;
import io.elektron.model.train.ParameterGroups;
import io.elektron.model.train.StepRecord;
import io.elektron.model.train.Trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a training run folder must look like at any instant, however the process ended: {@code best} and {@code last}
 * are real folders (not links), each a complete checkpoint that loads (weights, trainer state, optimizer state); the
 * names a save passes through between its renames ({@code last.new}, {@code last.old}) hold complete checkpoints too,
 * and {@code last.new} stands for {@code last} while a kill between the renames left {@code last} missing (resuming
 * puts it back); everything else that a killed process may leave carries a temporary name. Throws
 * {@link AssertionError} naming what is wrong.
 */
final class RunFolderAudit {
    /** The state of {@code last} ({@code epochsDone} -1 when there is none yet) and the leftovers seen. */
    record Finding(int epochsDone, int batchesDoneInEpoch, long globalStep, List<String> leftovers) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A save's complete folder before it is renamed to its name, and the replaced one before it is discarded. */
    private static final Pattern SWAPPING = Pattern.compile("(best|last)\\.(new|old)");
    private static final Pattern STAGING = Pattern.compile("(best|last)\\.tmp-.*");
    /** AtomicFiles' temp files (name.tmp-pid) and the writers' hidden ones (.name.random.tmp). */
    private static final Pattern TEMP_FILE = Pattern.compile("[^.].*\\.tmp-\\d+|\\..*\\.tmp");
    private static final List<String> RUN_FILES = List.of("history.json", "steps.csv", "step-times.csv", "run.json", "metrics.json", "report.md", "loss.png",
            "f1.png");
    private static final List<String> CHECKPOINT_FILES = List.of("config.json", "model.safetensors", "vocab.txt",
            "tokenizer_config.json", "special_tokens_map.json");

    private final float weightDecay;
    private final float layerDecay;
    private final int stepsPerEpoch;

    /** The optimizer settings the run used (to rebuild its parameter groups) and its optimizer steps per epoch. */
    RunFolderAudit(float weightDecay, float layerDecay, int stepsPerEpoch) {
        this.weightDecay = weightDecay;
        this.layerDecay = layerDecay;
        this.stepsPerEpoch = stepsPerEpoch;
    }

    Finding check(Path run) throws IOException {
        if (!Files.isDirectory(run)) return new Finding(-1, 0, 0, List.of());
        List<String> leftovers = new ArrayList<>();
        List<String> names;
        try (Stream<Path> s = Files.list(run)) {
            names = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        for (String name : names) {
            Path p = run.resolve(name);
            if (name.equals("best") || name.equals("last")) continue; // below
            if (SWAPPING.matcher(name).matches() && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                // Killed between the renames of a save: never incomplete.
                requireCompleteFolder(p).close();
                leftovers.add(name + (name.endsWith(".new") ? " (complete, not yet renamed)" : " (complete, replaced)"));
            } else if (STAGING.matcher(name).matches() && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                leftovers.add(name + " (" + describeStaging(p) + ")");
            } else if (TEMP_FILE.matcher(name).matches() && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                leftovers.add(name + " (" + Files.size(p) + " bytes)");
            } else if (RUN_FILES.contains(name) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                if (name.endsWith(".json")) JSON.readTree(p.toFile()); // whole or absent, never half written
                // Every line whole.
                if (name.equals(Trainer.STEPS_FILE)) Trainer.readSteps(p, Long.MAX_VALUE);
                if (name.equals(Trainer.STEP_TIMES_FILE)) Trainer.readStepTimes(p, Long.MAX_VALUE);
            } else {
                throw new AssertionError(run + ": unexpected entry '" + name + "' (neither a checkpoint, a run file nor a"
                        + " temporary name); the run folder holds " + names);
            }
        }

        Path last = checkpointOrItsNewVersion(run, "last");
        Path best = checkpointOrItsNewVersion(run, "best");
        if (last == null) {
            if (best != null) requireCheckpoint(best, false);
            return new Finding(-1, 0, 0, leftovers);
        }
        if (best == null) throw new AssertionError(run + ": last/ exists but best/ does not");
        requireCheckpoint(best, false);
        JsonNode state = requireCheckpoint(last, true);
        int epochs = state.get("epochs_done").asInt();
        int batches = state.get("batches_done_in_epoch").asInt();
        long step = state.get("global_step").asLong();
        if (step != (long) epochs * stepsPerEpoch + batches) {
            throw new AssertionError(last + ": global_step " + step + " is not " + epochs + " epochs of " + stepsPerEpoch
                    + " steps + " + batches);
        }
        requireHistoryUpTo(run.resolve("history.json"), epochs);
        requireStepsUpTo(run.resolve(Trainer.STEPS_FILE), step);
        return new Finding(epochs, batches, step, leftovers);
    }

    /** The checkpoint folder {@code name}, or its complete new version while a kill between renames left it missing. */
    private static Path checkpointOrItsNewVersion(Path run, String name) {
        Path folder = run.resolve(name);
        if (Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) return folder;
        Path fresh = run.resolve(name + ".new");
        return Files.isDirectory(fresh, LinkOption.NOFOLLOW_LINKS) ? fresh : null;
    }

    /** A real folder that holds everything a checkpoint needs; returns trainer_state.json if asked. */
    private JsonNode requireCheckpoint(Path folder, boolean resumable) throws IOException {
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            throw new AssertionError(folder + " is not a real folder (a link would ship dangling with cp -r, tar, rsync -a)");
        }
        ElectraForSequenceClassification model = requireCompleteFolder(folder);
        if (!resumable) {
            model.close();
            return null;
        }
        JsonNode state = JSON.readTree(folder.resolve("trainer_state.json").toFile());
        for (String key : List.of("epochs_done", "batches_done_in_epoch", "global_step", "seed", "seed_position", "best_score")) {
            if (!state.has(key)) throw new AssertionError(folder + "/trainer_state.json: no " + key);
        }
        // The optimizer state must fit this model's parameter groups and come from the same step as the trainer state.
        AdamW optimizer = new AdamW(ParameterGroups.build(model.namedParameters(), model.config().numHiddenLayers(),
                weightDecay, layerDecay), 1e-4f, 0.9f, 0.999f, 1e-6f);
        AdamWStateFile.read(optimizer, folder.resolve("optimizer.safetensors"));
        float maxStep = 0;
        for (float[][] s : optimizer.exportState()) {
            if (s == null) continue;
            maxStep = Math.max(maxStep, s[0][0]);
            requireFinite(folder + " optimizer m", s[1]);
            requireFinite(folder + " optimizer v", s[2]);
        }
        if ((long) maxStep != state.get("global_step").asLong()) {
            throw new AssertionError(folder + ": optimizer at step " + (long) maxStep + ", trainer state at " + state.get("global_step"));
        }
        model.close();
        return state;
    }

    /**
     * Every file a checkpoint of its kind holds, and weights that load completely (none missing, as on resume) and
     * are all finite. Returns the loaded model; the caller closes it.
     */
    private static ElectraForSequenceClassification requireCompleteFolder(Path folder) throws IOException {
        List<String> required = new ArrayList<>(CHECKPOINT_FILES);
        // best/ carries the tuned threshold; last/ what resuming needs (a Ctrl-C save mid-epoch has no threshold).
        if (folder.getFileName().toString().startsWith("best")) required.add("thresholds.json");
        else required.addAll(List.of("trainer_state.json", "optimizer.safetensors"));
        for (String f : required) {
            if (!Files.isRegularFile(folder.resolve(f))) throw new AssertionError(folder + ": " + f + " missing");
        }
        ElectraForSequenceClassification model = HfModels.sequenceClassifier(folder, null, 0).model();
        PretrainedLoader.load(model, PretrainedLoader.weightsFile(folder), n -> false, Map.of());
        for (var e : model.namedParameters().entrySet()) requireFinite(folder + " " + e.getKey(), e.getValue().toFloatArray());
        return model;
    }

    private static void requireHistoryUpTo(Path history, int epochs) throws IOException {
        if (!Files.isRegularFile(history)) throw new AssertionError(history + " missing while last/ holds " + epochs + " epochs");
        JsonNode records = JSON.readTree(history.toFile());
        for (int e = 1; e <= epochs; e++) {
            boolean found = false;
            for (JsonNode r : records) found |= r.path("epoch").asInt() == e;
            if (!found) throw new AssertionError(history + " has no record of epoch " + e + " though last/ holds " + epochs + " epochs");
        }
    }

    /** steps.csv holds steps 1, 2, ... without a gap, at least up to the checkpoint's (written before it). */
    private static void requireStepsUpTo(Path csv, long globalStep) throws IOException {
        if (!Files.isRegularFile(csv)) throw new AssertionError(csv + " missing while last/ is at step " + globalStep);
        List<StepRecord> steps = Trainer.readSteps(csv, Long.MAX_VALUE);
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).step() != i + 1) throw new AssertionError(csv + ": line " + (i + 2) + " is step " + steps.get(i).step());
        }
        if (steps.size() < globalStep) {
            throw new AssertionError(csv + " ends at step " + steps.size() + " though last/ is at step " + globalStep);
        }
    }

    private static String describeStaging(Path staging) throws IOException {
        try (Stream<Path> s = Files.list(staging)) {
            List<String> files = s.map(p -> p.getFileName().toString()).sorted().toList();
            return files.isEmpty() ? "empty" : String.join(", ", files);
        }
    }

    private static void requireFinite(String what, float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) throw new AssertionError(what + "[" + i + "] = " + values[i]);
        }
    }
}
