package org.recursa.plugins.recursion;

import org.recursa.api.plugin.PluginModule;
import org.recursa.api.plugin.RecursaModule;

/** Offers the structural-recursion tasks. */
@RecursaModule
public final class RecursionModule extends PluginModule {

    /** Called by the host's extender. */
    public RecursionModule() {
    }

    @Override
    protected void configureExtensions() {
        task(BinarySuccessorTask.class);
        task(TreeTraversalTask.Preorder.class);
        task(TreeTraversalTask.Inorder.class);
        task(TreeTraversalTask.Postorder.class);
        task(PeanoAddTask.class);
        task(ListReverseTask.class);
        task(BoolEvalTask.class);
    }
}
