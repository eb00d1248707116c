package org.recursa.engine;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.api.model.Tensor;
import org.recursa.api.model.WeightSet;

/** A model's parameters by name, in creation order; a shared weight is one parameter, used many times. */
public final class ParameterSet {

    private final Map<String, Parameter> parameters = new LinkedHashMap<>();

    /** Registers a new parameter; names must be unique. */
    public Parameter add(String name, INDArray value) {
        Parameter parameter = new Parameter(name, value);
        if (parameters.putIfAbsent(name, parameter) != null) {
            throw new IllegalArgumentException("parameter '" + name + "' is defined twice");
        }
        return parameter;
    }

    /** Every parameter in creation order. */
    public Collection<Parameter> all() {
        return Collections.unmodifiableCollection(parameters.values());
    }

    /** The parameter with this name. */
    public Parameter get(String name) {
        Parameter parameter = parameters.get(name);
        if (parameter == null) {
            throw new IllegalArgumentException("no parameter '" + name + "'");
        }
        return parameter;
    }

    /** Number of trainable values. */
    public long count() {
        return parameters.values().stream().mapToLong(p -> p.value().length()).sum();
    }

    /** Clears every gradient. */
    public void zeroGrad() {
        parameters.values().forEach(Parameter::zeroGrad);
    }

    /** A copy of the weights as API tensors (float32). */
    public WeightSet toWeightSet() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        parameters.forEach((name, p) -> tensors.put(name, Tensor.of(Arrays.stream(p.shape()).mapToInt(d -> (int) d)
                .toArray(), p.value().castTo(DataType.FLOAT).dup().data().asFloat())));
        return new WeightSet(tensors);
    }

    /**
     * Overwrites the weights with {@code weights}, which must have exactly these names and shapes.
     *
     * @throws IllegalArgumentException naming the first missing, extra or differently shaped weight
     */
    public void assign(WeightSet weights) {
        for (String name : weights.tensors().keySet()) {
            if (!parameters.containsKey(name)) {
                throw new IllegalArgumentException("unexpected weight '" + name + "'");
            }
        }
        for (Parameter p : parameters.values()) {
            Tensor t = weights.tensors().get(p.name());
            if (t == null) {
                throw new IllegalArgumentException("missing weight '" + p.name() + "'");
            }
            long[] shape = Arrays.stream(t.shape()).asLongStream().toArray();
            if (!Arrays.equals(shape, p.shape())) {
                throw new IllegalArgumentException("weight '" + p.name() + "' has shape " + Arrays.toString(shape)
                        + ", expected " + Arrays.toString(p.shape()));
            }
            p.value().assign(Nd4j.create(t.values(), shape, 'c').castTo(p.value().dataType()));
        }
    }
}
