package org.recursa.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.recursa.api.Extension;
import org.recursa.runtime.RecursaBuild;
import org.recursa.runtime.RecursaHost;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code recursa --version}: the platform with the commit it was built from, the API, framework and Java versions,
 * then every package the host exports to plugins with its version, one per line. Read from the build's resources
 * only: it starts neither the framework nor ND4J.
 */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() throws IOException {
        Properties build = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/recursa-version.properties")) {
            if (in != null) {
                build.load(in);
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add("recursa " + RecursaBuild.current().describe());
        lines.add("API " + RecursaHost.exportedVersion(Extension.class.getPackageName()).orElse("unknown")
                + ", Felix " + build.getProperty("felix", "unknown") + ", Java " + Runtime.version() + " ("
                + System.getProperty("java.vendor") + ")");
        lines.add("packages exported to plugins:");
        RecursaHost.exportedRecursaPackages().forEach((name, version) -> lines.add("  " + name + " " + version));
        return lines.toArray(String[]::new);
    }
}
