// The initramfs module list: wanted names plus their modules.dep closure, in
// load order. Input is an excerpt of Debian 6.1.0-56-amd64's modules.dep as
// busybox depmod wrote it (the netfilter lines from 6.1.0-57-amd64's).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GUEST_MODULES, moduleClosure, moduleName, parseBuiltin, parseModulesDep } from '../../lab/vm/modules.ts';

const DEP = `kernel/drivers/virtio/virtio_pci_legacy_dev.ko:
kernel/drivers/virtio/virtio_ring.ko:
kernel/drivers/virtio/virtio_pci_modern_dev.ko:
kernel/net/ipv4/udp_tunnel.ko:
kernel/net/ipv6/ip6_udp_tunnel.ko:
kernel/net/9p/9pnet.ko:
kernel/net/802/stp.ko: kernel/net/llc/llc.ko
kernel/net/llc/llc.ko:
kernel/drivers/virtio/virtio.ko: kernel/drivers/virtio/virtio_ring.ko
kernel/fs/netfs/netfs.ko:
kernel/net/802/garp.ko: kernel/net/802/stp.ko kernel/net/llc/llc.ko
kernel/fs/fscache/fscache.ko: kernel/fs/netfs/netfs.ko
kernel/net/802/mrp.ko:
kernel/drivers/virtio/virtio_pci.ko: kernel/drivers/virtio/virtio_pci_modern_dev.ko kernel/drivers/virtio/virtio_pci_legacy_dev.ko kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko
kernel/drivers/net/vrf.ko:
kernel/drivers/char/virtio_console.ko: kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko
kernel/drivers/net/vxlan/vxlan.ko: kernel/net/ipv4/udp_tunnel.ko kernel/net/ipv6/ip6_udp_tunnel.ko
kernel/fs/overlayfs/overlay.ko:
kernel/drivers/net/veth.ko:
kernel/fs/9p/9p.ko: kernel/net/9p/9pnet.ko kernel/fs/fscache/fscache.ko kernel/fs/netfs/netfs.ko
kernel/net/8021q/8021q.ko: kernel/net/802/mrp.ko kernel/net/802/garp.ko kernel/net/802/stp.ko kernel/net/llc/llc.ko
kernel/drivers/net/dummy.ko:
kernel/net/9p/9pnet_virtio.ko: kernel/drivers/virtio/virtio.ko kernel/net/9p/9pnet.ko kernel/drivers/virtio/virtio_ring.ko
kernel/net/bridge/bridge.ko: kernel/net/802/stp.ko kernel/net/llc/llc.ko
kernel/net/netfilter/nft_chain_nat.ko: kernel/net/netfilter/nf_tables.ko kernel/net/netfilter/nfnetlink.ko kernel/net/netfilter/nf_nat.ko kernel/net/netfilter/nf_conntrack.ko kernel/net/ipv4/netfilter/nf_defrag_ipv4.ko kernel/net/ipv6/netfilter/nf_defrag_ipv6.ko kernel/lib/libcrc32c.ko
kernel/net/netfilter/nfnetlink.ko:
kernel/net/netfilter/nf_conntrack.ko: kernel/net/ipv4/netfilter/nf_defrag_ipv4.ko kernel/net/ipv6/netfilter/nf_defrag_ipv6.ko kernel/lib/libcrc32c.ko
kernel/net/netfilter/nft_nat.ko: kernel/net/netfilter/nf_tables.ko kernel/net/netfilter/nfnetlink.ko kernel/net/netfilter/nf_nat.ko kernel/net/netfilter/nf_conntrack.ko kernel/net/ipv4/netfilter/nf_defrag_ipv4.ko kernel/net/ipv6/netfilter/nf_defrag_ipv6.ko kernel/lib/libcrc32c.ko
kernel/net/netfilter/nf_nat.ko: kernel/net/netfilter/nf_conntrack.ko kernel/net/ipv4/netfilter/nf_defrag_ipv4.ko kernel/net/ipv6/netfilter/nf_defrag_ipv6.ko kernel/lib/libcrc32c.ko
kernel/net/netfilter/nf_tables.ko: kernel/net/netfilter/nfnetlink.ko kernel/lib/libcrc32c.ko
kernel/lib/libcrc32c.ko:
kernel/crypto/crc32c_generic.ko:
kernel/net/ipv4/netfilter/nf_defrag_ipv4.ko:
kernel/net/ipv6/netfilter/nf_defrag_ipv6.ko:
`;

const BUILTIN = 'kernel/arch/x86/events/amd/amd-uncore.ko\nkernel/drivers/block/virtio_blk.ko\n';

describe('modules.dep closure', () => {
  const deps = parseModulesDep(DEP);
  const builtin = parseBuiltin(BUILTIN);

  it('normalizes module names from paths', () => {
    assert.equal(moduleName('kernel/net/9p/9pnet_virtio.ko'), '9pnet_virtio');
    assert.equal(moduleName('kernel/arch/x86/events/amd/amd-uncore.ko'), 'amd_uncore');
    assert.equal(moduleName('kernel/fs/9p/9p.ko.xz'), '9p');
  });

  it('loads every wanted module after all of its dependencies, each once', () => {
    const { load, missing, builtin: compiledIn } = moduleClosure(GUEST_MODULES, deps, builtin);
    assert.deepEqual(missing, []);
    assert.deepEqual(compiledIn, []);
    assert.equal(new Set(load).size, load.length);
    for (const [index, path] of load.entries()) {
      for (const dep of deps.get(path)!)
        assert.ok(load.indexOf(dep) >= 0 && load.indexOf(dep) < index, `${dep} must load before ${path}`);
    }
    for (const name of GUEST_MODULES)
      assert.ok(
        load.some((p) => moduleName(p) === name),
        `${name} is loaded`,
      );
    // libcrc32c only soft-depends on a crc32c implementation (not in modules.dep) and fails without one
    const at = (name: string) => load.findIndex((p) => moduleName(p) === name);
    assert.ok(at('crc32c_generic') < at('libcrc32c'), 'crc32c_generic loads before libcrc32c');
  });

  it('resolves the 9p chain to 9pnet, netfs and fscache before 9p', () => {
    const { load } = moduleClosure(['9p'], deps, builtin);
    assert.deepEqual(load, [
      'kernel/net/9p/9pnet.ko',
      'kernel/fs/netfs/netfs.ko',
      'kernel/fs/fscache/fscache.ko',
      'kernel/fs/9p/9p.ko',
    ]);
  });

  it('reports built-in and unknown modules instead of loading them', () => {
    const result = moduleClosure(['virtio-blk', 'amd-uncore', 'no_such_mod', 'vrf'], deps, builtin);
    assert.deepEqual(result.load, ['kernel/drivers/net/vrf.ko']);
    assert.deepEqual(result.builtin, ['virtio_blk', 'amd_uncore']);
    assert.deepEqual(result.missing, ['no_such_mod']);
  });

  it('reports a dependency that has no line of its own', () => {
    const result = moduleClosure(['a'], parseModulesDep('kernel/a.ko: kernel/b.ko\n'), new Set());
    assert.deepEqual(result.missing, ['kernel/b.ko']);
  });
});
