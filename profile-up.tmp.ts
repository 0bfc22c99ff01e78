// one-off: where does a VM lab bring-up spend its time? (not committed)
import { labDown, labUp } from './lab/lab.ts';
import { variantTopology, uniform, IMAGE_10_3 } from './test/helpers/frr-variants.ts';
import { vtyshJson, l3vniUp } from './test/helpers/lab-harness.ts';
const t0 = Date.now();
const log = (m: string) => process.stdout.write(`+${((Date.now() - t0) / 1000).toFixed(1)}s ${m}\n`);
const v = { key: '10.3', ...uniform('FRR 10.3', IMAGE_10_3, ['sp1', 'hv-east', 'hv-west', 'gw-a', 'gw-b']) };
const { file, remove } = variantTopology('test/vrf/fixtures/irb.clab.yml', v);
await labDown({ topologyFile: file });
await labUp({ topologyFile: file, fabricFile: 'test/vrf/fixtures/irb-symmetric.fabric.yaml', log });
for (;;) {
  let ok = true;
  for (const node of ['hv-east', 'hv-west', 'gw-a', 'gw-b']) {
    const sum = await vtyshJson(`clab-vrfirb-${node}`, 'show bgp l2vpn evpn summary json').catch(() => ({}));
    if (sum.peers?.['10.30.0.1']?.state !== 'Established' || !(await l3vniUp(`clab-vrfirb-${node}`, 'red', 4010))) ok = false;
  }
  if (ok) break;
  await new Promise((r) => setTimeout(r, 2000));
}
log('sessions and L3VNIs up');
await labDown({ topologyFile: file, log });
remove();
log('down');
