package org.recursa.engine.optim;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Learning rate as a function of the step: linear warmup, then cosine decay to a floor, or
 * warmup-stable-decay (constant, then a linear decay over the last fraction of training).
 */
@ConsumerType
public interface LrSchedule {

    /** The learning rate for step {@code step} (0-based). */
    double at(long step);

    /** Linear warmup to {@code peak}, cosine decay to {@code floor} at {@code total}. */
    static LrSchedule cosine(double peak, double floor, long warmup, long total) {
        return step -> {
            if (step < warmup) {
                return peak * (step + 1) / warmup;
            }
            if (step >= total) {
                return floor;
            }
            double progress = (double) (step - warmup) / Math.max(1, total - warmup);
            return floor + 0.5 * (peak - floor) * (1 + Math.cos(Math.PI * progress));
        };
    }

    /** Warmup, constant {@code peak}, then linear decay to {@code floor} over the last {@code decayFraction}. */
    static LrSchedule warmupStableDecay(double peak, double floor, long warmup, long total, double decayFraction) {
        long decayStart = total - Math.round(total * decayFraction);
        return step -> {
            if (step < warmup) {
                return peak * (step + 1) / warmup;
            }
            if (step < decayStart) {
                return peak;
            }
            double progress = Math.min(1, (double) (step - decayStart) / Math.max(1, total - decayStart));
            return peak + (floor - peak) * progress;
        };
    }
}
