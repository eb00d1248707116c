package org.recursa.api.plugin;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.annotation.bundle.Header;

/**
 * Marks the one {@link PluginModule} of a bundle. When the bundle is built with bnd, this annotation
 * writes the manifest header {@value #HEADER}{@code : <the annotated class>}, which is how the host finds
 * the module without scanning classes.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@Header(name = RecursaModule.HEADER, value = "${@class}")
public @interface RecursaModule {

    /** The manifest header that names a bundle's Guice module. */
    String HEADER = "Recursa-Module";
}
