package org.recursa.runtime.train;

import java.util.ArrayList;
import java.util.List;
import org.recursa.api.ConfigException;

/**
 * The depth a recurrent model trains at, step by step: its full depth throughout, or CGAR's progressive depth
 * curriculum (Qasim and Zhang, arXiv 2511.08653), which trains shallow first. With k thresholds on training progress
 * rho = step / steps there are k + 1 stages; stage i (0-based) runs {@code max(1, ceil(D (i + 1) / (k + 1)))} of the
 * model's D recursions. CGAR's thresholds 0.3 and 0.6 give D/3, 2D/3, D: with its TRM base of H = 3 outer cycles,
 * the stages 1, 2, 3 of its code's {@code set_curriculum_depth}.
 */
public final class DepthCurriculum {

    /** Full depth at every step. */
    public static final DepthCurriculum NONE = new DepthCurriculum(new double[0]);

    private final double[] thresholds;

    private DepthCurriculum(double[] thresholds) {
        this.thresholds = thresholds;
    }

    /**
     * The curriculum a run's settings name.
     *
     * @param kind       {@code none} or {@code cgar}
     * @param thresholds for {@code cgar}: increasing progress thresholds in (0, 1), comma-separated
     * @throws ConfigException naming the setting and what it expects
     */
    public static DepthCurriculum of(String kind, String thresholds) {
        if (kind.equals("none")) {
            return NONE;
        }
        List<Double> values = new ArrayList<>();
        for (String part : thresholds.split(",")) {
            try {
                values.add(Double.parseDouble(part.trim()));
            } catch (NumberFormatException e) {
                throw new ConfigException("setting 'curriculum_thresholds' must be increasing numbers in (0, 1) "
                        + "separated by commas, like 0.3,0.6; got '" + thresholds + "'");
            }
        }
        double[] parsed = values.stream().mapToDouble(Double::doubleValue).toArray();
        for (int i = 0; i < parsed.length; i++) {
            if (!(parsed[i] > 0 && parsed[i] < 1) || (i > 0 && parsed[i] <= parsed[i - 1])) {
                throw new ConfigException("setting 'curriculum_thresholds' must be increasing numbers in (0, 1) "
                        + "separated by commas, like 0.3,0.6; got '" + thresholds + "'");
            }
        }
        return new DepthCurriculum(parsed);
    }

    /** Whether it ever trains below full depth. */
    public boolean active() {
        return thresholds.length > 0;
    }

    /**
     * The depth of 0-based step {@code step} of {@code steps}.
     *
     * @param fullDepth the model's default depth D
     */
    public int depthAt(int step, int steps, int fullDepth) {
        double progress = step / (double) steps;
        int stage = 0;
        while (stage < thresholds.length && progress >= thresholds[stage]) {
            stage++;
        }
        int stages = thresholds.length + 1;
        return Math.max(1, (int) Math.ceil(fullDepth * (stage + 1) / (double) stages - 1e-9));
    }
}
