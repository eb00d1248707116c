package org.recursa.cli.benchchain.c;

import java.util.List;

/**
 * The bottom of {@code recursa bench catalog}'s dependency chain: bundle C exports this package. The CLI carries the
 * class only so that the benchmark can pack it into a bundle; nothing else uses it.
 */
public final class ChainDigits {

    private ChainDigits() {
    }

    /** The ten digits. */
    public static List<String> digits() {
        return List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    }
}
