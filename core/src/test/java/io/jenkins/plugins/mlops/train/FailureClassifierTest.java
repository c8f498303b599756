package io.jenkins.plugins.mlops.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The message patterns of frameworks the test machine does not have (PyTorch, TensorFlow, CUDA),
 * as those frameworks print them; numpy and plain Python failures run for real in SmokeTrainingTest.
 */
class FailureClassifierTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            SHAPE_MISMATCH     | RuntimeError: mat1 and mat2 shapes cannot be multiplied (32x10 and 12x4)
            SHAPE_MISMATCH     | RuntimeError: The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1
            SHAPE_MISMATCH     | ValueError: Expected input batch_size (16) to match target batch_size (32).
            SHAPE_MISMATCH     | RuntimeError: shape '[-1, 784]' is invalid for input of size 1000
            SHAPE_MISMATCH     | RuntimeError: Given groups=1, weight of size [64, 3, 7, 7], expected input[8, 1, 224, 224] to have 3 channels, but got 1 channels instead
            SHAPE_MISMATCH     | RuntimeError: Error(s) in loading state_dict for Net: size mismatch for fc.weight: copying a param with shape torch.Size([10, 128])
            SHAPE_MISMATCH     | tensorflow.python.framework.errors_impl.InvalidArgumentError: Incompatible shapes: [32,10] vs. [32,1]
            SHAPE_MISMATCH     | ValueError: Input 0 of layer "dense" is incompatible with the layer: expected axis -1 of input shape to have value 784, but received input with shape (None, 28)
            SHAPE_MISMATCH     | ValueError: Shapes (None, 1) and (None, 10) are incompatible
            SHAPE_MISMATCH     | ValueError: X has 3 features, but LogisticRegression is expecting 4 features as input.
            SHAPE_MISMATCH     | ValueError: Found input variables with inconsistent numbers of samples: [100, 99]
            SHAPE_MISMATCH     | ValueError: Expected 2D array, got 1D array instead:
            SHAPE_MISMATCH     | ValueError: operands could not be broadcast together with shapes (3,) (4,)
            OUT_OF_MEMORY      | torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 15.78 GiB total capacity)
            OUT_OF_MEMORY      | RuntimeError: CUDA error: out of memory
            OUT_OF_MEMORY      | tensorflow.python.framework.errors_impl.ResourceExhaustedError: OOM when allocating tensor with shape[1024,1024,256]
            OUT_OF_MEMORY      | terminate called after throwing an instance of 'std::bad_alloc'
            OUT_OF_MEMORY      | MemoryError
            MISSING_DEPENDENCY | ModuleNotFoundError: No module named 'torchvision'
            MISSING_DEPENDENCY | ImportError: cannot import name 'LinearRegression' from 'sklearn.ensemble'
            MISSING_DEPENDENCY | ImportError: libcudnn.so.8: cannot open shared object file: No such file or directory
            MISSING_DEPENDENCY | train.sh: line 4: accelerate: command not found
            NAN_LOSS           | Epoch 3: loss = nan
            NAN_LOSS           | step 120 train_loss=NaN lr=0.1
            NAN_LOSS           | Batch 17: Invalid loss, terminating training
            NAN_LOSS           | Epoch 2 Loss: tensor(nan, grad_fn=<NllLossBackward0>)
            NAN_LOSS           | loss tensor(inf, device='cuda:0')
            NAN_LOSS           | RuntimeError: Function 'LogSoftmaxBackward0' returned nan values in its 0th output.
            CRASH              | RuntimeError: checkpoint directory is read-only
            """)
    void classifiesFrameworkMessages(FailureKind expected, String line) {
        Optional<Failure> failure = FailureClassifier.classify(failedWith("Traceback (most recent call last):",
                "  File \"train.py\", line 12, in <module>", line), List.of());

        assertThat(failure).get().extracting(Failure::kind).isEqualTo(expected);
        assertThat(failure.get().evidence()).contains(line);
        assertThat(failure.get().message()).contains(line.strip());
    }

    @Test
    void theLastErrorWinsOverEarlierWarnings() {
        Optional<Failure> failure = FailureClassifier.classify(failedWith(
                "UserWarning: No module named 'apex', falling back to native AMP",
                "epoch 1 loss=0.7",
                "ValueError: operands could not be broadcast together with shapes (3,) (4,)"), List.of());

        assertThat(failure).get().extracting(Failure::kind).isEqualTo(FailureKind.SHAPE_MISMATCH);
    }

    @Test
    void aSilentSigkillIsTheOomKillerAndATimeoutIsATimeout() {
        RunEnding killed = new RunEnding(137, "SIGKILL", false, null, List.of("epoch 1/2"));
        RunEnding stopped = new RunEnding(143, "SIGTERM", true, null, List.of("epoch 1/2"));
        RunEnding oomKilled = new RunEnding(137, null, false, "OOMKilled", List.of());

        assertThat(FailureClassifier.classify(killed, List.of())).get().extracting(Failure::kind).isEqualTo(FailureKind.OUT_OF_MEMORY);
        assertThat(FailureClassifier.classify(stopped, List.of())).get().extracting(Failure::kind).isEqualTo(FailureKind.TIMEOUT);
        assertThat(FailureClassifier.classify(oomKilled, List.of())).get().extracting(Failure::kind).isEqualTo(FailureKind.OUT_OF_MEMORY);
    }

    @Test
    void aCleanExitPassesUnlessTheLossWasNanOrAnOutputIsMissing() {
        RunEnding clean = new RunEnding(0, null, false, null, List.of("epoch 1 loss=0.5", "information: saved"));

        assertThat(FailureClassifier.classify(clean, List.of())).isEmpty();
        assertThat(FailureClassifier.classify(clean, List.of("out/model.pt"))).get()
                .satisfies(f -> {
                    assertThat(f.kind()).isEqualTo(FailureKind.MISSING_OUTPUT);
                    assertThat(f.message()).contains("out/model.pt");
                });
        assertThat(FailureClassifier.classify(new RunEnding(0, null, false, null, List.of("epoch 2 loss: inf")), List.of()))
                .get().extracting(Failure::kind).isEqualTo(FailureKind.NAN_LOSS);
    }

    @Test
    void anUnknownCrashQuotesTheLastTraceback() {
        Optional<Failure> failure = FailureClassifier.classify(failedWith("noise", "Traceback (most recent call last):",
                "  File \"train.py\", line 3, in <module>", "KeyError: 'price'"), List.of());

        assertThat(failure).get().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FailureKind.CRASH);
            assertThat(f.evidence()).first().isEqualTo("Traceback (most recent call last):");
            assertThat(f.message()).contains("exited with status 1").contains("KeyError: 'price'");
        });
    }

    private static RunEnding failedWith(String... lines) {
        return new RunEnding(1, null, false, null, List.of(lines));
    }
}
