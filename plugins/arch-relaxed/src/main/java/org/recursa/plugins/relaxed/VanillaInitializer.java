package org.recursa.plugins.relaxed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.recursa.api.Config;
import org.recursa.api.ConfigException;
import org.recursa.api.model.Tensor;
import org.recursa.engine.Checkpoint;
import org.recursa.engine.Parameter;
import org.recursa.engine.nn.BlockLinear;
import org.recursa.engine.nn.PositionEncoding;

/**
 * Initialises a relaxed model from a trained vanilla checkpoint (Bae et al., §3):
 * <ul>
 *   <li>shared matrix b = the vanilla layer picked by Stepwise selection, {@code round(linspace(0, L-1, B))[b]}
 *       (first and last layer kept; {@code round} halves to even as numpy's does in the authors' code, or up with
 *       {@code stepwise_round=half-up}), or the Average of the layers that CYCLE ties to it ({@code b, b+B, ...});</li>
 *   <li>depth l's biases = vanilla layer l's; its norms = vanilla layer l's ({@code norms_from=depth}), or, as the
 *       authors' code, those of the layer(s) shared block {@code l mod B} came from ({@code norms_from=source}:
 *       the Stepwise layer, or the Average of the tied layers);</li>
 *   <li>depth l's LoRA = the truncated SVD of the residual {@code W_l - W_shared(l mod B) = U S V^T}:
 *       {@code B_l = U_r S_r}, {@code A_l = V_r^T}, the best rank-r approximation {@code B_l A_l}; with separate
 *       q/k/v LoRAs ({@code lora_qkv=separate}) each projection's LoRA from its own (C, C) row block of the packed
 *       q/k/v residual, as the paper's models would initialise {@code q_proj}, {@code k_proj} and {@code v_proj};</li>
 *   <li>embeddings, final norm and output head copied.</li>
 * </ul>
 */
final class VanillaInitializer {

    /** How shared matrices are chosen from the vanilla layers. */
    enum Selection { STEPWISE, AVERAGE }

    /**
     * How to initialise.
     *
     * @param selection        Stepwise or Average
     * @param halfEven         Stepwise rounds {@code .5} to even (numpy, the authors' code), else up
     * @param normsFromSource  every tied depth takes the norms of its shared block's source layer(s), else its own
     */
    record Options(Selection selection, boolean halfEven, boolean normsFromSource) {
    }

    private VanillaInitializer() {
    }

    static void initialize(RelaxedModel model, Config config, Path file, Options options) {
        Selection selection = options.selection();
        Checkpoint.Contents contents = read(file);
        check(model, config, contents.header(), file);
        Map<String, Tensor> weights = contents.weights().tensors();
        RelaxedModel.Recursion recursion = model.recursion();
        for (String name : new String[] {"embed.tokens", "embed.positions", "final_norm.weight", "final_norm.bias",
                "head.weight", "head.bias"}) {
            if (weights.containsKey(name) || !name.equals("embed.positions")) {   // no table unless learned
                assign(model.parameters().get(name), weights, name);
            }
        }
        for (int b = 0; b < recursion.shared(); b++) {
            for (BlockLinear linear : BlockLinear.values()) {
                model.sharedMatrix(b, linear).value().assign(sharedMatrix(weights, recursion, options, b, linear));
            }
        }
        for (int l = 0; l < recursion.depth(); l++) {
            initializeDepth(model, weights, l, options);
        }
    }

    private static void initializeDepth(RelaxedModel model, Map<String, Tensor> weights, int l, Options options) {
        String depth = "depth." + l + ".";
        String layer = "block." + l + ".";
        RelaxedModel.Recursion recursion = model.recursion();
        for (String norm : new String[] {"ln1.weight", "ln1.bias", "ln2.weight", "ln2.bias"}) {
            if (!options.normsFromSource()) {
                assign(parameter(model, depth + norm), weights, layer + norm);
            } else {
                int b = l % recursion.shared();
                INDArray sum = null;
                List<Integer> sources = sources(recursion, options, b);
                for (int source : sources) {
                    INDArray w = array(weights, "block." + source + "." + norm).castTo(DataType.DOUBLE);
                    sum = sum == null ? w : sum.addi(w);
                }
                parameter(model, depth + norm).value().assign(sum.divi(sources.size()));
            }
        }
        for (BlockLinear linear : BlockLinear.values()) {
            String vanilla = layer + linear.path();
            String own = depth + linear.path();
            assign(parameter(model, own + ".bias"), weights, vanilla + ".bias");
            if (model.recursion().rank() > 0) {
                INDArray shared = model.sharedMatrix(l % model.recursion().shared(), linear).value()
                        .castTo(DataType.DOUBLE);
                INDArray residual = array(weights, vanilla + ".weight").castTo(DataType.DOUBLE).sub(shared);
                initializeLora(model, own, residual, linear);
            }
        }
    }

    /**
     * The LoRA of one map from the residual (out, in) it relaxes: its truncated SVD, or, for q/k/v relaxed by a LoRA
     * per projection, the truncated SVD of each projection's row block of the residual, each at rank r.
     */
    private static void initializeLora(RelaxedModel model, String own, INDArray residual, BlockLinear linear) {
        int rank = model.rank(linear);
        List<String> slices = linear == BlockLinear.QKV ? model.recursion().qkvLora().slices() : List.of();
        if (slices.isEmpty()) {
            assignFactors(model, own, residual, rank);
            return;
        }
        long rows = residual.rows() / slices.size();
        for (int s = 0; s < slices.size(); s++) {
            INDArray block = residual.get(NDArrayIndex.interval(s * rows, (s + 1) * rows), NDArrayIndex.all());
            assignFactors(model, own + "." + slices.get(s), block, rank);
        }
    }

