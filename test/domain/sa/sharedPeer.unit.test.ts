import { describe, expect, it } from 'vitest';
import { ikeUp, saPair } from '../support/observations.js';
import { fold } from '../support/spec.js';

// Several tunnels between the same two gateways (architecture.md principle 4: never merge two
// tunnels to one peer). Once a tunnel's proxy IDs are known, an SA line that names them
// belongs to it, whichever tunnel's IKE SA was negotiated last.

const A = {
  localId: 'ipv4_subnet(any:0,[0..7]=10.1.0.0/24)',
  remoteId: 'ipv4_subnet(any:0,[0..7]=10.2.0.0/24)',
};
const B = {
  localId: 'ipv4_subnet(any:0,[0..7]=10.1.1.0/24)',
  remoteId: 'ipv4_subnet(any:0,[0..7]=10.2.1.0/24)',
};

describe('two tunnels between the same gateways', () => {
  it('an IPsec rekey naming one tunnel’s proxy IDs lands on it, not on the tunnel whose IKE SA is newest', () => {
    const { events } = fold([
      ikeUp({ t: 0, vpn: 'vpn-a' }),
      ...saPair({ t: 1, ...A, in: '0x11111111', out: '0x22222222' }),
      ikeUp({ t: 10, vpn: 'vpn-b' }),
      ...saPair({ t: 11, ...B, in: '0x33333333', out: '0x44444444' }),
      // vpn-b renegotiates its IKE SA; in the same second vpn-a's IPsec SAs rekey.
      ikeUp({ t: 3000, vpn: 'vpn-b' }),
      ...saPair({ t: 3000, ...A, in: '0x55555555', out: '0x66666666' }),
    ]);
    const rekeys = events.filter((e) => e.type === 'IpsecSaRekeyed');
    expect(rekeys).toMatchObject([
      { tunnel: 'srx1/vpn-a', data: { oldSpi: '0x11111111', newSpi: '0x55555555' } },
      { tunnel: 'srx1/vpn-a', data: { oldSpi: '0x22222222', newSpi: '0x66666666' } },
    ]);
  });
});
