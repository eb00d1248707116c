package org.recursa.plugins.compressors;

import java.util.List;

/**
 * A structured pruning unit: the rows and columns that together make one attention head or one feed-forward hidden
 * unit. Zeroing all of them removes the unit's contribution to its block's output.
 *
 * @param layer the prefix of the block it belongs to, e.g. {@code block.0.}; scope=layer ranks within one
 * @param cuts  its pieces
 */
record Unit(String layer, List<Cut> cuts) {
}
