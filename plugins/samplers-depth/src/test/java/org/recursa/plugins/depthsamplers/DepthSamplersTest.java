package org.recursa.plugins.depthsamplers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.recursa.api.Config;
import org.recursa.api.decode.DecodeRequest;
import org.recursa.api.decode.Decoded;
import org.recursa.api.decode.Sampler;
import org.recursa.api.model.Model;
import org.recursa.plugins.greedy.GreedySampler;
import org.recursa.plugins.mor.MorArchitecture;
import org.recursa.plugins.recurrentdepth.RecurrentDepthArchitecture;
import org.recursa.plugins.universal.UniversalArchitecture;
import org.recursa.plugins.vanilla.VanillaArchitecture;
import org.recursa.tck.SamplerConformance;

class DepthSamplersTest {

    private static final DecodeRequest REQUEST = Models.request(6, 10);
    /** Weights at this scale make the recurrent-depth model's latent settle within a few recursions. */
    private static final double CONVERGING = 0.1;

    private final EarlyExitSampler earlyExit = new EarlyExitSampler();
    private final DiffusionForcingSampler diffusion = new DiffusionForcingSampler();
    private final DepthwiseBatchingSampler batching = new DepthwiseBatchingSampler();

    @Test
    void earlyExitThatNeverExitsDecodesAsGreedyAtFullDepth() {
        Model model = Models.build(new UniversalArchitecture(), "recursions=4");
        Decoded greedy = greedy(model);
        Decoded never = decode(earlyExit, model, "criterion=latent,threshold=0");
        assertSameOutputs(never, greedy);
        assertThat(never.averageDepth()).isEqualTo(4.0);
    }

    @Test
    void earlyExitOnALooseThresholdSpendsLessDepth() {
        Model model = Models.build(new UniversalArchitecture(), "recursions=4");
        Decoded loose = decode(earlyExit, model, "criterion=latent,threshold=1e9,min_depth=2");
        // every generated token after the first (which the full-depth prompt pass predicts) exits at min_depth
        for (int[] depths : loose.depths()) {
            for (int i = 1; i < depths.length; i++) {
                assertThat(depths[i]).isEqualTo(2);
            }
        }
        assertThat(loose.averageDepth()).isLessThan(4.0);
        assertThat(loose.flops()).isLessThan(decode(earlyExit, model, "criterion=latent,threshold=0").flops());
    }

    @Test
    void earlyExitOnPredictionStabilityStaysWithinTheDepthLimits() {
        Model model = Models.build(new RecurrentDepthArchitecture(), "mean_recurrence=6,recurrent_layers=1", CONVERGING);
        Decoded stable = decode(earlyExit, model, "criterion=prediction,threshold=1e-2");
        int[] all = stable.depths().stream().flatMapToInt(java.util.Arrays::stream).toArray();
        assertThat(all).isNotEmpty();
        assertThat(java.util.Arrays.stream(all).allMatch(d -> d >= 2 && d <= 6)).as(java.util.Arrays.toString(all))
                .isTrue();
        assertThat(stable.outputs()).allSatisfy(output -> assertThat(output.length).isLessThanOrEqualTo(10));
    }

