package org.recursa.cli;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.recursa.runstore.RunStore;
import org.recursa.runtime.RecursaException;
import org.recursa.sweep.SweepException;
import org.recursa.sweep.SweepExecutor;

/**
 * Loads the Spark executor from {@code lib/spark/} of the distribution, only for {@code --executor spark}, in a class
 * loader of its own: Spark and its dependencies (Jackson, Netty, Jetty, SLF4J and Log4j of their own versions) come
 * from {@code lib/spark/} and never meet the host's copies. Its parent is the platform class loader (the JDK); the
 * one exception is the seam, Recursa's own packages other than {@code org.recursa.spark} (the sweep types, the run
 * store), which come from this process so that both sides mean the same classes.
 */
final class SparkLoader extends URLClassLoader {

    /** Overrides where lib/spark is (a build's {@code platform/spark/target/lib-spark} in tests). */
    static final String LIB_PROPERTY = "recursa.spark.lib";
    private static final String EXECUTOR = "org.recursa.spark.SparkSweepExecutor";
    private static final String OWN = "org.recursa.spark.";

    private final ClassLoader host;

    private SparkLoader(URL[] jars, ClassLoader host) {
        super("recursa-spark", jars, ClassLoader.getPlatformClassLoader());
        this.host = host;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith("org.recursa.") && !name.startsWith(OWN)) {
            return host.loadClass(name);
        }
        return super.loadClass(name, resolve);
    }

    /**
     * Starts the Spark executor (see {@code SparkSweepExecutor.open} for the options).
     *
     * @throws RecursaException when lib/spark is missing, this JVM lacks the options Spark needs, or Spark cannot
     *                          start
     */
    static SweepExecutor open(Map<String, String> options, RunStore store) {
        Path lib = libSpark();
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> list = Files.isDirectory(lib) ? Files.list(lib) : Stream.empty()) {
            for (Path jar : list.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                jars.add(jar.toUri().toURL());
            }
        } catch (IOException e) {
            throw new RecursaException("cannot read " + lib + ": " + e.getMessage(), e);
        }
        if (jars.isEmpty()) {
            throw new RecursaException("--executor spark needs Spark's jars in " + lib + ", which "
                    + (Files.isDirectory(lib) ? "holds none" : "does not exist") + "; install a full Recursa "
                    + "distribution (built by 'mvn -pl platform/cli -am package', it has lib/spark/), or use "
                    + "--executor local");
        }
        if (!Object.class.getModule().isOpen("sun.nio.ch", SparkLoader.class.getModule())) {
            throw new RecursaException("--executor spark needs this JVM started with Spark's options for Java 17 "
                    + "(--add-opens=java.base/sun.nio.ch=ALL-UNNAMED and others); bin/recursa sets them, so start "
                    + "recursa through it");
        }
        SparkLoader loader = new SparkLoader(jars.toArray(URL[]::new), SparkLoader.class.getClassLoader());
        try {
            Object executor = Class.forName(EXECUTOR, true, loader).getMethod("open", Map.class, RunStore.class)
                    .invoke(null, options, store);
            return (SweepExecutor) executor;
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            String message = cause instanceof SweepException ? cause.getMessage() : "cannot start Spark: " + cause;
            throw new RecursaException(message, cause);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new RecursaException("cannot load the Spark executor from " + lib + ": " + e, e);
        }
    }

    /** {@code lib/spark/} of the distribution (or {@value #LIB_PROPERTY}). */
    static Path libSpark() {
        return Optional.ofNullable(System.getProperty(LIB_PROPERTY)).map(Path::of).orElseGet(() ->
                Optional.ofNullable(System.getProperty(HostSession.DISTRIBUTION_PROPERTY))
                        .map(d -> Path.of(d, "lib", "spark")).orElse(Path.of("lib", "spark")));
    }

    static {
        ClassLoader.registerAsParallelCapable();
    }
}
