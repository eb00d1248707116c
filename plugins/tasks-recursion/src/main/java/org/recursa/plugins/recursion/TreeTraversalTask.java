package org.recursa.plugins.recursion;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.recursa.api.Config;
import org.recursa.api.ConfigException;
import org.recursa.api.ConfigSchema;
import org.recursa.api.Setting;
import org.recursa.api.task.Split;
import org.recursa.api.task.TokenFeature;

/**
 * Tree traversals by structural recursion on {@code L | N x l r}, with list append written as juxtaposition:
 *
 * <pre>
 * pre  L = .      pre  (N x l r) = x pre l pre r
 * in   L = .      in   (N x l r) = in l x in r
 * post L = .      post (N x l r) = post l post r x
 * </pre>
 *
 * Three task ids share this class ({@link Preorder}, {@link Inorder}, {@link Postorder}). Training trees have depth
 * 0 (the leaf {@code L}, the base case) to {@code max_depth}. Out of distribution, and outside the training support:
 * deeper trees, and maximally unbalanced left and right spines deeper than any training tree.
 */
public abstract class TreeTraversalTask extends RewritingTask {

    static final String OOD_DEPTH = "test-ood-depth";
    static final String LEFT_SPINE = "test-ood-left-spine";
    static final String RIGHT_SPINE = "test-ood-right-spine";

    private static final ConfigSchema SCHEMA = ConfigSchema.of(
            Setting.ofInt("max_depth", 4, 1, 64, "deepest tree in train and test-id (levels of nodes; 0 is the leaf)"),
            Setting.ofInt("max_size", 8, 1, 256, "most nodes in train and test-id"),
            Setting.ofInt("ood_depth", 6, 2, 128, "deepest tree in the OOD splits (test-ood-depth starts above max_depth)"),
            Setting.ofDouble("edge_fraction", 0.0, 0.0, 1.0,
                    "share of training trees that are left or right spines of depth 2..max_depth (the spine splits "
                            + "are deeper)"),
            TRACE_STEPS);

    private final String function;

    TreeTraversalTask(String function) {
        this.function = function;
    }