    @Test
    void earlyExitHonoursTheModelsOwnHalting() {
        Model act = Models.build(new UniversalArchitecture(), "recursions=4,act=true,halting_bias=-1");
        Decoded halting = decode(earlyExit, act, "criterion=auto");
        assertThat(halting.averageDepth()).isBetween(1.0, 4.0);
        Model plain = Models.build(new UniversalArchitecture(), "recursions=4");
        assertThat(earlyExit.unsupportedReason(plain.info(), settings(earlyExit, "criterion=halting")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("act=true"));
    }

    @Test
    void earlyExitOnARoutedModelIsItsOwnRoutingWithTheDepthReported() {
        Model mor = Models.build(new MorArchitecture(), "recursions=3");
        Decoded routed = decode(earlyExit, mor, "criterion=auto");
        assertSameOutputs(routed, greedy(mor));
        assertThat(routed.averageDepth()).isBetween(0.0, 3.0);
        Decoded batched = decode(batching, mor, "criterion=router,slots=2");
        assertSameOutputs(batched, routed);
        assertThat(diffusion.unsupportedReason(mor.info())).isEmpty();
    }

    @Test
    void diffusionForcingWithoutConvergenceFreezesAtFullDepthAndDecodesAsGreedy() {
        Model model = Models.build(new UniversalArchitecture(), "recursions=3");
        Decoded parallel = decode(diffusion, model, "exit_threshold=0,inner_steps=1,max_wavefront=4");
        assertSameOutputs(parallel, greedy(model));
    }

    @Test
    void diffusionForcingOnARecurrentDepthModelFreezesConvergedPositionsEarly() {
        Model model = Models.build(new RecurrentDepthArchitecture(), "mean_recurrence=8,recurrent_layers=1", CONVERGING);
        Decoded strict = decode(diffusion, model, "exit_threshold=0,inner_steps=2");
        Decoded loose = decode(diffusion, model, "exit_threshold=0.1,inner_steps=2");
        assertThat(strict.averageDepth()).isGreaterThanOrEqualTo(8.0);
        assertThat(loose.averageDepth()).isLessThan(strict.averageDepth());
        assertThat(loose.outputs()).allSatisfy(output -> assertThat(output.length).isLessThanOrEqualTo(10));
    }

    @Test
    void depthwiseBatchingAtFullDepthDecodesAsGreedyWithAnySlotCount() {
        Model model = Models.build(new UniversalArchitecture(), "recursions=3");
        Decoded greedy = greedy(model);
        assertSameOutputs(decode(batching, model, "criterion=latent,threshold=0"), greedy);
        assertSameOutputs(decode(batching, model, "criterion=latent,threshold=0,slots=2"), greedy);
    }

    @Test
    void depthwiseBatchingMakesEarlyExitsChoicesOnlyScheduledDifferently() {
        Model model = Models.build(new RecurrentDepthArchitecture(), "mean_recurrence=6,recurrent_layers=1", CONVERGING);
        Decoded lockstep = decode(earlyExit, model, "criterion=latent,threshold=0.05");
        Decoded continuous = decode(batching, model, "criterion=latent,threshold=0.05,slots=3");
        assertThat(continuous.averageDepth()).isLessThan(6.0);
        assertSameOutputs(continuous, lockstep);
        for (int r = 0; r < lockstep.depths().size(); r++) {
            assertThat(continuous.depths().get(r)).containsExactly(lockstep.depths().get(r));
        }
    }

    @Test
    void passTheSamplerConformanceChecksThatApplyToThem() {
        Model model = Models.build(new UniversalArchitecture(), "recursions=3");
        Model vanilla = Models.build(new VanillaArchitecture(), "layers=2");
        SamplerConformance.agreesWithGreedy(earlyExit, settings(earlyExit, "criterion=latent,threshold=0"), model,
                REQUEST);
        SamplerConformance.agreesWithGreedy(diffusion, settings(diffusion, "exit_threshold=0,inner_steps=1"), model,
                REQUEST);
        SamplerConformance.agreesWithGreedy(batching, settings(batching, "criterion=latent,threshold=0"), model,
                REQUEST);
        for (Sampler sampler : new Sampler[] {earlyExit, diffusion, batching}) {
            SamplerConformance.honoursUnsupportedReason(sampler, sampler.schema().defaults(), vanilla, model);
            SamplerConformance.isDeterministicForASeed(sampler, sampler.schema().defaults(), model, REQUEST);
        }
    }

    @Test
    void fixedDepthModelsAreRefusedWithAReason() {
        Model vanilla = Models.build(new VanillaArchitecture(), "layers=2");
        for (Sampler sampler : new Sampler[] {earlyExit, diffusion, batching}) {
            assertThat(sampler.unsupportedReason(vanilla.info())).hasValueSatisfying(reason ->
                    assertThat(reason).contains("vanilla").contains("greedy"));
            assertThatThrownBy(() -> sampler.decode(vanilla, REQUEST, sampler.schema().defaults()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void lengthLimitsHold() {
        Model model = Models.build(new UniversalArchitecture(), "recursions=2");
        DecodeRequest shortRequest = Models.request(4, 3);
        for (Sampler sampler : new Sampler[] {earlyExit, diffusion, batching}) {
            Decoded decoded = sampler.decode(model, shortRequest, sampler.schema().defaults());
            assertThat(decoded.outputs()).allSatisfy(output -> assertThat(output.length).isLessThanOrEqualTo(3));
            assertThat(decoded.outputs()).allSatisfy(output -> assertThat(output).doesNotContain(2));
        }
    }

    private static Decoded greedy(Model model) {
        GreedySampler greedy = new GreedySampler();
        return greedy.decode(model, REQUEST, greedy.schema().defaults());
    }

    private static Decoded decode(Sampler sampler, Model model, String settings) {
        return sampler.decode(model, REQUEST, settings(sampler, settings));
    }

    private static Config settings(Sampler sampler, String pairs) {
        Map<String, String> map = new java.util.HashMap<>();
        for (String pair : pairs.split(",")) {
            String[] kv = pair.split("=", 2);
            map.put(kv[0], kv[1]);
        }
        return sampler.schema().resolve(map);
    }

    private static void assertSameOutputs(Decoded actual, Decoded expected) {
        assertThat(actual.outputs()).hasSameSizeAs(expected.outputs());
        for (int r = 0; r < expected.outputs().size(); r++) {
            assertThat(actual.outputs().get(r)).as("row %d", r).containsExactly(expected.outputs().get(r));
        }
    }
}
