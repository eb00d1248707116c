package ${package};

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.recursa.tck.bundle.BundleConformance;

/**
 * Runs after `mvn package` (Failsafe): installs the built jar into a real embedded Felix that exports what the
 * Recursa host exports, as `recursa plugin install` would. It fails, one line per broken rule, on an import the host
 * cannot satisfy (naming the package, the range and the version the host has), a missing Recursa-Module class or a
 * duplicate extension id.
 */
class BundleCheckIT {

    @Test
    void theBuiltBundleInstallsIntoTheHost() {
        // recursa-plugin-parent passes the jar's path; run `mvn verify`, not the IDE, for this test.
        String jar = System.getProperty("recursa.bundle");
        BundleConformance.verify(Path.of(jar));
    }
}
