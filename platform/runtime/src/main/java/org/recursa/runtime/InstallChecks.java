package org.recursa.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.recursa.api.Config;
import org.recursa.api.compress.Compressor;
import org.recursa.api.decode.Sampler;
import org.recursa.api.task.Task;
import org.recursa.engine.train.TrainableArchitecture;
import org.recursa.tck.ArchitectureConformance;
import org.recursa.tck.SamplerConformance;
import org.recursa.tck.TaskConformance;

/**
 * The cheap conformance rules {@code plugin install} and {@code plugin update} run on a started bundle's extensions
 * before the store changes: the rules of the TCK that take seconds, not minutes, so that a plugin whose task leaks
 * training inputs into its held-out split, or whose architecture cannot run a forward pass, is refused at install
 * rather than found out by a run. Tasks: the train and test-id splits, determinism per seed, held-out inputs outside
 * training, tokens in the vocabulary, and derive agreeing with every target, on the TCK's small samples and the
 * task's default settings. Architectures: a model built with the default settings on a tiny problem runs one forward
 * pass with finite logits of the right shape. Samplers: {@link SamplerConformance#verifyWhereSupported} (table
 * models).
 * Compressors: the default settings resolve (the compressor's real checks need a trained model).
 *
 * <p>Only at install and update: the bundles the distribution seeds are verified by their own builds with the full
 * TCK, and a start only re-installs what was checked, so starting the host never runs these.
 */
final class InstallChecks {

    private InstallChecks() {
    }

    /**
     * Runs the rules on every extension of {@code bundle}.
     *
     * @throws RecursaException naming the bundle, the extension and the first rule it breaks, with the TCK's reason
     */
    static void verify(BundleRef bundle, List<ExtensionEntry> extensions) {
        for (ExtensionEntry entry : extensions) {
            for (Rule rule : rules(entry)) {
                try {
                    rule.check().run();
                } catch (AssertionError | RuntimeException e) {
                    throw new RecursaException("bundle " + bundle + " is refused: " + entry.kind().label() + " '"
                            + entry.id() + "' breaks the rule '" + rule.name() + "': " + reason(e), e);
                }
            }
        }
    }

    /** A named rule, so that a refusal says which one broke. */
    record Rule(String name, Runnable check) {
    }

    static List<Rule> rules(ExtensionEntry entry) {
        List<Rule> rules = new ArrayList<>();
        switch (entry.kind()) {
            case TASK -> {
                Task task = (Task) entry.extension();
                rules.add(new Rule("default settings resolve", () -> task.schema().resolve(Map.of())));
                rules.add(new Rule("train and test-id splits present",
                        () -> TaskConformance.hasTheRequiredSplits(task, defaults(task))));
                rules.add(new Rule("deterministic per seed",
                        () -> TaskConformance.isDeterministicPerSeed(task, defaults(task))));
                rules.add(new Rule("held-out inputs outside training",
                        () -> TaskConformance.keepsEvaluationInputsOutOfTraining(task, defaults(task))));
                rules.add(new Rule("tokens in the vocabulary",
                        () -> TaskConformance.spellsEverythingInItsVocabulary(task, defaults(task))));
                rules.add(new Rule("derive agrees with every target",
                        () -> TaskConformance.derivesEveryTarget(task, defaults(task))));
            }
            case ARCHITECTURE -> {
                TrainableArchitecture architecture = (TrainableArchitecture) entry.extension();
                rules.add(new Rule("a default model runs a forward pass",
                        () -> ArchitectureConformance.buildsAndRunsWithDefaults(architecture)));
            }
            case SAMPLER -> {
                Sampler sampler = (Sampler) entry.extension();
                rules.add(new Rule("decodes the reference chains",
                        () -> SamplerConformance.verifyWhereSupported(sampler, sampler.schema().defaults())));
            }
            case COMPRESSOR -> {
                Compressor compressor = (Compressor) entry.extension();
                rules.add(new Rule("default settings resolve", () -> compressor.schema().defaults()));
            }
            default -> throw new IllegalStateException("no install checks for " + entry.kind());
        }
        return rules;
    }

    private static Config defaults(Task task) {
        return task.schema().resolve(Map.of());
    }

    /** The first line of the TCK's message, or the exception itself when plugin code threw. */
    private static String reason(Throwable e) {
        String message = e instanceof AssertionError ? e.getMessage() : e.toString();
        return message == null ? e.getClass().getName() : message.lines().findFirst().orElse(message);
    }
}
