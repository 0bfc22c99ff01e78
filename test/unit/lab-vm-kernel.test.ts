// Choosing and unpacking the guest kernel: the package linux-image-amd64
// depends on (recorded apt-cache output), version order, xz payload search.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareKver, parseKernelDepends, xzOffsets } from '../../lab/vm/kernel.ts';

const APT_CACHE_SHOW = `Package: linux-image-amd64
Source: linux-signed-amd64 (6.1.192+2)
Version: 6.1.192-2
Installed-Size: 14
Maintainer: Debian Kernel Team <debian-kernel@lists.debian.org>
Architecture: amd64
Provides: linux-latest-modules-6.1.0-56-amd64, wireguard-modules (= 1.0.0)
Depends: linux-image-6.1.0-56-amd64 (= 6.1.192-2)
Suggests: debian-kernel-handbook
Description-en: Linux for 64-bit PCs (meta-package)
`;

describe('guest kernel package', () => {
  it('finds the versioned image package linux-image-amd64 depends on', () => {
    assert.deepEqual(parseKernelDepends(APT_CACHE_SHOW), { pkg: 'linux-image-6.1.0-56-amd64', kver: '6.1.0-56-amd64' });
    assert.deepEqual(parseKernelDepends('Depends: linux-image-6.1.0-9-amd64-unsigned (= 6.1.27-1)\n'), {
      pkg: 'linux-image-6.1.0-9-amd64-unsigned',
      kver: '6.1.0-9-amd64',
    });
    assert.equal(parseKernelDepends('Depends: linux-image-6.12.3-amd64 (= 6.12.3-1)\n'), undefined);
    assert.equal(parseKernelDepends('Package: x\n'), undefined);
  });

  it('orders kernel releases numerically', () => {
    assert.deepEqual(['6.1.0-56-amd64', '6.1.0-9-amd64', '6.1.0-10-amd64'].sort(compareKver), [
      '6.1.0-9-amd64',
      '6.1.0-10-amd64',
      '6.1.0-56-amd64',
    ]);
  });

  it('finds every xz stream start in a bzImage', () => {
    const magic = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
    const image = Buffer.from([1, 2, ...magic, 9, ...magic.slice(0, 5), 0xfd, ...magic]);
    assert.deepEqual(xzOffsets(image), [2, 15]);
  });
});
