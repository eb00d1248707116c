package org.recursa.engine.nn;

/**
 * The four linear maps of a {@link Block}, with the path their parameters take under the block's name
 * ({@code block.0.attn.qkv.weight}) and their widths. Checkpoints, the PyTorch mirrors and weight surgery such as
 * the layer-tying compressor's (a vanilla model into a relaxed one) rely on these paths.
 */
public enum BlockLinear {

    /** The packed query, key and value projection, C to 3C. */
    QKV("attn.qkv"),
    /** The attention's output projection, C to C; a residual branch's last map. */
    PROJ("attn.proj"),
    /** The MLP's first layer, C to the feed-forward width. */
    UP("mlp.up"),
    /** The MLP's second layer, back to C; a residual branch's last map. */
    DOWN("mlp.down");

    private final String path;

    BlockLinear(String path) {
        this.path = path;
    }

    /** The parameters' path under the block's name, e.g. {@code attn.qkv}. */
    public String path() {
        return path;
    }

    /** Input width. */
    public int in(Block.Shape shape) {
        return this == DOWN ? shape.hidden() : shape.width();
    }

    /** Output width. */
    public int out(Block.Shape shape) {
        return switch (this) {
            case QKV -> 3 * shape.width();
            case UP -> shape.hidden();
            default -> shape.width();
        };
    }

    /** Whether it ends a residual branch, so that GPT-2 initialises it with the depth-scaled std. */
    public boolean endsBranch() {
        return this == PROJ || this == DOWN;
    }

    /** A LoRA rank as requested, capped at this map's full rank {@code min(in, out)}. */
    public int rank(Block.Shape shape, int requested) {
        return Math.min(requested, Math.min(in(shape), out(shape)));
    }
}
