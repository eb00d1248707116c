package org.recursa.sweep;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Parses {@code --seeds}: a seed ({@code 7}), a range ({@code 1..5}, both ends included), or a comma list of them. */
public final class Seeds {

    /** More seeds than this in one sweep is taken for a typo. */
    public static final int MAX = 1000;

    private Seeds() {
    }

    /**
     * The seeds, in the order given.
     *
     * @throws SweepSyntaxException one line naming what is wrong
     */
    public static List<Long> parse(String text) {
        String option = "--seeds '" + text + "'";
        Set<Long> seeds = new LinkedHashSet<>();
        for (String part : text.split(",", -1)) {
            String item = part.trim();
            int dots = item.indexOf("..");
            long low;
            long high;
            if (dots >= 0) {
                low = number(option, item.substring(0, dots).trim());
                high = number(option, item.substring(dots + 2).trim());
                if (low > high) {
                    throw new SweepSyntaxException(option + ": the range " + item + " is empty; write LOW..HIGH with "
                            + "LOW <= HIGH");
                }
            } else {
                low = number(option, item);
                high = low;
            }
            if (high - low >= MAX || seeds.size() + (high - low + 1) > MAX) {
                throw new SweepSyntaxException(option + ": more than " + MAX + " seeds");
            }
            for (long seed = low; seed <= high; seed++) {
                if (!seeds.add(seed)) {
                    throw new SweepSyntaxException(option + ": seed " + seed + " is given twice");
                }
            }
        }
        return List.copyOf(new ArrayList<>(seeds));
    }

    private static long number(String option, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new SweepSyntaxException(option + ": '" + text + "' is not a seed; expected SEED, LOW..HIGH or a "
                    + "comma-separated list of them, e.g. 1..5");
        }
    }

    /** The shortest text for the seeds: {@code 1..5}, {@code 1,3,7}, {@code 1..3,9}. */
    public static String describe(List<Long> seeds) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < seeds.size(); ) {
            int j = i;
            while (j + 1 < seeds.size() && seeds.get(j + 1) == seeds.get(j) + 1) {
                j++;
            }
            parts.add(j - i >= 2 ? seeds.get(i) + ".." + seeds.get(j) : seeds.get(i).toString());
            if (j - i == 1) {
                parts.add(seeds.get(j).toString());
            }
            i = j + 1;
        }
        return String.join(",", parts);
    }
}
