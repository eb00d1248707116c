package org.recursa.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.runstore.RunStore;
import org.recursa.runtime.run.Experiment;
import org.recursa.runtime.run.RunRequest;

/**
 * Depth as a knob through the real host and real bundles: the depth curriculum sets the depth of each recorded step,
 * every-step supervision supervises every recursion, and a run evaluated at other inference depths records each.
 */
class DepthKnobTest {

    private static final Map<String, String> TINY = Map.of("arch.d_model", "16", "arch.heads", "2", "arch.ffn", "32",
            "arch.recursions", "3", "train.batch_size", "8", "train.eval_examples", "16", "train.eval_every", "100",
            "train.warmup", "2", "train.steps", "20");

    @TempDir
    static Path home;

    private static RecursaHost host;

    @BeforeAll
    static void start() {
        host = RecursaHost.start(new RecursaHome(home), Optional.of(TestBundles.firstParty()));
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    @Test
    void cgarTrainsAThirdThenTwoThirdsThenTheFullDepthAndRecordsWhatItSaved() throws IOException {
        Experiment.Result result = run(Map.of("train.depth_curriculum", "cgar"));
        // progress step/20 < 0.3 for steps 0..5, < 0.6 for 6..11: depths ceil(3/3), ceil(6/3), 3.
        List<Integer> expected = new ArrayList<>();
        for (int step = 0; step < 20; step++) {
            expected.add(step < 6 ? 1 : step < 12 ? 2 : 3);
        }
        assertThat(stepField(result, "depth")).isEqualTo(expected);
        JsonNode training = finalJson(result).get("training");
        assertThat(training.get("depth_stages").toString()).isEqualTo("{\"1\":6,\"2\":6,\"3\":8}");
        double flops = training.get("flops").asDouble();
        double full = training.get("full_depth_flops").asDouble();
        assertThat(flops).isPositive().isLessThan(full);
        assertThat(flops / full).isGreaterThan(1.0 / 3);   // no step costs less than a third of its full depth
    }

    @Test
    void withoutACurriculumEveryStepRunsAtFullDepth() throws IOException {
        Experiment.Result result = run(Map.of());
        assertThat(stepField(result, "depth")).hasSize(20).containsOnly(3);
        JsonNode training = finalJson(result).get("training");
        assertThat(training.has("depth_stages")).isFalse();
        assertThat(training.get("flops").asDouble()).isEqualTo(training.get("full_depth_flops").asDouble());
    }

    @Test
    void everyStepSupervisionSupervisesEachRecursion() throws IOException {
        Experiment.Result result = run(Map.of("train.supervision", "every", "train.supervision_decay", "0.5"));
        JsonNode step = firstStep(result);
        for (String name : List.of("loss_ce_step.1", "loss_ce_step.2", "loss_ce_step.3")) {
            assertThat(step.has(name)).as(name).isTrue();
        }
        double weighted = step.get("loss_ce_step.1").asDouble() + 0.5 * step.get("loss_ce_step.2").asDouble()
                + 0.25 * step.get("loss_ce_step.3").asDouble();
        assertThat(step.get("task_loss").asDouble()).isCloseTo(weighted,
                org.assertj.core.api.Assertions.within(1e-4 * weighted));
    }

    @Test
    void aRunEvaluatedAtOtherDepthsRecordsEverySplitAtEach() throws IOException {
        Experiment.Result result = run(Map.of("eval.recursions", "8,1,3"));
        JsonNode end = finalJson(result);
        JsonNode depths = end.get("depths");
        assertThat(fieldNames(depths)).containsExactly("1", "3", "8");
        for (String depth : List.of("1", "3", "8")) {
            assertThat(fieldNames(depths.get(depth))).isEqualTo(fieldNames(end.get("splits")));
        }
        // At the trained depth, the same examples through atDepth(3) score what the run itself scored.
        end.get("splits").fields().forEachRemaining(split -> assertThat(depths.get("3").get(split.getKey())
                .get("seq_acc").asDouble()).as(split.getKey()).isEqualTo(split.getValue().get("seq_acc").asDouble()));
        assertThat(new ObjectMapper().readTree(result.dir().resolve("config.json").toFile()).at("/eval/recursions")
                .asText()).isEqualTo("8,1,3");
        // searchable: summary.json has every split at every depth as a metric, and the setting as a param
        JsonNode summary = new ObjectMapper().readTree(result.dir().resolve("summary.json").toFile());
        assertThat(summary.at("/metrics/seq_acc_test_id_depth_8").asDouble())
                .isEqualTo(depths.at("/8/test-id/seq_acc").asDouble());
        assertThat(summary.at("/metrics/seq_acc_test_ood_length_depth_1").isNumber()).isTrue();
        assertThat(summary.at("/params/eval.recursions").asText()).isEqualTo("8,1,3");
    }

    @Test
    void aFixedDepthArchitectureOrATooDeepRequestIsRefusedBeforeAnyRun() throws IOException {
        List<String> before = TestBundles.snapshot(home.resolve("runs"));
        assertThatThrownBy(() -> prepare("vanilla", Map.of("train.depth_curriculum", "cgar", "eval.recursions", "2")))
                .isInstanceOf(UsageException.class)
                .hasMessage("train.depth_curriculum and eval.recursions need an architecture whose depth is a knob "
                        + "(universal, relaxed, mor, recurrent-depth, loopformer); 'vanilla' has a fixed depth");
        assertThatThrownBy(() -> prepare("universal", Map.of("eval.recursions", "4,300")))
                .isInstanceOf(UsageException.class)
                .hasMessage("eval: setting 'recursions' must be depths from 1 to 256 separated by commas, like "
                        + "4,8,16,32; got '4,300'");
        assertThatThrownBy(() -> prepare("universal", Map.of("train.curriculum_thresholds", "0.6,0.3",
                "train.depth_curriculum", "cgar")))
                .isInstanceOf(UsageException.class)
                .hasMessage("train: setting 'curriculum_thresholds' must be increasing numbers in (0, 1) separated by "
                        + "commas, like 0.3,0.6; got '0.6,0.3'");
        assertThat(TestBundles.snapshot(home.resolve("runs"))).as("nothing written").isEqualTo(before);
    }

    private static Experiment.Result run(Map<String, String> extra) {
        return Experiment.execute(prepare("universal", extra), RunStore.at(home.resolve("runs")),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false, () -> false);
    }

    private static Experiment.Prepared prepare(String arch, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(TINY);
        if (!arch.equals("universal")) {
            settings.remove("arch.recursions");
        }
        settings.putAll(extra);
        return Experiment.prepare(host, new RunRequest("copy", arch, "greedy", settings, 1));
    }

    private static List<Integer> stepField(Experiment.Result result, String field) throws IOException {
        List<Integer> values = new ArrayList<>();
        for (String line : Files.readAllLines(result.dir().resolve("metrics.jsonl"))) {
            JsonNode record = new ObjectMapper().readTree(line);
            if (record.get("type").asText().equals("step")) {
                values.add(record.get(field).asInt());
            }
        }
        return values;
    }

    private static JsonNode firstStep(Experiment.Result result) throws IOException {
        return new ObjectMapper().readTree(Files.readAllLines(result.dir().resolve("metrics.jsonl")).get(0));
    }

    private static JsonNode finalJson(Experiment.Result result) throws IOException {
        return new ObjectMapper().readTree(result.dir().resolve("final.json").toFile());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
