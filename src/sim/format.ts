import type { SimRouter } from './fleet.js';
import type { SimRecord } from './record.js';

// Framing of syslog-catalog.md §1: BSD with PRI, RFC 5424 with Junos structured data, RFC 5424
// without. Facility daemon (3) for kmd and pkid, as the observed `<30>`/`<27>` kmd lines.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

function bsdTime(ms: number): string {
  const d = new Date(ms);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  return `${MONTHS[d.getUTCMonth()]} ${day} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

const escapeSd = (value: string) => value.replace(/["\\\]]/g, (c) => `\\${c}`);

export function formatRecord(router: SimRouter, record: SimRecord): string {
  const pri = `<${3 * 8 + record.severity}>`;
  const body = record.tag === undefined ? record.text : `${record.tag}: ${record.text}`;
  // RFC 5424: the tag is the MSGID, the text follows the structured data without it.
  if (router.form === 'bsd') {
    return `${pri}${bsdTime(record.ms)} ${router.name} ${record.program}[${router.pid}]: ${body}`;
  }
  const head = `${pri}1 ${new Date(record.ms).toISOString()} ${router.name} ${record.program} ${router.pid}`;
  if (record.tag === undefined) return `${head} - - ${record.text}`;
  if (router.form === 'rfc5424-sd' && record.sd) {
    const params = record.sd.map(([k, v]) => ` ${k}="${escapeSd(v)}"`).join('');
    return `${head} ${record.tag} [junos@2636.1.1.1.2.${router.productId}${params}] ${record.text}`;
  }
  return `${head} ${record.tag} - ${record.text}`;
}
