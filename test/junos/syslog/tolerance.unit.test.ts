import { describe, expect, it } from 'vitest';
import { Observation } from '../../../src/domain/observation.js';
import { createSyslogParser } from '../../../src/junos/syslog/index.js';

// What real lines do (syslog-catalog.md §3) and what a parser must survive.

const parse = createSyslogParser({ year: 2026 });
const kmd = (text: string) => parse(`Aug  3 10:18:44  srx1 kmd[14162]: ${text}`);

const IKE_OK =
  'IKE negotiation successfully completed. IKE Version: 2, VPN: vpn-1 Gateway: gw-1, Local: 10.0.0.1/500, Remote: 192.0.2.9/500, Local IKE-ID: a.example, Remote IKE-ID: b.example';

describe('tolerance', () => {
  it('decodes an IPv4 IKE-ID printed as 4 raw bytes (\\rDʦ = 13.68.202.166)', () => {
    const up = (id: string) =>
      kmd(
        `KMD_VPN_UP_ALARM_USER: VPN v from 192.0.2.9 is up. Local-ip: 10.0.1.50, Local IKE-ID: ${id}, Remote IKE-ID: 13.68.203.192, SA Type: Static`,
      ).data;
    expect(up('\rDʦ')).toMatchObject({ localIkeId: '13.68.202.166', remoteIkeId: '13.68.203.192' });
    // A first byte of 32 is a space: still one address.
    expect(up(' Dʦ')).toMatchObject({ localIkeId: '32.68.202.166' });
    // Bytes lost to UTF-8 replacement cannot be decoded: the field is omitted.
    expect(up('U\uFFFDҬ')).not.toHaveProperty('localIkeId');
    // Garbage that is not 4 bytes is omitted too.
    expect(up('\rMDʦ')).not.toHaveProperty('localIkeId');
  });

  it('omits an IKE-ID made of garbage bytes and keeps the rest of the line', () => {
    const o = kmd(
      'KMD_VPN_UP_ALARM_USER: VPN v from 192.0.2.9 is up. Local-ip: 10.0.0.1, gateway name: g, vpn name: v, tunnel-id: 131073, local tunnel-if: st0.0, remote tunnel-ip: Not-Available, Local IKE-ID: \rMDʦ, Remote IKE-ID: 192.0.2.9, AAA username: Not-Applicable, VR id: 0, Traffic-selector: , Traffic-selector local ID: x, Traffic-selector remote ID: y, SA Type: Static',
    );
    expect(o.kind).toBe('tunnel-up');
    expect(o.data).toEqual({
      vpn: 'v',
      peer: '192.0.2.9',
      localIp: '10.0.0.1',
      gateway: 'g',
      tunnelId: '131073',
      tunnelInterface: 'st0.0',
      remoteIkeId: '192.0.2.9',
      vrId: '0',
      saType: 'Static',
    });
  });

  it.each([
    ['VR-ID: 5, Role:', 'VR-ID: 5, Role: Responder'],
    ['VR-ID: 5: Role:', 'VR-ID: 5: Role: Responder'],
    ['VR-ID: 5 Role:', 'VR-ID: 5 Role: Responder'],
  ])('reads %s', (_name, tail) => {
    const o = kmd(`${IKE_OK}, ${tail}`);
    expect(o.data).toMatchObject({ vrId: '5', role: 'responder' });
  });

  it('reads VPN and Gateway with or without the comma between them', () => {
    for (const glue of [' ', ', ', '  ']) {
      const o = kmd(IKE_OK.replace('vpn-1 Gateway', `vpn-1${glue}Gateway`));
      expect(o.data).toMatchObject({ vpn: 'vpn-1', gateway: 'gw-1' });
    }
  });

  it('treats empty fields rendered as double spaces as absent', () => {
    const o = kmd(
      'KMD_PM_SA_ESTABLISHED: Local gateway: 10.0.0.1, Remote gateway: 192.0.2.9, Local ID: x, Remote ID: y, Direction: outbound, SPI: 0x3bb47cb4, AUX-SPI: 0, Mode: Tunnel, Type: dynamic, Traffic-selector:  FC Name:',
    );
    expect(o.data).not.toHaveProperty('trafficSelector');
    expect(o.data).toMatchObject({ type: 'dynamic', spi: '0x3bb47cb4' });
  });

  it('keeps a traffic selector name when there is one', () => {
    const o = kmd(
      'KMD_PM_SA_ESTABLISHED: Local gateway: 10.0.0.1, Remote gateway: 192.0.2.9, Local ID: x, Remote ID: y, Direction: outbound, SPI: 0x3bb47cb4, AUX-SPI: 0, Mode: Tunnel, Type: dynamic, Traffic-selector: ts-web FC Name: best-effort',
    );
    expect(o.data).toMatchObject({ trafficSelector: 'ts-web' });
  });

  it('keeps redacted placeholders where an address should be', () => {
    const o = kmd(
      'IKE negotiation successfully completed. IKE Version: 2, VPN: VPN_AZURE Gateway: GW, Local: 10.200.0.5/4500, Remote: <VPN_GW_PUBLIC_IP>/4500, Local IKE-ID: <SRX_UNTRUSTED_PUBIP>, Remote IKE-ID: <VPN_GW_PUBLIC_IP>, VR-ID: 4, Role: Initiator',
    );
    expect(o.data).toMatchObject({
      remote: { ip: '<VPN_GW_PUBLIC_IP>', port: 4500 },
      localIkeId: '<SRX_UNTRUSTED_PUBIP>',
    });
  });

  it('decodes invalid UTF-8 with replacement characters and keeps the decoded line as raw', () => {
    const head = new TextEncoder().encode(
      'Aug  3 10:18:44  srx1 kmd[1]: KMD_VPN_UP_ALARM_USER: VPN v from 192.0.2.9 is up. Local-ip: 10.0.0.1, Local IKE-ID: U',
    );
    const tail = new TextEncoder().encode(', Remote IKE-ID: 192.0.2.9, SA Type: Static');
    const bytes = new Uint8Array([...head, 0xff, 0xd2, 0xac, ...tail]);
    const o = parse(bytes);
    expect(o.kind).toBe('tunnel-up');
    expect(o.raw).toBe(new TextDecoder().decode(bytes));
    expect(o.raw).toContain('\uFFFD');
    expect(o.data).not.toHaveProperty('localIkeId');
    expect(o.data).toMatchObject({ vpn: 'v', remoteIkeId: '192.0.2.9', saType: 'Static' });
  });

  it('keeps a BOM in raw and strips one newline (LF or CRLF) only', () => {
    const line = '\uFEFFAug  3 10:18:44  srx1 kmd[1]: Config download time: 0 seconds';
    expect(parse(`${line}\r\n`).raw).toBe(line);
    expect(parse(`${line}\n`).raw).toBe(line);
    expect(parse(`${line}\n\n`).raw).toBe(`${line}\n`);
    expect(parse(new TextEncoder().encode(`${line}\n`)).raw).toBe(line);
  });

  it('prefers structured data over the English text when they disagree', () => {
    const o = parse(
      String.raw`<30>1 2023-05-04T15:27:26.461+10:00 AB1234-A-AB-AB01C-ABC kmd 13862 KMD_PM_SA_ESTABLISHED [junos@2636.1.1.1.2.26 local-address="89.160.20.112" remote-address="67.43.156.0" local-initiator="ipv4_subnet(any:0,[0..7\]=89.160.20.112/29)" remote-responder="ipv4_subnet(any:0,[0..7\]=67.43.156.0/24)" argument1="outbound" index1="3700499780" index2="0" mode="Tunnel" type="dynamic" traffic-selector-name="" first-forwarding-class=""] Local gateway: 89.160.20.115, Remote gateway: 67.43.156.1, Local ID: ipv4_subnet(any:0,[0..7]=89.160.20.114/29), Remote ID: ipv4_subnet(any:0,[0..7]=67.43.156.1/24), Direction: outbound, SPI: 0xdc912544, AUX-SPI: 0, Mode: Tunnel, Type: dynamic, Traffic-selector: FC Name:`,
    );
    expect(o.data).toEqual({
      localGateway: '89.160.20.112',
      remoteGateway: '67.43.156.0',
      localId: 'ipv4_subnet(any:0,[0..7]=89.160.20.112/29)',
      remoteId: 'ipv4_subnet(any:0,[0..7]=67.43.156.0/24)',
      direction: 'outbound',
      spi: '0xdc912544',
      auxSpi: '0',
      mode: 'Tunnel',
      type: 'dynamic',
    });
  });

  it('normalises the decimal SPI of structured data to 0x + 8 hex digits', () => {
    const o = parse(
      '<30>1 2023-05-04T15:27:30.846+10:00 h kmd 8961 KMD_PM_SA_ESTABLISHED [junos@2636.1.1.1.2.26 argument1="outbound" index1="36090046"]',
    );
    expect(o.data).toEqual({ direction: 'outbound', spi: '0x0226b0be' });
  });

  it('leaves an SA line without a usable SPI or direction unrecognized', () => {
    for (const bad of ['SPI: 0xZZ', 'SPI: 0x1234567890']) {
      const o = kmd(
        `KMD_PM_SA_ESTABLISHED: Local gateway: 10.0.0.1, Remote gateway: 192.0.2.9, Direction: inbound, ${bad}, AUX-SPI: 0`,
      );
      expect(o.kind).toBe('unrecognized');
      expect(o.data).toEqual({ program: 'kmd', tag: 'KMD_PM_SA_ESTABLISHED' });
    }
    expect(kmd('KMD_PM_SA_ESTABLISHED: Direction: sideways, SPI: 0x12345678').kind).toBe(
      'unrecognized',
    );
  });

  it('accepts program paths and upper case', () => {
    expect(parse(`Aug  3 10:18:44 srx1 /usr/sbin/kmd[1]: ${IKE_OK}`).kind).toBe(
      'ike-sa-established',
    );
    expect(parse(`Aug  3 10:18:44 srx1 KMD[1]: ${IKE_OK}`).kind).toBe('ike-sa-established');
  });

  it('resolves each program the same way however lines of programs alternate and repeat', () => {
    // The parser caches what a program name resolves to: the answer must not depend on the
    // lines before (the same name again, another one in between, more names than the cache).
    const cases: [string, string, Record<string, unknown>][] = [
      ['/usr/sbin/kmd', 'ike-sa-established', {}],
      ['sshd', 'ignored', { program: 'sshd' }],
      ['/usr/sbin/', 'unrecognized', { program: '' }],
      ['KMD', 'ike-sa-established', {}],
      ['/opt/SSHD', 'ignored', { program: '/opt/SSHD' }],
      ['iked', 'ike-sa-established', {}],
    ];
    const fresh = createSyslogParser({ year: 2026 });
    for (let round = 0; round < 3; round++) {
      for (const [program, kind, data] of cases) {
        for (let k = 0; k < 2; k++) {
          const o = fresh(`Aug  3 10:18:44 srx1 ${program}[1]: ${IKE_OK}`);
          expect([program, o.kind]).toEqual([program, kind]);
          expect(o.data).toMatchObject(data);
        }
      }
      for (let n = 0; n < 1500; n++) {
        expect(fresh(`Aug  3 10:18:44 srx1 prog${n}[1]: x`).kind).toBe('ignored');
      }
    }
  });

  it('accepts iked lines like kmd lines', () => {
    expect(parse(`Aug  3 10:18:44 srx1 iked[77]: ${IKE_OK}`).kind).toBe('ike-sa-established');
  });
});

