package ${package};

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.recursa.api.Config;
import org.recursa.api.ConfigSchema;
import org.recursa.api.Setting;
import org.recursa.api.compress.Compression;
import org.recursa.api.compress.CompressionContext;
import org.recursa.api.compress.CompressionReport;
import org.recursa.api.compress.Compressor;
import org.recursa.api.compress.ModelSnapshot;
import org.recursa.api.model.Storage;
import org.recursa.api.model.Tensor;
import org.recursa.api.model.WeightSet;

/**
 * Unstructured magnitude pruning (Han et al., 2015): in every weight matrix, the fraction {@code sparsity} of entries
 * with the smallest absolute values is set to zero, and the matrix is stored sparse (a bitmap and the surviving
 * values), so the checkpoint shrinks. The model keeps its architecture and settings; {@code recursa compress} can
 * uptrain it afterwards to win back what pruning cost.
 */
public final class ${className}Compressor implements Compressor {

    private static final ConfigSchema SCHEMA = ConfigSchema.of(
            Setting.ofDouble("sparsity", 0.5, 0.0, 0.99, "fraction of each weight matrix set to zero, smallest first"));

    /** Creates the compressor; it holds no state. */
    public ${className}Compressor() {
    }

    @Override
    public String id() {
        return "${id}";
    }

    @Override
    public String description() {
        return "Magnitude pruning: zero the smallest weights of every matrix and store them sparse";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    @Override
    public Compression compress(ModelSnapshot source, Config settings, CompressionContext context) {
        double sparsity = settings.getDouble("sparsity");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        long zeroed = 0;
        long prunable = 0;
        for (Map.Entry<String, Tensor> entry : source.weights().tensors().entrySet()) {
            Tensor tensor = entry.getValue();
            if (prunable(entry.getKey(), tensor)) {
                tensor = prune(tensor, sparsity);
                zeroed += (long) Math.floor(sparsity * tensor.size());
                prunable += tensor.size();
            }
            tensors.put(entry.getKey(), tensor);
        }
        WeightSet after = new WeightSet(tensors);
        ModelSnapshot pruned = new ModelSnapshot(source.architecture(), source.settings(), source.info(), after);
        String summary = String.format("%s: %d of %d matrix weights set to zero (%.0f%%)", id(), zeroed, prunable,
                100.0 * sparsity);
        return new Compression(pruned, CompressionReport.of(source.weights(), after, summary,
                Map.of("sparsity", prunable == 0 ? 0.0 : (double) zeroed / prunable)));
    }

    /**
     * Float32 matrices other than the embedding tables: an embedding row is looked up, not multiplied, so its small
     * entries are not the noise that pruning assumes; vectors (biases, norms) are too few to matter.
     */
    static boolean prunable(String name, Tensor tensor) {
        return tensor.shape().length == 2 && tensor.storage().equals(Storage.FLOAT32) && !name.startsWith("embed.");
    }

    /** The same tensor with its {@code floor(sparsity * size)} smallest-magnitude values zeroed, stored sparse. */
    static Tensor prune(Tensor tensor, double sparsity) {
        float[] values = tensor.values();
        int count = (int) Math.floor(sparsity * values.length);
        // A stable sort of the positions by magnitude: ties go to the lower position, so pruning is deterministic.
        int[] order = IntStream.range(0, values.length).boxed()
                .sorted(Comparator.comparingDouble(i -> Math.abs(values[i]))).mapToInt(Integer::intValue).toArray();
        float[] pruned = values.clone();       // the source must stay unchanged
        for (int i = 0; i < count; i++) {
            pruned[order[i]] = 0f;
        }
        return new Tensor(tensor.shape().clone(), pruned, Storage.SPARSE);
    }
}
