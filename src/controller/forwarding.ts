// Which kernel knobs a node's render needs switched on: IP forwarding for the
// families it routes, and neighbor learning on every anycast gateway SVI.
import type { NodeRender } from '../render/node-render.ts';
import type { KnobWants } from '../system/sysctl.ts';

export function knobWants(rendered: NodeRender): KnobWants {
  const svis = (rendered.intent?.l2vnis ?? []).flatMap((v) =>
    v.gateway ? [{ name: v.bridge, ipv4: v.gateway.ipv4.length > 0, ipv6: v.gateway.ipv6.length > 0 }] : [],
  );
  return { forwarding: rendered.intent?.forwarding, gatewaySvis: svis };
}
