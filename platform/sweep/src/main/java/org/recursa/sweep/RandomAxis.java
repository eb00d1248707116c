package org.recursa.sweep;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * One key of a random search and the distribution its values are drawn from:
 * {@code --random train.lr=loguniform:1e-4:1e-2}.
 *
 * <table>
 *   <caption>distributions</caption>
 *   <tr><td>{@code uniform:LOW:HIGH}</td><td>a real number, uniform in [LOW, HIGH)</td></tr>
 *   <tr><td>{@code loguniform:LOW:HIGH}</td><td>a real number whose logarithm is uniform (0 &lt; LOW)</td></tr>
 *   <tr><td>{@code int:LOW:HIGH}</td><td>an integer, uniform in [LOW, HIGH], both included</td></tr>
 *   <tr><td>{@code choice:A,B,...}</td><td>one of the values, each as likely</td></tr>
 * </table>
 *
 * Real numbers are rounded to {@link #DIGITS} significant digits, so that the value a run records is the value it
 * was given.
 *
 * @param key          as for {@link GridAxis#key()}
 * @param distribution {@code uniform}, {@code loguniform}, {@code int} or {@code choice}
 * @param arguments    LOW and HIGH, or the choices
 */
public record RandomAxis(String key, String distribution, List<String> arguments) {

    /** Significant digits of a drawn real number. */
    public static final int DIGITS = 4;

    private static final String KINDS = "uniform:LOW:HIGH, loguniform:LOW:HIGH, int:LOW:HIGH, choice:A,B,...";

    /**
     * Copies the arguments and checks them.
     *
     * @throws SweepSyntaxException for an unknown distribution or bad bounds
     */
    public RandomAxis {
        Objects.requireNonNull(key, "key");
        arguments = List.copyOf(arguments);
        check("--random '" + key + "=" + distribution + ":" + String.join(":", arguments) + "'", distribution,
                arguments);
    }

    /**
     * Parses {@code KEY=DISTRIBUTION:ARGUMENTS}.
     *
     * @throws SweepSyntaxException one line naming the option and what is wrong
     */
    public static RandomAxis parse(String text) {
        String option = "--random '" + text + "'";
        int eq = text.indexOf('=');
        if (eq < 0) {
            throw new SweepSyntaxException(option + ": expected KEY=DISTRIBUTION, as in --random "
                    + "train.lr=loguniform:1e-4:1e-2; distributions: " + KINDS);
        }
        String key = GridAxis.checkKey(option, text.substring(0, eq).trim());
        String rest = text.substring(eq + 1).trim();
        int colon = rest.indexOf(':');
        String kind = colon < 0 ? rest : rest.substring(0, colon);
        String tail = colon < 0 ? "" : rest.substring(colon + 1);
        List<String> arguments = new ArrayList<>();
        if (kind.equals("choice")) {
            for (String choice : tail.split(",", -1)) {
                arguments.add(choice.trim());
            }
        } else {
            for (String bound : tail.split(":", -1)) {
                arguments.add(bound.trim());
            }
        }
        check(option, kind, arguments);
        return new RandomAxis(key, kind, arguments);
    }

    private static void check(String option, String kind, List<String> arguments) {
        switch (kind) {
            case "uniform", "loguniform" -> {
                double[] bounds = bounds(option, kind, arguments, false);
                if (kind.equals("loguniform") && bounds[0] <= 0) {
                    throw new SweepSyntaxException(option + ": loguniform needs 0 < LOW, got " + arguments.get(0));
                }
                if (!(bounds[0] < bounds[1])) {
                    throw new SweepSyntaxException(option + ": LOW must be below HIGH, got " + arguments.get(0)
                            + " and " + arguments.get(1));
                }
            }
            case "int" -> {
                double[] bounds = bounds(option, kind, arguments, true);
                if (bounds[0] > bounds[1]) {
                    throw new SweepSyntaxException(option + ": LOW must not be above HIGH, got " + arguments.get(0)
                            + " and " + arguments.get(1));
                }
            }
            case "choice" -> {
                if (arguments.stream().anyMatch(String::isEmpty)) {
                    throw new SweepSyntaxException(option + ": a choice is empty; expected choice:A,B,...");
                }
                if (new LinkedHashSet<>(arguments).size() != arguments.size()) {
                    throw new SweepSyntaxException(option + ": a choice is given twice");
                }
            }
            default -> throw new SweepSyntaxException(option + ": unknown distribution '" + kind
                    + "'; distributions: " + KINDS);
        }
    }

    private static double[] bounds(String option, String kind, List<String> arguments, boolean integers) {
        if (arguments.size() != 2) {
            throw new SweepSyntaxException(option + ": expected " + kind + ":LOW:HIGH with two "
                    + (integers ? "integers" : "numbers"));
        }
        double[] bounds = new double[2];
        for (int i = 0; i < 2; i++) {
            String text = arguments.get(i);
            try {
                bounds[i] = integers ? Long.parseLong(text) : Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new SweepSyntaxException(option + ": '" + text + "' is not " + (integers ? "an integer"
                        : "a number") + "; expected " + kind + ":LOW:HIGH");
            }
            if (!Double.isFinite(bounds[i])) {
                throw new SweepSyntaxException(option + ": '" + text + "' is not a finite number");
            }
        }
        return bounds;
    }

    /** Draws one value, as the text given to the setting. */
    public String draw(SplittableRandom random) {
        return switch (distribution) {
            case "uniform" -> real(low() + random.nextDouble() * (high() - low()));
            case "loguniform" -> real(Math.exp(Math.log(low()) + random.nextDouble()
                    * (Math.log(high()) - Math.log(low()))));
            case "int" -> Long.toString(random.nextLong(Long.parseLong(arguments.get(0)),
                    Long.parseLong(arguments.get(1)) + 1));
            case "choice" -> arguments.get(random.nextInt(arguments.size()));
            default -> throw new IllegalStateException(distribution);
        };
    }

    private double low() {
        return Double.parseDouble(arguments.get(0));
    }

    private double high() {
        return Double.parseDouble(arguments.get(1));
    }

    /** A real number rounded to {@link #DIGITS} significant digits, as Java's parsers read it back. */
    static String real(double value) {
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(DIGITS)).stripTrailingZeros();
        // 1000 rather than 1E+3; 0.0003162 as is; 3.162E-7 (BigDecimal's notation below 1e-6) as is
        return rounded.scale() <= 0 ? rounded.toPlainString() : rounded.toString();
    }

    /** {@code KEY=DISTRIBUTION:ARGUMENTS}, as typed. */
    @Override
    public String toString() {
        return key + "=" + distribution + ":" + String.join(distribution.equals("choice") ? "," : ":", arguments);
    }
}
