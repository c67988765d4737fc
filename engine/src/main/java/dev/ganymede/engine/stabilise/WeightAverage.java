package dev.ganymede.engine.stabilise;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ganymede.engine.nn.Autograd;
import dev.ganymede.engine.nn.Parameter;
import dev.ganymede.engine.nn.Torch;
import dev.ganymede.engine.train.Gan;
import dev.ganymede.engine.train.SamplingWeights;
import dev.ganymede.engine.train.Stabiliser;
import dev.ganymede.engine.train.StepContext;
import dev.ganymede.engine.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * An exponential moving average of the generator's weights (Yazıcı et al. 2019; the G_ema of
 * ProGAN, StyleGAN, BigGAN and StudioGAN): after each generator update, avg ← β·avg + (1 − β)·w,
 * buffers such as BatchNorm's running statistics copied. Sampling, sample grids and the saved
 * generator use the average; training continues on the raw weights.
 */
public final class WeightAverage implements Stabiliser, SamplingWeights {

    private final double decay;
    private List<Parameter> parameters;
    private List<String> names;
    private List<NDArray> average;
    private NDManager scope;
    private Gan gan;

    public WeightAverage(double decay) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("the averaging decay must be between 0 and 1 (e.g. 0.999), got " + decay);
        }
        this.decay = decay;
    }

    public double decay() {
        return decay;
    }

    @Override
    public String describe() {
        return "generator weights averaged, decay " + decay + " (samples use the average)";
    }

    @Override
    public void attach(Trainer trainer) {
        Gan gan = trainer.gan();
        scope = gan.generator().manager().newSubManager();
        parameters = new ArrayList<>(gan.generator().namedParameters().values());
        names = new ArrayList<>(gan.generator().namedParameters().keySet());
        average = new ArrayList<>();
        try (Autograd.Recording paused = Autograd.pause()) {
            for (Parameter p : parameters) {
                NDArray copy = p.value().duplicate();
                copy.attach(scope);
                average.add(copy);
            }
        }
        gan.useSamplingWeights(this);
        this.gan = gan;
    }

    @Override
    public void afterGeneratorUpdate(Gan gan, StepContext c) {
        synchronized (this) {
            try (Autograd.Recording paused = Autograd.pause()) {
                for (int i = 0; i < parameters.size(); i++) {
                    Parameter p = parameters.get(i);
                    NDArray avg = average.get(i);
                    if (p.trainable()) {
                        NDArray step = Torch.mul(p.value(), 1 - decay);
                        step.attach(c.scope());
                        Torch.muli(avg, decay).addi(step);
                    } else {
                        Torch.copyInto(p.value(), avg);
                    }
                }
            }
        }
    }

    /** The average of each generator parameter, by the parameter's name. */
    @Override
    public synchronized java.util.Map<String, NDArray> state() {
        java.util.Map<String, NDArray> named = new java.util.LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            named.put("average." + names.get(i), average.get(i));
        }
        return named;
    }

    @Override
    public synchronized void restoreState(java.util.Map<String, NDArray> saved) {
        try (Autograd.Recording paused = Autograd.pause()) {
            for (int i = 0; i < parameters.size(); i++) {
                NDArray value = saved.get("average." + names.get(i));
                if (value != null) {
                    Torch.copyInto(value, average.get(i));
                }
            }
        }
    }

    /** Runs {@code action} with the averaged weights in the generator, then puts the raw ones back. */
    @Override
    public synchronized <T> T apply(Supplier<T> action) {
        swap();
        try {
            return action.get();
        } finally {
            swap();
        }
    }

    private void swap() {
        for (int i = 0; i < parameters.size(); i++) {
            average.set(i, parameters.get(i).exchange(average.get(i)));
        }
    }

    @Override
    public void close() {
        if (gan != null) {
            gan.stopSamplingWith(this); // a trainer that drops the average samples with the trained weights again
        }
        if (scope != null) {
            scope.close();
        }
    }
}
