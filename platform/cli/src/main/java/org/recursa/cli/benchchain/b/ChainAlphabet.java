package org.recursa.cli.benchchain.b;

import java.util.List;
import org.recursa.cli.benchchain.c.ChainDigits;

/** The middle of the benchmark's chain: bundle B imports C's package and exports this one. */
public final class ChainAlphabet {

    private ChainAlphabet() {
    }

    /** C's digits, the task's vocabulary. */
    public static List<String> symbols() {
        return ChainDigits.digits();
    }
}