describe('lines the catalog does not know', () => {
  it.each([
    [
      'a kmd line with an unknown tag',
      'Aug  3 10:18:44 srx1 kmd[1]: KMD_PM_SA_DELETED: whatever',
      'unrecognized',
      { program: 'kmd', tag: 'KMD_PM_SA_DELETED' },
    ],
    [
      'untagged kmd text',
      'Aug  3 10:18:44 srx1 kmd[1]: Something new happened',
      'unrecognized',
      { program: 'kmd' },
    ],
    [
      'a pkid line',
      'Aug  3 10:18:44 srx1 pkid[9]: PKID_SOMETHING: text',
      'unrecognized',
      { program: 'pkid', tag: 'PKID_SOMETHING' },
    ],
    [
      'another program',
      'Aug  3 10:18:44 srx1 sshd[9]: SSHD_LOGIN_FAILED: x',
      'ignored',
      { program: 'sshd' },
    ],
    [
      'RFC 5424 from another program',
      '<37>1 2023-05-09T15:00:06.756+10:00 h sshd - SSHD_LOGIN_FAILED [junos@2636.1 username="a"]',
      'ignored',
      { program: 'sshd' },
    ],
    [
      'a line without program',
      'Aug  3 10:18:44 srx1 last message repeated 3 times',
      'unrecognized',
      { program: '' },
    ],
    [
      'RFC 5424 with APP-NAME -',
      '<158>1 2023-05-04T15:18:05.010+10:00 h - - - - node1.fpc0 PFE_FW_SYSLOG_IP: FW: x',
      'unrecognized',
      { program: '' },
    ],
    ['no syslog form at all', 'hello world', 'unrecognized', { program: '' }],
  ])('%s', (_name, line, kind, data) => {
    const o = parse(line, { sender: '192.0.2.1', receivedAt: '2026-08-03T10:18:45.000Z' });
    expect(o.kind).toBe(kind);
    expect(o.data).toEqual(data);
    expect(o.raw).toBe(line);
    expect(o.sender).toBe('192.0.2.1');
    expect(o.receivedAt).toBe('2026-08-03T10:18:45.000Z');
    expect(Observation.safeParse(o).success).toBe(true);
  });

  it('names the sender as router when the line has no hostname', () => {
    expect(parse('hello', { sender: '192.0.2.1' }).router).toBe('192.0.2.1');
    expect(parse('hello').router).toBe('-');
    expect(parse('<30>1 2026-01-01T00:00:00Z - kmd 1 - - x', { sender: '192.0.2.1' }).router).toBe(
      '192.0.2.1',
    );
  });
});
