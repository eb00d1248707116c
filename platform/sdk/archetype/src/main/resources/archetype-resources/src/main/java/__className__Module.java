package ${package};

import org.recursa.api.plugin.PluginModule;
import org.recursa.api.plugin.RecursaModule;

/** The plugin's Guice module: bnd names it in the Recursa-Module header, and the host installs it. */
@RecursaModule
public final class ${className}Module extends PluginModule {

    /** Called by the host's extender. */
    public ${className}Module() {
    }

    @Override
    protected void configureExtensions() {
#if( $kind == "architecture" )
        architecture(${className}Architecture.class);
#elseif( $kind == "task" )
        task(${className}Task.class);
#elseif( $kind == "sampler" )
        sampler(${className}Sampler.class);
#elseif( $kind == "compressor" )
        compressor(${className}Compressor.class);
#end
    }
}