    /** The order: the function's body for {@code N x l r}, as the tokens x, l-call and r-call arranged. */
    abstract List<String> unfold(String label, List<String> left, List<String> right);

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    @Override
    List<String> symbols() {
        return List.of(function, "N", "L", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    }

    @Override
    public List<Split> splits(Config config) {
        int maxDepth = config.getInt("max_depth");
        int oodDepth = config.getInt("ood_depth");
        return List.of(
                new Split(Split.TRAIN, "depth 0.." + maxDepth + ", at most " + config.getInt("max_size") + " nodes",
                        false),
                new Split(Split.TEST_ID, "held out (no training input), same distribution as train without edge-case "
                        + "oversampling", false),
                new Split(OOD_DEPTH, "depth " + (maxDepth + 1) + ".." + oodDepth, true),
                new Split(LEFT_SPINE, "left spines (every node has only a left child), depth " + (maxDepth + 1) + ".."
                        + oodDepth, true),
                new Split(RIGHT_SPINE, "right spines (every node has only a right child), depth " + (maxDepth + 1)
                        + ".." + oodDepth, true));
    }

    @Override
    void validate(Config config) {
        if (config.getInt("ood_depth") <= config.getInt("max_depth")) {
            throw new ConfigException("setting 'ood_depth' (" + config.getInt("ood_depth") + ") must exceed 'max_depth' ("
                    + config.getInt("max_depth") + ")");
        }
        if (config.getInt("max_size") < config.getInt("max_depth")) {
            throw new ConfigException("setting 'max_size' (" + config.getInt("max_size")
                    + ") must be at least 'max_depth' (" + config.getInt("max_depth") + ")");
        }
    }

    @Override
    int arity(String token) {
        if (token.equals(function)) {
            return 1;
        }
        return switch (token) {
            case "L", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9" -> 0;
            case "N" -> 3;
            default -> -1;
        };
    }

    @Override
    Optional<Rewrite> rewrite(List<String> term, int at) {
        if (!term.get(at).equals(function) || at + 1 >= term.size()) {
            return Optional.empty();
        }
        int end = Terms.end(term, at, this::arity);
        if (term.get(at + 1).equals("L")) {
            return Optional.of(new Rewrite("iota:" + function + "/L", end, List.of()));
        }
        if (!term.get(at + 1).equals("N")) {
            return Optional.empty();
        }
        int leftStart = at + 3;
        int leftEnd = Terms.end(term, leftStart, this::arity);
        List<String> left = Terms.concat(List.of(function), term.subList(leftStart, leftEnd));
        List<String> right = Terms.concat(List.of(function), term.subList(leftEnd, end));
        return Optional.of(new Rewrite("iota:" + function + "/N", end, unfold(term.get(at + 2), left, right)));
    }

    @Override
    List<String> sample(Config config, String split, SplittableRandom random) {
        int maxDepth = config.getInt("max_depth");
        int oodDepth = config.getInt("ood_depth");
        Tree tree = switch (split) {
            case Split.TRAIN -> random.nextDouble() < config.getDouble("edge_fraction")
                    ? Tree.spine(random, between(random, Math.min(2, maxDepth), maxDepth), random.nextBoolean())
                    : typical(config, random);
            case Split.TEST_ID -> typical(config, random);
            case OOD_DEPTH -> Tree.ofDepth(random, between(random, maxDepth + 1, oodDepth), between(random, 0, 3));
            case LEFT_SPINE -> Tree.spine(random, between(random, maxDepth + 1, oodDepth), true);
            case RIGHT_SPINE -> Tree.spine(random, between(random, maxDepth + 1, oodDepth), false);
            default -> throw new IllegalArgumentException(split);
        };
        List<String> term = new ArrayList<>();
        term.add(function);
        Tree.write(tree, term);
        return term;
    }

    /** Depth uniform in 0..max_depth (0: the leaf), then extra nodes up to max_size. */
    private static Tree typical(Config config, SplittableRandom random) {
        int depth = between(random, 0, config.getInt("max_depth"));
        return depth == 0 ? null : Tree.ofDepth(random, depth, between(random, 0, config.getInt("max_size") - depth));
    }

    @Override
    Map<String, Integer> features(Config config, List<String> input) {
        int[] shape = shape(input, 1);
        boolean spine = shape[2] > 1 && (shape[3] == 1 || shape[4] == 1);
        return Map.of("depth", shape[1], "size", shape[2], "spine", spine ? 1 : 0);
    }

    /**
     * {@code depth}: the level of the node a token belongs to, 1 for the root's {@code N} and label, one more than
     * its parent's for a leaf {@code L}; undefined at the function symbol.
     */
    @Override
    List<TokenFeature> tokenFeatures(Config config, List<String> input) {
        double[] depth = new double[input.size()];
        depth[0] = Double.NaN;
        levels(input, 1, 1, depth);
        return List.of(new TokenFeature("depth", TokenFeature.Kind.NUMERIC, depth));
    }

    /** Writes the level of every token of the tree at {@code at}; returns where the tree ends. */
    private static int levels(List<String> term, int at, int level, double[] depth) {
        depth[at] = level;
        if (term.get(at).equals("L")) {
            return at + 1;
        }
        depth[at + 1] = level;
        return levels(term, levels(term, at + 2, level + 1, depth), level + 1, depth);
    }

    /** {end, depth, nodes, 1 if only left children, 1 if only right children} of the tree at token {@code at}. */
    private static int[] shape(List<String> term, int at) {
        if (term.get(at).equals("L")) {
            return new int[] {at + 1, 0, 0, 1, 1};
        }
        int[] left = shape(term, at + 2);
        int[] right = shape(term, left[0]);
        int leftOnly = right[2] == 0 && left[3] == 1 ? 1 : 0;
        int rightOnly = left[2] == 0 && right[4] == 1 ? 1 : 0;
        return new int[] {right[0], 1 + Math.max(left[1], right[1]), 1 + left[2] + right[2], leftOnly, rightOnly};
    }

    /** {@code preorder}: label, then left, then right. */
    public static final class Preorder extends TreeTraversalTask {
        /** Creates the task; it holds no state. */
        public Preorder() {
            super("pre");
        }

        @Override
        public String id() {
            return "preorder";
        }

        @Override
        public String description() {
            return "Pre-order traversal of a labelled binary tree; OOD by depth and left/right spines";
        }

        @Override
        List<String> unfold(String label, List<String> left, List<String> right) {
            return Terms.concat(List.of(label), left, right);
        }
    }

    /** {@code inorder}: left, then label, then right. */
    public static final class Inorder extends TreeTraversalTask {
        /** Creates the task; it holds no state. */
        public Inorder() {
            super("in");
        }

        @Override
        public String id() {
            return "inorder";
        }

        @Override
        public String description() {
            return "In-order traversal of a labelled binary tree; OOD by depth and left/right spines";
        }

        @Override
        List<String> unfold(String label, List<String> left, List<String> right) {
            return Terms.concat(left, List.of(label), right);
        }
    }

    /** {@code postorder}: left, then right, then label. */
    public static final class Postorder extends TreeTraversalTask {
        /** Creates the task; it holds no state. */
        public Postorder() {
            super("post");
        }

        @Override
        public String id() {
            return "postorder";
        }

        @Override
        public String description() {
            return "Post-order traversal of a labelled binary tree; OOD by depth and left/right spines";
        }

        @Override
        List<String> unfold(String label, List<String> left, List<String> right) {
            return Terms.concat(left, right, List.of(label));
        }
    }
}
