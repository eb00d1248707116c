package org.recursa.runtime;

import com.google.inject.Binding;
import com.google.inject.CreationException;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.spi.Message;
import com.google.inject.util.Types;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.util.tracker.BundleTracker;
import org.recursa.api.Extension;
import org.recursa.api.ExtensionKind;
import org.recursa.api.plugin.RecursaModule;

/**
 * The extender: watches for active bundles whose manifest names a Guice module in
 * {@value RecursaModule#HEADER}, gives each a child injector of the host injector, and puts the
 * extensions it binds (one Guice multibinder per kind) into the {@link ExtensionRegistry}. When the bundle
 * stops, its extensions leave the registry and its injector becomes garbage.
 *
 * <p>Child injectors keep every plugin binding out of the host injector, so nothing in the host holds a
 * plugin class once its bundle is gone.
 */
final class ModuleExtender extends BundleTracker<BundleRef> {

    private final Injector hostInjector;
    private final ExtensionRegistry registry;

    ModuleExtender(BundleContext context, Injector hostInjector, ExtensionRegistry registry) {
        super(context, Bundle.ACTIVE, null);
        this.hostInjector = hostInjector;
        this.registry = registry;
    }

    @Override
    public BundleRef addingBundle(Bundle bundle, BundleEvent event) {
        String moduleClass = bundle.getHeaders().get(RecursaModule.HEADER);
        if (moduleClass == null) {
            return null;
        }
        BundleRef ref = BundleRef.of(bundle);
        try {
            Injector injector = hostInjector.createChildInjector(instantiate(bundle, moduleClass.trim()));
            registry.register(ref, collect(injector));
        } catch (RecursaException e) {
            registry.recordFailure(ref, e.getMessage());
        } catch (CreationException e) {
            registry.recordFailure(ref, "the Guice module " + moduleClass + " of bundle " + ref + " failed: "
                    + firstMessage(e.getErrorMessages()));
        } catch (RuntimeException | LinkageError e) {
            registry.recordFailure(ref, "bundle " + ref + " failed to offer its extensions: " + e);
        }
        return ref;
    }

    @Override
    public void removedBundle(Bundle bundle, BundleEvent event, BundleRef ref) {
        registry.unregister(bundle.getBundleId());
    }

    private static Module instantiate(Bundle bundle, String className) {
        BundleRef ref = BundleRef.of(bundle);
        Class<?> type;
        try {
            type = bundle.loadClass(className);
        } catch (ClassNotFoundException e) {
            throw new RecursaException("bundle " + ref + " names module class " + className + " in "
                    + RecursaModule.HEADER + ", but the bundle has no such class");
        }
        if (!Module.class.isAssignableFrom(type)) {
            throw new RecursaException("class " + className + " named by " + RecursaModule.HEADER + " in bundle "
                    + ref + " is not a Guice module; extend org.recursa.api.plugin.PluginModule");
        }
        try {
            return (Module) type.getConstructor().newInstance();
        } catch (NoSuchMethodException | IllegalAccessException | InstantiationException e) {
            throw new RecursaException("module " + className + " of bundle " + ref
                    + " needs a public no-argument constructor");
        } catch (InvocationTargetException e) {
            throw new RecursaException("the constructor of module " + className + " of bundle " + ref
                    + " failed: " + e.getCause());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<ExtensionKind, List<Extension>> collect(Injector injector) {
        Map<ExtensionKind, List<Extension>> found = new EnumMap<>(ExtensionKind.class);
        for (ExtensionKind kind : ExtensionKind.values()) {
            Key<Set<? extends Extension>> key = (Key<Set<? extends Extension>>) Key.get(Types.setOf(kind.type()));
            Binding<Set<? extends Extension>> binding = injector.getExistingBinding(key);
            if (binding != null) {
                found.put(kind, new ArrayList<>(binding.getProvider().get()));
            }
        }
        return found;
    }

    private static String firstMessage(java.util.Collection<Message> messages) {
        return messages.stream().findFirst().map(Message::getMessage).orElse("unknown error")
                .lines().findFirst().orElse("");
    }
}
