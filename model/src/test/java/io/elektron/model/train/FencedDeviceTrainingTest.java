package io.elektron.model.train;

import io.elektron.core.Backends;
import io.elektron.core.DeviceScope;
import io.elektron.core.fenced.FencedBackend;
import io.elektron.model.ElectraForSequenceClassification;
import io.elektron.model.Golden;
import io.elektron.model.adversarial.AdversarialTraining;
import io.elektron.model.adversarial.Fgm;
import io.elektron.model.adversarial.FgmMiyato;
import io.elektron.model.adversarial.FreeLb;
import io.elektron.model.adversarial.NoAdversary;
import io.elektron.model.adversarial.Pgd;
import io.elektron.model.adversarial.RandomDirection;
import io.elektron.model.data.Dataset;
import io.elektron.model.hf.HfModels;
import io.elektron.tokenizer.WordPieceTokenizer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fine-tuning the tiny ELECTRA on the fenced test device (device-tagged storage that refuses host tensors; CPU
 * arithmetic behind it) gives the CPU's run exactly, for every adversarial method: nothing in the model, the trainer,
 * the adversarial code, evaluation or checkpointing creates a tensor on the wrong device or reads device memory as
 * host memory. The model is built inside a {@link DeviceScope}, as a user of the Java API would.
 */
class FencedDeviceTrainingTest {
    static List<AdversarialTraining> methods() {
        return List.of(new NoAdversary(), new Fgm(0.5f), new FgmMiyato(0.3f), new Pgd(0.5f, 0.2f, 2),
                new FreeLb(0.5f, 0.2f, 2, 0.1f), new RandomDirection(0.5f));
    }

    @ParameterizedTest
    @MethodSource("methods")
    void trainingOnTheFencedDeviceEqualsTheCpu(AdversarialTraining method, @TempDir Path dir) throws Exception {
        Path folder = Golden.fixture("tiny").folder();
        WordPieceTokenizer tok = WordPieceTokenizer.fromFolder(folder);
        Dataset train = TrainerTest.toyData(2, 24);
        Dataset dev = TrainerTest.toyData(3, 16);
        TrainingOptions opts = TrainerTest.options().withEpochs(2).withAdversarial(method)
                .withPosWeight(TrainingOptions.PosWeight.AUTO);

        Trainer.Result cpu;
        ElectraForSequenceClassification onCpu = TrainerTest.freshModel(5);
        try {
            cpu = new Trainer(onCpu, tok, folder, opts, dir.resolve("cpu"), null).fit(train, dev, dev);
        } finally {
            onCpu.close();
        }
        Trainer.Result fenced;
        ElectraForSequenceClassification model;
        try (DeviceScope onDevice = DeviceScope.use(FencedBackend.get())) {
            model = HfModels.sequenceClassifier(folder, TrainerTest.LABELS, 5).model();
        }
        try {
            assertEquals(FencedBackend.DEVICE, model.backend().device());
            // Outside the scope, the default is the CPU again: only the model's own device may be used from here on.
            assertEquals(Backends.cpu(), io.elektron.core.Tensor.defaultBackend());
            fenced = new Trainer(model, tok, folder, opts, dir.resolve("fenced"), null).fit(train, dev, dev);
        } finally {
            model.close();
        }
        assertEquals(cpu.steps(), fenced.steps(), "every step's losses, perturbation norm, lr and gradient norm");
        assertEquals(cpu.testAtHalf().toJson(), fenced.testAtHalf().toJson());
    }
}
