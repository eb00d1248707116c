package org.recursa.client;

import aQute.bnd.osgi.resource.ResourceUtils;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.framework.Version;
import org.osgi.resource.Capability;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;
import org.osgi.resource.Resource;
import org.osgi.resource.Wiring;
import org.osgi.service.resolver.HostedCapability;
import org.osgi.service.resolver.ResolveContext;

/**
 * What the framework's resolver sees when planning an install: the bundles installed now (with their wirings, so they
 * are taken as resolved) and the resources of the catalogs' indexes. Installed providers come first, so the resolver
 * prefers them; then catalog resources in the order the catalogs are configured, highest version first. A catalog
 * resource whose symbolic name is installed is not offered (the store holds one version of a bundle), unless that
 * bundle is being replaced.
 */
final class CatalogResolveContext extends ResolveContext {

    private final List<Resource> mandatory;
    private final Map<Resource, Wiring> wirings;
    private final List<Resource> candidates;

    /**
     * @param mandatory the resources that must resolve
     * @param installed every resolved bundle and its wiring, the system bundle's included
     * @param replacing symbolic names of installed bundles the change removes
     * @param indexes   the catalogs' indexes, in configured order
     */
    CatalogResolveContext(List<Resource> mandatory, Map<Resource, Wiring> installed, Set<String> replacing,
            List<CatalogIndex> indexes) {
        this.mandatory = List.copyOf(mandatory);
        this.wirings = new LinkedHashMap<>();
        installed.forEach((resource, wiring) -> {
            if (!replacing.contains(identity(resource))) {
                wirings.put(resource, wiring);
            }
        });
        Set<String> present = wirings.keySet().stream().map(CatalogResolveContext::identity)
                .collect(java.util.stream.Collectors.toSet());
        this.candidates = new ArrayList<>();
        for (CatalogIndex index : indexes) {
            index.resources().stream().filter(r -> !present.contains(identity(r)))
                    .sorted(Comparator.comparing(CatalogResolveContext::version).reversed())
                    .forEach(candidates::add);
        }
    }

    @Override
    public Collection<Resource> getMandatoryResources() {
        return mandatory;
    }

    @Override
    public List<Capability> findProviders(Requirement requirement) {
        List<Capability> providers = new ArrayList<>();
        for (Resource resource : wirings.keySet()) {
            addMatching(resource, requirement, providers);
        }
        for (Resource resource : candidates) {
            addMatching(resource, requirement, providers);
        }
        return providers;
    }

    private static void addMatching(Resource resource, Requirement requirement, List<Capability> providers) {
        for (Capability capability : resource.getCapabilities(requirement.getNamespace())) {
            if (ResourceUtils.matches(requirement, capability)) {
                providers.add(capability);
            }
        }
    }

    @Override
    public int insertHostedCapability(List<Capability> capabilities, HostedCapability hosted) {
        capabilities.add(hosted);
        return capabilities.size() - 1;
    }

    @Override
    public boolean isEffective(Requirement requirement) {
        String effective = requirement.getDirectives().get(Namespace.REQUIREMENT_EFFECTIVE_DIRECTIVE);
        return effective == null || Namespace.EFFECTIVE_RESOLVE.equals(effective);
    }

    @Override
    public Map<Resource, Wiring> getWirings() {
        return wirings;
    }

    /** Whether {@code resource} is installed now (rather than a catalog resource). */
    boolean isInstalled(Resource resource) {
        return wirings.containsKey(resource);
    }

    static String identity(Resource resource) {
        try {
            return ResourceUtils.getIdentity(resource);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static Version version(Resource resource) {
        try {
            return new Version(ResourceUtils.getIdentityVersion(resource));
        } catch (IllegalArgumentException e) {
            return Version.emptyVersion;
        }
    }
}
