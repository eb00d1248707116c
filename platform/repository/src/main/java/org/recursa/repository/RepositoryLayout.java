package org.recursa.repository;

/** The fixed names of a repository directory's files. */
public final class RepositoryLayout {

    public static final String INDEX = "index.xml";
    public static final String CATALOG = "catalog.json";
    public static final String SIGNATURE = "catalog.json.sig";
    public static final String JARS = "jars";

    private RepositoryLayout() {
    }

    /** The path of a bundle's jar, relative to the repository. */
    public static String jarPath(String bundle, String version) {
        return JARS + "/" + bundle + "-" + version + ".jar";
    }
}
