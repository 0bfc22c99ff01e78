// Which kernel modules the guest's initramfs loads, and in what order: the
// wanted names plus everything they need according to modules.dep. Pure.

// What the guest needs before switch_root (virtio, 9p, overlay) and what the
// lab needs from the kernel (VRF, VXLAN, veth, bridges, VLANs, dummies, nftables NAT).
export const GUEST_MODULES = [
  'virtio_pci',
  'virtio_console',
  '9pnet_virtio',
  '9p',
  'overlay',
  'vrf',
  'vxlan',
  'veth',
  'bridge',
  '8021q',
  'dummy',
  // SNAT (nftables' nat chain and snat statement); crc32c_generic first:
  // libcrc32c, which conntrack needs, only soft-depends on it (modules.dep
  // does not say), and fails to load without a crc32c implementation
  'crc32c_generic',
  'nf_tables',
  'nft_chain_nat',
  'nft_nat',
];

// Loading dummy must not create dummy0 in the guest's root namespace (the host has none).
export const MODULE_PARAMS: Record<string, string> = { dummy: 'numdummies=0' };

// modules.dep: "kernel/fs/9p/9p.ko: kernel/net/9p/9pnet.ko kernel/fs/netfs/netfs.ko"
export type ModulesDep = Map<string, string[]>;

// Module names treat '-' and '_' alike; files are named either way.
export function moduleName(path: string): string {
  const base = path.split('/').pop() ?? path;
  return base.replace(/\.ko(\.(xz|zst|gz))?$/, '').replace(/-/g, '_');
}

export function parseModulesDep(text: string): ModulesDep {
  const deps: ModulesDep = new Map();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    deps.set(
      line.slice(0, colon).trim(),
      line
        .slice(colon + 1)
        .trim()
        .split(/\s+/)
        .filter(Boolean),
    );
  }
  return deps;
}

// modules.builtin lists "kernel/drivers/virtio/virtio.ko" for modules compiled in.
export function parseBuiltin(text: string): Set<string> {
  return new Set(
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map(moduleName),
  );
}

export interface ModuleClosure {
  load: string[]; // module files (relative to the modules dir), dependencies first
  builtin: string[]; // wanted names compiled into the kernel: nothing to load
  missing: string[]; // wanted names or dependencies found nowhere
}

// Depth-first, dependencies before dependents; every file at most once.
export function moduleClosure(
  wanted: readonly string[],
  deps: ModulesDep,
  builtin: ReadonlySet<string>,
): ModuleClosure {
  const byName = new Map([...deps.keys()].map((path) => [moduleName(path), path] as const));
  const load: string[] = [];
  const seen = new Set<string>();
  const missing: string[] = [];
  const builtinHits: string[] = [];
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    const needs = deps.get(path);
    if (needs === undefined) {
      missing.push(path);
      return;
    }
    for (const dep of needs) visit(dep);
    load.push(path);
  };
  for (const name of wanted) {
    const normal = name.replace(/-/g, '_');
    const path = byName.get(normal);
    if (path) visit(path);
    else if (builtin.has(normal)) builtinHits.push(normal);
    else missing.push(normal);
  }
  return { load, builtin: builtinHits, missing };
}
