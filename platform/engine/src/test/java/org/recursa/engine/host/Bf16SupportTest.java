package org.recursa.engine.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Reading the bf16 flags from /proc/cpuinfo text, and the switch that turns bf16 products on for one thread. */
class Bf16SupportTest {

    private static final String ZEN3 = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            model name\t: AMD EPYC 7B13
            flags\t\t: fpu vme de pse tsc msr pae mce sse sse2 avx avx2 fma bmi2 sha_ni
            bugs\t\t: sysret_ss_attrs spectre_v1
            """;

    @Test
    void avx512Bf16OrAmxBf16IsEnough() {
        assertThat(Bf16Support.missing(cpu("fpu sse2 avx2 avx512f avx512bw avx512_bf16 avx512_vnni"))).isEmpty();
        assertThat(Bf16Support.missing(cpu("fpu avx512f amx_bf16 amx_tile amx_int8"))).isEmpty();
        assertThat(Bf16Support.missing(cpu("avx512_bf16"))).as("the flag alone on the line").isEmpty();
    }

    @Test
    void withoutEitherFlagTheErrorSaysWhatIsMissingAndWhatToUse() {
        assertThat(Bf16Support.missing(ZEN3)).hasValue("train.precision=bf16 needs a CPU with AVX512-BF16 or "
                + "AMX-BF16; this CPU has neither; use train.precision=float32");
        assertThat(Bf16Support.error("--precision ")).as("the bench's option").isEqualTo("--precision bf16 needs a "
                + "CPU with AVX512-BF16 or AMX-BF16; this CPU has neither; use --precision float32");
        assertThat(Bf16Support.missing(cpu("avx512f avx512bw avx512_vnni amx_tile"))).as("AVX-512 without bf16")
                .hasValue(Bf16Support.ERROR);
        assertThat(Bf16Support.missing(cpu("avx512_bf16x avxbf16"))).as("whole flags only, not prefixes")
                .hasValue(Bf16Support.ERROR);
        assertThat(Bf16Support.missing("")).as("no flags line (not x86, or no /proc)").hasValue(Bf16Support.ERROR);
        assertThat(Bf16Support.missing(ZEN3.replace("sha_ni", "sha_ni\nbugs : avx512_bf16")))
                .as("only the flags line counts").hasValue(Bf16Support.ERROR);
    }

    @Test
    void thisMachineIsReadFromProcCpuinfo() throws IOException {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        String text = Files.isReadable(cpuinfo) ? Files.readString(cpuinfo) : "";
        assertThat(Bf16Support.missingHere()).isEqualTo(Bf16Support.missing(text));
    }

    @Test
    void aScopeSetsThePrecisionOfItsThreadOnlyAndRestoresThePreviousOne() throws InterruptedException {
        assertThat(ProductPrecision.current()).isEqualTo(ProductPrecision.FLOAT32);
        ProductPrecision[] seenElsewhere = new ProductPrecision[1];
        try (ProductPrecision.Scope outer = ProductPrecision.BF16.use()) {
            Thread other = new Thread(() -> seenElsewhere[0] = ProductPrecision.current());
            other.start();
            other.join();
            try (ProductPrecision.Scope inner = ProductPrecision.FLOAT32.use()) {
                assertThat(ProductPrecision.current()).isEqualTo(ProductPrecision.FLOAT32);
            }
            assertThat(ProductPrecision.current()).isEqualTo(ProductPrecision.BF16);
        }
        assertThat(seenElsewhere[0]).as("another thread").isEqualTo(ProductPrecision.FLOAT32);
        assertThat(ProductPrecision.current()).isEqualTo(ProductPrecision.FLOAT32);
        assertThat(ProductPrecision.of("bf16")).isEqualTo(ProductPrecision.BF16);
        assertThat(ProductPrecision.NAMES).containsExactly("float32", "bf16");
    }

    private static String cpu(String flags) {
        return ZEN3.replaceFirst("flags\t\t: [^\n]*", "flags\t\t: " + flags);
    }
}
