package org.recursa.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.recursa.api.Extension;
import org.recursa.runtime.RecursaHost;
import picocli.CommandLine.IVersionProvider;

/** {@code recursa --version}: the platform, API, framework and Java versions. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() throws IOException {
        Properties build = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/recursa-version.properties")) {
            if (in != null) {
                build.load(in);
            }
        }
        return new String[] {
            "recursa " + build.getProperty("version", "unknown"),
            "API " + RecursaHost.exportedVersion(Extension.class.getPackageName()).orElse("unknown") + ", Felix " + build.getProperty("felix", "unknown")
                    + ", Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
        };
    }
}
