package org.recursa.api.plugin;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import com.google.inject.multibindings.Multibinder;
import org.osgi.annotation.versioning.ConsumerType;
import org.recursa.api.Extension;
import org.recursa.api.ExtensionKind;
import org.recursa.api.compress.Compressor;
import org.recursa.api.decode.Sampler;
import org.recursa.api.model.Architecture;
import org.recursa.api.task.Task;

/**
 * Base class of a plugin's Guice module. Subclass it, mark the subclass with {@link RecursaModule}, give it
 * a public no-argument constructor, and declare the extensions in {@link #configureExtensions()}:
 *
 * <pre>{@code
 * @RecursaModule
 * public final class CopyModule extends PluginModule {
 *     @Override
 *     protected void configureExtensions() {
 *         task(CopyTask.class);
 *     }
 * }
 * }</pre>
 *
 * <p>The host gives each bundle its own child injector with explicit bindings required, so every class
 * a plugin injects must be bound here; the host binds nothing of a plugin in its own injector.
 */
@ConsumerType
public abstract class PluginModule extends AbstractModule {

    @Override
    protected final void configure() {
        binder().requireExplicitBindings();
        for (ExtensionKind kind : ExtensionKind.values()) {
            Multibinder.newSetBinder(binder(), kind.type());
        }
        configureExtensions();
    }

    /** Declares this plugin's extensions with {@link #task}, {@link #sampler}, and so on. */
    protected abstract void configureExtensions();

    /** Offers an architecture, created once by Guice. */
    protected final void architecture(Class<? extends Architecture> type) {
        offer(Architecture.class, type);
    }

    /** Offers a task, created once by Guice. */
    protected final void task(Class<? extends Task> type) {
        offer(Task.class, type);
    }

    /** Offers a sampler, created once by Guice. */
    protected final void sampler(Class<? extends Sampler> type) {
        offer(Sampler.class, type);
    }

    /** Offers a compressor, created once by Guice. */
    protected final void compressor(Class<? extends Compressor> type) {
        offer(Compressor.class, type);
    }

    private <T extends Extension> void offer(Class<T> point, Class<? extends T> type) {
        bind(type).in(Scopes.SINGLETON);
        Multibinder.newSetBinder(binder(), point).addBinding().to(type);
    }
}
