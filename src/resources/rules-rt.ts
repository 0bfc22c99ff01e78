// Route targets across nodes: what one node exports, the others must import,
// or a network's routes stay on the node that originated them. FRR derives a
// route target of `ASN:VNI` for each side not given (auto-RT), and an
// auto-derived import matches on the VNI alone, whatever the AS part says
// (FRR masks the global administrator of an automatic import RT), so leaves
// in different AS numbers share routes with no configuration. Explicit lists
// can break that, and that is what is refused here (RT_MISMATCH):
// - import and export both given: no export RT is imported;
// - import given, export auto-derived: some node exports `ASN:VNI` in its own
//   AS (the lower 2 bytes of a 4-byte AS), which the import list does not
//   hold (an eBGP fabric: one AS per leaf);
// - export given, import auto-derived: no export RT ends in `:VNI`.
// An import RT `*:NN` (EVPNVRF only) matches any RT ending in `:NN`.
import type { Push } from './error-codes.ts';
import { autoRouteTarget, importsRouteTarget, routeTargetValue } from './names.ts';
import type { FabricSpec } from './schema.ts';

interface RouteTargets {
  import?: string[];
  export?: string[];
}

// The AS numbers of `nodes`: each node's own, else the fabric's.
function asnsOf(fabric: FabricSpec, nodes: readonly string[]): number[] {
  const asns = fabric.nodes
    .filter((n) => nodes.includes(n.name))
    .map((n) => n.asn ?? fabric.asn)
    .filter((a): a is number => a !== undefined);
  return [...new Set(asns)].sort((a, b) => a - b);
}

// `vni` is the network's VNI or the VRF's L3VNI; `nodes` are the nodes that carry it.
export function checkRouteTargetsMatch(
  rts: RouteTargets | undefined,
  vni: number,
  fabric: FabricSpec,
  nodes: readonly string[],
  push: Push,
): void {
  const imports = rts?.import ?? [];
  const exports = rts?.export ?? [];
  if (imports.length > 0 && exports.length > 0) {
    if (!exports.some((rt) => importsRouteTarget(imports, rt)))
      push(
        'spec.routeTargets',
        'RT_MISMATCH',
        `no export route target (${exports.join(', ')}) is in the import list (${imports.join(', ')}): no node would import another's routes`,
      );
    return;
  }
  if (imports.length > 0) {
    const missing = asnsOf(fabric, nodes)
      .map((asn) => autoRouteTarget(asn, vni))
      .filter((rt) => !importsRouteTarget(imports, rt));
    if (missing.length > 0)
      push(
        'spec.routeTargets.import',
        'RT_MISMATCH',
        `the export route targets are auto-derived (ASN:VNI), so nodes export ${missing.join(', ')}, which the import list (${imports.join(', ')}) lacks; add them, or set export route targets the import list holds`,
      );
    return;
  }
  if (exports.length > 0 && !exports.some((rt) => routeTargetValue(rt) === String(vni)))
    push(
      'spec.routeTargets.export',
      'RT_MISMATCH',
      `the import route targets are auto-derived, matching any AS:${vni}, but no export route target (${exports.join(', ')}) ends in :${vni}; add one, or set import route targets too`,
    );
}
