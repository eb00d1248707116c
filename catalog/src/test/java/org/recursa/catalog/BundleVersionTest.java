package org.recursa.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BundleVersionTest {

    @Test
    void sortsInOsgiOrderWithUnparsableVersionsFirst() {
        List<String> versions = new ArrayList<>(List.of("1.10.0", "not-a-version", "1.9.0", "1.0.0.SNAPSHOT",
                "2", "1.0.0", "1.0.0.RC1", "1..0"));
        versions.sort(BundleVersion.ORDER);
        assertThat(versions).containsExactly("1..0", "not-a-version", "1.0.0", "1.0.0.RC1", "1.0.0.SNAPSHOT",
                "1.9.0", "1.10.0", "2");
    }

    @Test
    void missingPartsAreZero() {
        assertThat(BundleVersion.compare("1.0", "1.0.0")).isZero();
        assertThat(BundleVersion.compare("1", "0.9.9.zzz")).isPositive();
    }
}
