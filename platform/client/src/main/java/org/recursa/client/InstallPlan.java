package org.recursa.client;

import aQute.bnd.osgi.resource.FilterParser;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.felix.resolver.Logger;
import org.apache.felix.resolver.ResolverImpl;
import org.osgi.framework.Version;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;
import org.osgi.resource.Resource;
import org.osgi.resource.Wire;
import org.osgi.resource.Wiring;
import org.osgi.service.resolver.ResolutionException;
import org.recursa.repository.Catalog;
import org.recursa.repository.CatalogException;

/**
 * What installing (or updating to) a catalog bundle takes, worked out by the OSGi framework's resolver (Felix's
 * {@link ResolverImpl}, the one the host runs) over the signed repository indexes: the bundle and every catalog bundle
 * its requirements need that nothing installed provides, in dependency order (a bundle after the bundles it is wired
 * to). Installed bundles are preferred as providers ({@link CatalogResolveContext}).
 *
 * @param steps the bundles to install, dependencies first; the last is the one asked for
 */
public record InstallPlan(List<Step> steps) {

    /**
     * One bundle to install.
     *
     * @param from       the catalog offering it
     * @param plugin     its entry
     * @param dependency true unless it is the bundle asked for
     */
    public record Step(VerifiedCatalog from, Catalog.Plugin plugin, boolean dependency) {
    }

    /**
     * The plan for installing {@code target} (an extension id or bundle name) at {@code version} (or the highest).
     *
     * @param installed every resolved bundle and its wiring now ({@code PluginStore.wirings()})
     * @throws PluginNotFoundException if no catalog or several bundles offer {@code target}, or it is installed
     * @throws CatalogException        if a requirement has no provider, naming the requirement and its bundle
     */
    public static InstallPlan install(List<CatalogIndex> indexes, String target, String version,
            Map<Resource, Wiring> installed) {
        Offer offer = Offer.find(indexes, target, version);
        installed.keySet().stream().filter(r -> CatalogResolveContext.identity(r).equals(offer.bundle())).findFirst()
                .ifPresent(r -> {
                    throw new PluginNotFoundException("bundle " + offer.bundle() + " is already installed; use "
                            + "'recursa plugin update " + target + "' or uninstall it first");
                });
        return resolve(indexes, offer, installed, Set.of());
    }

    /**
     * The plan for replacing the installed bundle {@code bundle} by its highest catalog version (or {@code version}).
     *
     * @return the plan, or empty steps if no catalog offers a version other than {@code installedVersion}
     */
    public static InstallPlan update(List<CatalogIndex> indexes, String bundle, String installedVersion,
            String version, Map<Resource, Wiring> installed) {
        Offer offer = Offer.find(indexes, bundle, version);
        if (version == null && !newer(offer.plugin().version(), installedVersion)) {
            return new InstallPlan(List.of());
        }
        return resolve(indexes, offer, installed, Set.of(bundle));
    }

    private static boolean newer(String offered, String installed) {
        return Offer.version(offered).compareTo(Offer.version(installed)) > 0;
    }

    private static InstallPlan resolve(List<CatalogIndex> indexes, Offer offer, Map<Resource, Wiring> installed,
            Set<String> replacing) {
        CatalogResolveContext context = new CatalogResolveContext(List.of(offer.resource()), installed, replacing,
                indexes);
        Map<Resource, List<Wire>> wires;
        try {
            wires = new ResolverImpl(new Logger(Logger.LOG_ERROR)).resolve(context);
        } catch (ResolutionException e) {
            throw new CatalogException(explain(context, offer, e), e);
        }
        List<Resource> ordered = new ArrayList<>();
        visit(offer.resource(), wires, context, new LinkedHashSet<>(), ordered);
        List<Step> steps = new ArrayList<>();
        for (Resource resource : ordered) {
            CatalogIndex index = indexes.stream().filter(i -> i.plugins().containsKey(resource)).findFirst()
                    .orElseThrow();
            steps.add(new Step(index.from(), index.plugins().get(resource), resource != offer.resource()));
        }
        return new InstallPlan(List.copyOf(steps));
    }

