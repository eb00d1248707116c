package org.recursa.engine.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Whether this CPU multiplies bf16 natively: AVX512-BF16 ({@code avx512_bf16}) or AMX ({@code amx_bf16}), as the
 * kernel lists them in {@code /proc/cpuinfo}. Without either, oneDNN would emulate bf16 with float32 arithmetic,
 * slower than float32 itself, so {@code train.precision=bf16} is refused instead. The check reads the flags once,
 * and {@link #missing(String)} is the pure function over the file's text that tests call.
 */
public final class Bf16Support {

    /** The error line of the run setting, {@link #error(String) error("train.precision=")}. */
    public static final String ERROR = error("train.precision=");

    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    private Bf16Support() {
    }

    /**
     * Why bf16 cannot run, given the text of {@code /proc/cpuinfo}: empty when the first processor's {@code flags}
     * line lists {@code avx512_bf16} or {@code amx_bf16}, else {@link #ERROR}.
     */
    public static Optional<String> missing(String cpuinfo) {
        return cpuinfo.lines()
                .filter(line -> line.startsWith("flags"))
                .findFirst()
                .map(line -> line.substring(line.indexOf(':') + 1).trim().split("\\s+"))
                .filter(flags -> Arrays.asList(flags).contains("avx512_bf16")
                        || Arrays.asList(flags).contains("amx_bf16"))
                .isPresent() ? Optional.empty() : Optional.of(ERROR);
    }

    /**
     * The one line that refuses bf16, naming the option as the user wrote it.
     *
     * @param option the option with its separator, {@code train.precision=} or {@code --precision }
     */
    public static String error(String option) {
        return option + "bf16 needs a CPU with AVX512-BF16 or AMX-BF16; this CPU has neither; use " + option
                + "float32";
    }

    /**
     * {@link #missing(String)} for this machine; a machine without {@code /proc/cpuinfo} (not Linux) cannot show
     * the flags and is refused with the same line.
     */
    public static Optional<String> missingHere() {
        try {
            return missing(Files.readString(CPUINFO));
        } catch (IOException e) {
            return Optional.of(ERROR);
        }
    }
}
