package org.recursa.plugins.recursion;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A binary tree with digit labels, written {@code N label left right} or {@code L} for a leaf; built by the
 * traversal tasks' generators.
 */
final class Tree {

    final int label;
    Tree left;
    Tree right;

    private Tree(int label) {
        this.label = label;
    }

    /** A tree of exactly {@code depth} levels: a path of random turns, then {@code extra} nodes hung off it. */
    static Tree ofDepth(SplittableRandom random, int depth, int extra) {
        Tree root = new Tree(random.nextInt(10));
        Tree node = root;
        for (int level = 1; level < depth; level++) {
            Tree child = new Tree(random.nextInt(10));
            if (random.nextBoolean()) {
                node.left = child;
            } else {
                node.right = child;
            }
            node = child;
        }
        for (int i = 0; i < extra; i++) {
            List<Tree> open = new ArrayList<>();
            root.collectOpen(1, depth, open);
            if (open.isEmpty()) {
                break;
            }
            Tree parent = open.get(random.nextInt(open.size()));
            Tree child = new Tree(random.nextInt(10));
            if (parent.left == null && (parent.right != null || random.nextBoolean())) {
                parent.left = child;
            } else {
                parent.right = child;
            }
        }
        return root;
    }

    /** A maximally unbalanced tree: every node has only a left (or only a right) child. */
    static Tree spine(SplittableRandom random, int depth, boolean left) {
        Tree root = new Tree(random.nextInt(10));
        Tree node = root;
        for (int level = 1; level < depth; level++) {
            Tree child = new Tree(random.nextInt(10));
            if (left) {
                node.left = child;
            } else {
                node.right = child;
            }
            node = child;
        }
        return root;
    }

    /** Nodes above {@code depth} with a free child slot. */
    private void collectOpen(int level, int depth, List<Tree> open) {
        if (level < depth && (left == null || right == null)) {
            open.add(this);
        }
        if (left != null) {
            left.collectOpen(level + 1, depth, open);
        }
        if (right != null) {
            right.collectOpen(level + 1, depth, open);
        }
    }

    /** Prefix tokens: {@code N label left right}, leaves {@code L}. */
    static void write(Tree tree, List<String> out) {
        if (tree == null) {
            out.add("L");
            return;
        }
        out.add("N");
        out.add(Integer.toString(tree.label));
        write(tree.left, out);
        write(tree.right, out);
    }
}
