package org.recursa.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.recursa.api.Config;
import org.recursa.api.Extension;
import org.recursa.api.ExtensionKind;
import org.recursa.api.compress.Compression;
import org.recursa.api.compress.CompressionReport;
import org.recursa.api.compress.CompressionContext;
import org.recursa.api.compress.Compressor;
import org.recursa.api.compress.ModelSnapshot;
import org.recursa.api.task.Task;
import org.recursa.runtime.fixtures.DuplicateCopyTask;
import org.recursa.runtime.fixtures.EchoTask;

class ExtensionRegistryTest {

    private static final BundleRef FIRST = new BundleRef(7, "first", "1.0.0");
    private static final BundleRef SECOND = new BundleRef(8, "second", "2.0.0");

    private final ExtensionRegistry registry = new ExtensionRegistry();

    @Test
    void registersByKindAndIdAndForgetsAStoppedBundle() {
        registry.register(FIRST, Map.of(ExtensionKind.TASK, List.of(new EchoTask(), new DuplicateCopyTask()),
                ExtensionKind.COMPRESSOR, List.of(new Shrink("shrink"))));
        assertThat(registry.list(ExtensionKind.TASK)).extracting(ExtensionEntry::id).containsExactly("copy", "echo");
        assertThat(registry.require(Task.class, "echo")).isInstanceOf(EchoTask.class);
        assertThat(registry.ofBundle(7)).hasSize(3);

        registry.unregister(7);

        assertThat(registry.all()).isEmpty();
    }

    @Test
    void aTakenIdIsAnErrorNamingBothBundlesAndRegistersNothingOfTheSecond() {
        registry.register(FIRST, Map.of(ExtensionKind.TASK, List.of(new DuplicateCopyTask())));
        Map<ExtensionKind, List<Extension>> second = Map.of(ExtensionKind.TASK,
                List.of(new EchoTask(), new DuplicateCopyTask()));

        assertThatThrownBy(() -> registry.register(SECOND, second))
                .isInstanceOf(RecursaException.class)
                .hasMessage("duplicate task id 'copy': offered by bundle first 1.0.0 and by bundle second 2.0.0; "
                        + "uninstall one of them");
        assertThat(registry.list(ExtensionKind.TASK)).extracting(e -> e.bundle().symbolicName())
                .containsExactly("first");
    }

    @Test
    void theSameIdInAnotherKindIsFine() {
        registry.register(FIRST, Map.of(ExtensionKind.TASK, List.of(new DuplicateCopyTask())));
        registry.register(SECOND, Map.of(ExtensionKind.COMPRESSOR, List.of(new Shrink("copy"))));
        assertThat(registry.withId("copy")).extracting(ExtensionEntry::kind)
                .containsExactly(ExtensionKind.TASK, ExtensionKind.COMPRESSOR);
    }

    @Test
    void malformedIdsAreRejected() {
        assertThatThrownBy(() -> registry.register(FIRST, Map.of(ExtensionKind.COMPRESSOR,
                List.of(new Shrink("Big Shrink")))))
                .hasMessageStartingWith("bundle first 1.0.0 offers a compressor with invalid id 'Big Shrink'");
    }

    @Test
    void anUnknownIdListsTheInstalledChoices() {
        assertThatThrownBy(() -> registry.require(Task.class, "copy"))
                .hasMessage("unknown task 'copy'; no task is installed");
        registry.register(FIRST, Map.of(ExtensionKind.TASK, List.of(new EchoTask(), new DuplicateCopyTask())));
        assertThatThrownBy(() -> registry.require(Task.class, "reverse"))
                .hasMessage("unknown task 'reverse'; installed tasks: copy, echo");
    }

    @Test
    void failuresAreRecordedPerBundleAndClearedOnUnregister() {
        registry.recordFailure(FIRST, "broken");
        assertThat(registry.failure(7)).hasValue("broken");
        registry.unregister(7);
        assertThat(registry.failure(7)).isEmpty();
    }

    private record Shrink(String id) implements Compressor {
        @Override
        public String description() {
            return "test compressor";
        }

        @Override
        public Compression compress(ModelSnapshot source, Config settings, CompressionContext context) {
            return new Compression(source, new CompressionReport(0, 0, 0, 0, "none", java.util.Map.of()));
        }
    }
}