    /** Depth first over the wires to new resources: a provider before its requirer (a cycle is cut where met). */
    private static void visit(Resource resource, Map<Resource, List<Wire>> wires, CatalogResolveContext context,
            Set<Resource> seen, List<Resource> ordered) {
        if (context.isInstalled(resource) || !seen.add(resource)) {
            return;
        }
        for (Wire wire : wires.getOrDefault(resource, List.of())) {
            visit(wire.getProvider(), wires, context, seen, ordered);
        }
        ordered.add(resource);
    }

    /**
     * Plain words for a failed resolution: the first requirement, followed from the bundle asked for through the
     * catalog bundles that could provide it, that nothing installed and no catalog provides. When every requirement
     * has a candidate (the candidates conflict), the resolver's own first line.
     */
    static String explain(CatalogResolveContext context, Offer offer, ResolutionException e) {
        String missing = missing(context, offer.resource(), new LinkedHashSet<>());
        if (missing != null) {
            return missing + "; nothing was installed";
        }
        String first = e.getMessage() == null ? "no consistent set of bundles" : e.getMessage().lines().findFirst()
                .orElse("");
        return "bundle " + offer.bundle() + " " + offer.plugin().version() + " cannot be resolved: " + first
                + "; nothing was installed";
    }

    private static String missing(CatalogResolveContext context, Resource resource, Set<Resource> seen) {
        if (!seen.add(resource) || context.isInstalled(resource)) {
            return null;
        }
        for (Requirement requirement : resource.getRequirements(null)) {
            if (!context.isEffective(requirement) || optional(requirement)) {
                continue;
            }
            var providers = context.findProviders(requirement);
            if (providers.isEmpty()) {
                return "bundle " + CatalogResolveContext.identity(resource) + " requires " + describe(requirement)
                        + ", which no installed bundle and no configured catalog provides";
            }
            for (var provider : providers) {
                String deeper = missing(context, provider.getResource(), seen);
                if (deeper != null) {
                    return deeper;
                }
            }
        }
        return null;
    }

    private static boolean optional(Requirement requirement) {
        return Namespace.RESOLUTION_OPTIONAL.equals(requirement.getDirectives()
                .get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE));
    }

    /** E.g. {@code package org.example.lib; version=[1.0.0,2.0.0)}. */
    static String describe(Requirement requirement) {
        String filter = requirement.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE);
        String what;
        try {
            what = filter == null ? "anything" : new FilterParser().parse(filter).toString();
        } catch (RuntimeException e) {
            what = filter;
        }
        String kind = switch (requirement.getNamespace()) {
            case "osgi.wiring.package" -> "package ";
            case "osgi.wiring.bundle", "osgi.identity" -> "bundle ";
            case "osgi.ee" -> "Java environment ";
            default -> requirement.getNamespace() + " ";
        };
        return kind + what;
    }

    /** The catalog resource asked for. */
    record Offer(Resource resource, Catalog.Plugin plugin) {

        String bundle() {
            return plugin.bundle();
        }

        static Offer find(List<CatalogIndex> indexes, String target, String version) {
            List<Offer> offering = new ArrayList<>();
            for (CatalogIndex index : indexes) {
                index.plugins().forEach((resource, plugin) -> {
                    boolean named = target.equals(plugin.bundle())
                            || plugin.extensions().stream().anyMatch(e -> target.equals(e.id()));
                    if (named && (version == null || version(version).equals(version(plugin.version())))) {
                        offering.add(new Offer(resource, plugin));
                    }
                });
            }
            if (offering.isEmpty()) {
                throw new PluginNotFoundException("no configured catalog offers an extension or bundle '" + target
                        + "'" + (version == null ? "" : " at version " + version) + "; try 'recursa plugin search "
                        + target + "'");
            }
            List<String> bundles = offering.stream().map(Offer::bundle).distinct().sorted().toList();
            if (bundles.size() > 1) {
                throw new PluginNotFoundException("'" + target + "' is offered by several bundles ("
                        + String.join(", ", bundles) + "); name the bundle instead");
            }
            return offering.stream().max(Comparator.comparing(o -> version(o.plugin().version()))).orElseThrow();
        }

        /** An OSGi version; Maven's 0.1.0-SNAPSHOT is read as 0.1.0.SNAPSHOT, and text that is none as 0.0.0. */
        static Version version(String text) {
            try {
                return Version.parseVersion(text.replace('-', '.'));
            } catch (IllegalArgumentException e) {
                return Version.emptyVersion;
            }
        }
    }
}
