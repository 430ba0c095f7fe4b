import { encodeRowIndex, type RowIndex } from './index-codec.js';
import { SnmpType, type Column, type TableDef } from './oids.js';
import { encodeCounter64, encodeInetAddress } from './values.js';

// The inverse of decode.ts for whoever serves these tables (the simulator's agent, tests):
// varbinds exactly as net-snmp would deliver them from a Junos agent.

/** A cell to encode: integers (enums, SPIs, times as raw hundredths), text, or a Counter64. */
export type CellValue = number | string | bigint;

export interface EncodedVarbind {
  oid: string;
  type: number;
  value: number | Buffer;
}

/** Type and value of one cell by its column's syntax. */
export function encodeCell(
  col: Column,
  value: CellValue,
): { type: number; value: number | Buffer } {
  switch (col.syntax) {
    case 'Enum':
    case 'InetAddressType':
    case 'Integer32':
    case 'TimeInterval':
    case 'InetPortNumber':
      return { type: SnmpType.Integer, value: Number(value) };
    case 'Unsigned32':
      return { type: SnmpType.Gauge32, value: Number(value) };
    case 'Counter32':
      return { type: SnmpType.Counter32, value: Number(value) };
    case 'Counter64':
      return { type: SnmpType.Counter64, value: Buffer.from(encodeCounter64(value)) };
    case 'DisplayString':
      return { type: SnmpType.OctetString, value: Buffer.from(String(value), 'utf8') };
    case 'InetAddress': {
      const text = String(value);
      return {
        type: SnmpType.OctetString,
        value: text === '' ? Buffer.alloc(0) : Buffer.from(encodeInetAddress(text)),
      };
    }
  }
}

/**
 * The varbinds of one row: `values` maps column numbers to cell values; index columns
 * (not-accessible) are never emitted. Varbinds come in column order.
 */
export function encodeRow(
  def: TableDef,
  index: RowIndex,
  values: Readonly<Partial<Record<number, CellValue>>>,
): EncodedVarbind[] {
  const suffix = encodeRowIndex(def.indexShape, index);
  const out: EncodedVarbind[] = [];
  for (const col of def.columns) {
    const v = values[col.col];
    if (v === undefined || col.index) continue;
    out.push({ oid: `${def.entry}.${col.col}.${suffix}`, ...encodeCell(col, v) });
  }
  return out;
}