    /** {@code name.lora_b} and {@code name.lora_a} from the truncated SVD of {@code m} (out, in) = B A. */
    private static void assignFactors(RelaxedModel model, String name, INDArray m, int rank) {
        INDArray[] factors = truncatedSvd(m, rank);
        parameter(model, name + ".lora_b").value().assign(factors[0]);
        parameter(model, name + ".lora_a").value().assign(factors[1]);
    }

    private static Parameter parameter(RelaxedModel model, String name) {
        return model.parameters().get(name);
    }

    private static INDArray sharedMatrix(Map<String, Tensor> weights, RelaxedModel.Recursion recursion,
                                         Options options, int b, BlockLinear map) {
        String linear = "." + map.path() + ".weight";
        List<Integer> sources = sources(recursion, options, b);
        INDArray sum = null;
        for (int l : sources) {
            INDArray w = array(weights, "block." + l + linear).castTo(DataType.DOUBLE);
            sum = sum == null ? w : sum.addi(w);
        }
        return sum.divi(sources.size());
    }

    /** The vanilla layers shared block b is initialised from: one by Stepwise selection, or the tied ones. */
    static List<Integer> sources(RelaxedModel.Recursion recursion, Options options, int b) {
        if (options.selection() == Selection.STEPWISE) {
            return List.of(stepwise(b, recursion.depth(), recursion.shared(), options.halfEven()));
        }
        List<Integer> tied = new java.util.ArrayList<>();
        for (int l = b; l < recursion.depth(); l += recursion.shared()) {
            tied.add(l);
        }
        return tied;
    }

    /** {@code round(linspace(0, L-1, B))[b]}, halves to even (numpy's round) or up. */
    static int stepwise(int b, int layers, int shared, boolean halfEven) {
        if (shared == 1) {
            return 0;
        }
        double position = (double) b * (layers - 1) / (shared - 1);
        return (int) (halfEven ? Math.rint(position) : Math.round(position));
    }

    /**
     * {@code [U_r S_r, V_r^T]} of {@code m = U S V^T}: (rows, r) and (r, columns), whose product is the best rank-r
     * approximation of m.
     */
    static INDArray[] truncatedSvd(INDArray m, int rank) {
        Svd svd = Svd.of(m.toDoubleMatrix());
        int rows = (int) m.rows();
        int columns = (int) m.columns();
        double[][] a = new double[rows][rank];
        double[][] b = new double[rank][columns];
        for (int k = 0; k < rank; k++) {
            for (int i = 0; i < rows; i++) {
                a[i][k] = svd.u()[i][k] * svd.s()[k];
            }
            for (int j = 0; j < columns; j++) {
                b[k][j] = svd.v()[j][k];
            }
        }
        return new INDArray[] {Nd4j.create(a), Nd4j.create(b)};
    }

    private static Checkpoint.Contents read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("init_from: no checkpoint file at " + file + "; give the path of a vanilla "
                    + "run's checkpoint");
        }
        try {
            return Checkpoint.read(file);
        } catch (IOException e) {
            throw new ConfigException("init_from: " + file + " is not a readable checkpoint: " + e.getMessage());
        }
    }

    private static void check(RelaxedModel model, Config config, Checkpoint.Header header, Path file) {
        if (!header.architecture().equals("vanilla")) {
            throw new ConfigException("init_from: " + file + " is a '" + header.architecture() + "' checkpoint; "
                    + "relaxed initialises from a 'vanilla' checkpoint");
        }
        var info = model.info();
        int depth = model.recursion().depth();
        String expected = "vocabulary " + info.vocabularySize() + ", max length " + info.maxLength() + ", d_model "
                + config.getInt("d_model") + ", heads " + config.getInt("heads") + ", ffn " + config.getInt("ffn")
                + ", positions " + PositionEncoding.fromConfig(config).id() + ", layers " + depth
                + " (shared_layers x loops)";
        String actual = "vocabulary " + header.vocabularySize() + ", max length " + header.maxLength() + ", d_model "
                + number(header, "d_model") + ", heads " + number(header, "heads") + ", ffn " + number(header, "ffn")
                + ", positions " + header.config().getOrDefault("positions", PositionEncoding.LEARNED.id())
                + ", layers " + number(header, "layers") + " (shared_layers x loops)";
        if (!expected.equals(actual)) {
            throw new ConfigException("init_from: " + file + " has " + actual + "; this model needs " + expected);
        }
    }

    private static String number(Checkpoint.Header header, String key) {
        Object value = header.config().get(key);
        return value instanceof Number n ? Integer.toString(n.intValue()) : String.valueOf(value);
    }

    private static void assign(Parameter target, Map<String, Tensor> weights, String name) {
        target.value().assign(array(weights, name).reshape(target.value().shape()));
    }

    private static INDArray array(Map<String, Tensor> weights, String name) {
        Tensor tensor = weights.get(name);
        if (tensor == null) {
            throw new ConfigException("init_from: the vanilla checkpoint has no weight '" + name + "'");
        }
        long[] shape = java.util.Arrays.stream(tensor.shape()).asLongStream().toArray();
        return Nd4j.create(tensor.values(), shape, 'c').castTo(DataType.DOUBLE);
    }
}
